import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

// Placeholder signature wired into workers/start.ts; implemented by the notifications work.
export async function notifyPostMerged(_db: Kysely<Database>, _mergeId: string): Promise<number> {
  throw new Error('notifyPostMerged is not implemented yet');
}
