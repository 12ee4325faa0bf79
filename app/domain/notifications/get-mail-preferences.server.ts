import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DEFAULT_MAIL_PREFERENCES, type MailPreferences } from './mail-preferences.js';

/** The actor's mail choices; the defaults until they have made any. */
export async function getMailPreferences(db: Kysely<Database>, actor: Pick<Actor, 'id'>): Promise<MailPreferences> {
  const row = await db
    .selectFrom('mail_preference')
    .select(['replies', 'status_changes'])
    .where('user_id', '=', actor.id)
    .executeTakeFirst();
  return row ? { replies: row.replies, statusChanges: row.status_changes } : DEFAULT_MAIL_PREFERENCES;
}
