import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { getCurrentUser, requirePermission } from '../app/utils/auth.server.js';
import { sha256 } from '../app/utils/crypto.server.js';
import { createSession, deleteAllSessions, validateSessionToken } from '../app/utils/session.server.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

const policy = { idleMinutes: 60, absoluteDays: 30 };

describe('sessions', () => {
  it('issues tokens with at least 120 bits of randomness and stores only a SHA-256 of the secret', async () => {
    const user = await makeUser(app);
    const token = await createSession(app.services.db, user.id);
    const [id, secret] = token.split('.');
    // base32: 5 bits a character.
    expect(id!.length * 5).toBeGreaterThanOrEqual(120);
    expect(secret!.length * 5).toBeGreaterThanOrEqual(120);
    const row = await app.services.db.selectFrom('user_session').selectAll().where('id', '=', id!).executeTakeFirstOrThrow();
    expect(JSON.stringify(row)).not.toContain(secret!);
    expect(Buffer.compare(row.secret_hash, sha256(secret!))).toBe(0);
  });

  it('refuses a token whose secret is wrong, even with a valid id', async () => {
    const user = await makeUser(app);
    const token = await createSession(app.services.db, user.id);
    const [id, secret] = token.split('.');
    const tampered = `${id}.${secret!.slice(0, -1)}${secret!.endsWith('a') ? 'b' : 'a'}`;
    expect(await validateSessionToken(app.services.db, tampered, policy)).toBeUndefined();
    expect(await validateSessionToken(app.services.db, token, policy)).toMatchObject({ userId: user.id });
  });

  it('ends a session that was idle longer than the idle timeout', async () => {
    const user = await makeUser(app);
    const token = await createSession(app.services.db, user.id);
    await app.services.db
      .updateTable('user_session')
      .set({ last_seen_at: sql<Date>`now() - interval '61 minutes'` })
      .where('user_id', '=', user.id)
      .execute();
    expect(await validateSessionToken(app.services.db, token, policy)).toBeUndefined();
    const left = await app.services.db.selectFrom('user_session').select('id').where('user_id', '=', user.id).execute();
    expect(left).toEqual([]);
  });

  it('ends a session older than the absolute timeout even when in constant use', async () => {
    const user = await makeUser(app);
    const token = await createSession(app.services.db, user.id);
    await sql`UPDATE user_session SET created_at = now() - interval '31 days', last_seen_at = now()
      WHERE user_id = ${user.id}`.execute(app.services.db);
    expect(await validateSessionToken(app.services.db, token, policy)).toBeUndefined();
  });

  it('takes the timeouts from the settings', async () => {
    const admin = await makeUser(app, { roles: ['admin'] });
    const user = await makeUser(app);
    const cookie = await sessionCookieFor(app, user.id);
    await app.services.db
      .updateTable('user_session')
      .set({ last_seen_at: sql<Date>`now() - interval '10 minutes'` })
      .where('user_id', '=', user.id)
      .execute();
    await updateSettings(app.services.db, admin.id, { sessionIdleMinutes: 5 });
    try {
      expect(await getCurrentUser(makeRequest('/', { cookie }), loadContext(app))).toBeNull();
    } finally {
      await updateSettings(app.services.db, admin.id, { sessionIdleMinutes: 60 * 24 * 7 });
    }
  });

  it('logging out everywhere deletes every session of the account server-side', async () => {
    const user = await makeUser(app);
    const first = await sessionCookieFor(app, user.id);
    const second = await sessionCookieFor(app, user.id);
    await deleteAllSessions(app.services.db, user.id);
    for (const cookie of [first, second]) {
      expect(await getCurrentUser(makeRequest('/', { cookie }), loadContext(app))).toBeNull();
    }
  });

  it('a signed-in user without the permission gets 403 and an anonymous one a login redirect', async () => {
    const member = await makeUser(app);
    const cookie = await sessionCookieFor(app, member.id);
    const forbidden = await settle(() => requirePermission(makeRequest('/audit', { cookie }), loadContext(app), 'audit.read'));
    expect(forbidden.response?.status).toBe(403);
    const anonymous = await settle(() => requirePermission(makeRequest('/audit?x=1'), loadContext(app), 'audit.read'));
    expect(anonymous.response?.status).toBe(302);
    expect(anonymous.response?.headers.get('Location')).toBe('/login?redirectTo=%2Faudit%3Fx%3D1');
  });

  it('does not treat a disabled account as signed in', async () => {
    const user = await makeUser(app);
    const cookie = await sessionCookieFor(app, user.id);
    await app.services.db.updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
    expect(await getCurrentUser(makeRequest('/', { cookie }), loadContext(app))).toBeNull();
  });
});
