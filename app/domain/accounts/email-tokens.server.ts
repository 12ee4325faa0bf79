import type { Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomId, randomSecret, sha256Hex } from '../../utils/crypto.server.js';

export const EMAIL_TOKEN_TTL_HOURS = { verify: 48, reset: 1 } as const;

/** Issues a single-use link token; only its SHA-256 is stored. */
export async function issueEmailToken(
  trx: Transaction<Database>,
  userId: string,
  purpose: 'verify' | 'reset',
): Promise<string> {
  const token = randomSecret();
  await trx
    .insertInto('email_token')
    .values({
      id: randomId(),
      token_hash: sha256Hex(token),
      user_id: userId,
      purpose,
      expires_at: new Date(Date.now() + EMAIL_TOKEN_TTL_HOURS[purpose] * 3_600_000),
    })
    .execute();
  return token;
}

/** Finds an unexpired, unused token and marks it used, in the caller's transaction. */
export async function consumeEmailToken(
  trx: Transaction<Database>,
  token: string,
  purpose: 'verify' | 'reset',
): Promise<{ userId: string } | 'invalid' | 'used' | 'expired'> {
  const row = await trx
    .selectFrom('email_token')
    .select(['id', 'user_id', 'expires_at', 'used_at'])
    .where('token_hash', '=', sha256Hex(token))
    .where('purpose', '=', purpose)
    .forUpdate()
    .executeTakeFirst();
  if (!row) return 'invalid';
  if (row.used_at) return 'used';
  if (row.expires_at.getTime() < Date.now()) return 'expired';
  await trx.updateTable('email_token').set({ used_at: new Date() }).where('id', '=', row.id).execute();
  return { userId: row.user_id };
}
