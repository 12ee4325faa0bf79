// Sessions as Lucia's authors now recommend in place of the `lucia` package
// (docs/decisions/0003-sessions.md). This is the only file that knows how a
// session token is made, stored and checked.
import { createCookie } from '@remix-run/node';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.js';
import { constantTimeEqual, randomId, randomSecret, sha256 } from './crypto.server.js';

export interface SessionPolicy {
  idleMinutes: number;
  absoluteDays: number;
}

export interface ValidSession {
  id: string;
  userId: string;
}

/** Refresh last_seen_at at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

export function sessionCookie(secure: boolean) {
  // `__Host-` pins the cookie to this exact origin, path / and HTTPS.
  return createCookie(secure ? '__Host-candor_session' : 'candor_session', {
    httpOnly: true,
    secure,
    sameSite: 'lax',
    path: '/',
  });
}

/**
 * Creates a session and returns its token: `<id>.<secret>`, 120 + 160 bits.
 * Only the SHA-256 of the secret is stored.
 */
export async function createSession(db: Kysely<Database>, userId: string): Promise<string> {
  const id = randomId();
  const secret = randomSecret();
  await db
    .insertInto('user_session')
    .values({ id, secret_hash: sha256(secret), user_id: userId, last_seen_at: new Date() })
    .execute();
  return `${id}.${secret}`;
}

export async function validateSessionToken(
  db: Kysely<Database>,
  token: string,
  policy: SessionPolicy,
): Promise<ValidSession | undefined> {
  const [id, secret, extra] = token.split('.');
  if (!id || !secret || extra !== undefined || id.length > 64 || secret.length > 64) return undefined;
  const row = await db
    .selectFrom('user_session')
    .select(['id', 'secret_hash', 'user_id', 'created_at', 'last_seen_at'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row || !constantTimeEqual(sha256(secret), row.secret_hash)) return undefined;

  const now = Date.now();
  const idleExpired = now - row.last_seen_at.getTime() > policy.idleMinutes * 60_000;
  const absoluteExpired = now - row.created_at.getTime() > policy.absoluteDays * 86_400_000;
  if (idleExpired || absoluteExpired) {
    await deleteSession(db, row.id);
    return undefined;
  }
  if (now - row.last_seen_at.getTime() > TOUCH_INTERVAL_MS) {
    await db.updateTable('user_session').set({ last_seen_at: new Date(now) }).where('id', '=', row.id).execute();
  }
  return { id: row.id, userId: row.user_id };
}

export async function deleteSession(db: Kysely<Database>, sessionId: string): Promise<void> {
  await db.deleteFrom('user_session').where('id', '=', sessionId).execute();
}

/** "Log out everywhere"; also used after a password reset or a role change. */
export async function deleteAllSessions(db: Kysely<Database>, userId: string): Promise<void> {
  await db.deleteFrom('user_session').where('user_id', '=', userId).execute();
}
