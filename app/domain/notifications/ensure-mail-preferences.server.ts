import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomSecret } from '../../utils/crypto.server.js';

/**
 * Each member's unsubscribe token, creating their preference row (everything
 * on, a fresh random token) the first time one is needed. Concurrent callers
 * agree: the first row written wins, later inserts do nothing.
 */
export async function ensureMailPreferences(db: Kysely<Database>, userIds: readonly string[]): Promise<Map<string, string>> {
  const unique = [...new Set(userIds)];
  if (unique.length === 0) return new Map();
  await db
    .insertInto('mail_preference')
    .values(unique.map((userId) => ({ user_id: userId, unsubscribe_token: randomSecret() })))
    .onConflict((oc) => oc.column('user_id').doNothing())
    .execute();
  const rows = await db
    .selectFrom('mail_preference')
    .select(['user_id', 'unsubscribe_token'])
    .where('user_id', 'in', unique)
    .execute();
  return new Map(rows.map((row) => [row.user_id, row.unsubscribe_token]));
}
