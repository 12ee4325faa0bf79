import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import type { VaultKeys } from '../identity/vault.server.js';

// Placeholder signature wired into workers/start.ts; implemented by the triage work.
export async function runTriageSla(
  _db: Kysely<Database>,
  _keys: VaultKeys,
  _mailer: Mailer,
  _publicUrl: string,
): Promise<{ flagged: number; digests: number }> {
  return { flagged: 0, digests: 0 };
}
