import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';

/** The language mails and pages use for this person by default. */
export async function setUserLocale(db: Kysely<Database>, userId: string, locale: Locale): Promise<void> {
  await db.updateTable('app_user').set({ locale }).where('id', '=', userId).execute();
}
