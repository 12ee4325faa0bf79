import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import type { VaultKeys } from '../identity/vault.server.js';

// Placeholder signature wired into workers/start.ts; implemented by the notifications work.
export async function sendNotificationMails(
  _db: Kysely<Database>,
  _keys: VaultKeys,
  _mailer: Mailer,
  _publicUrl: string,
): Promise<{ mails: number }> {
  return { mails: 0 };
}
