import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

// Placeholder signature wired into workers/start.ts; implemented by the notifications work.
export async function notifyCommentCreated(_db: Kysely<Database>, _commentId: string): Promise<number> {
  throw new Error('notifyCommentCreated is not implemented yet');
}
