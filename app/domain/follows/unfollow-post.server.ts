import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';

/** Stops following a post; the actor's vote, if any, stays. Unfollowing twice is harmless. */
export async function unfollowPost(db: Kysely<Database>, actor: Actor, postId: string): Promise<void> {
  await db.deleteFrom('follow').where('post_id', '=', postId).where('user_id', '=', actor.id).execute();
}
