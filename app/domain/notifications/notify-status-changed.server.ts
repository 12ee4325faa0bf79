import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

// Placeholder signature wired into workers/start.ts; implemented by the notifications work.
export async function notifyStatusChanged(_db: Kysely<Database>, _changeId: string): Promise<number> {
  throw new Error('notifyStatusChanged is not implemented yet');
}
