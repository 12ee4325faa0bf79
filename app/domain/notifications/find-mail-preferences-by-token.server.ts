import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { MailPreferences } from './mail-preferences.js';

/**
 * The choices behind an unsubscribe link, for the page anyone holding the
 * link may open. Says nothing about whose they are.
 */
export async function findMailPreferencesByToken(db: Kysely<Database>, token: string): Promise<MailPreferences | undefined> {
  const row = await db
    .selectFrom('mail_preference')
    .select(['replies', 'status_changes'])
    .where('unsubscribe_token', '=', token)
    .executeTakeFirst();
  return row && { replies: row.replies, statusChanges: row.status_changes };
}
