import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { createNotifications } from './create-notifications.server.js';

/**
 * Tells the duplicate's followers (as they were when it was merged) and its
 * author where it went: kind 'post_merged' on the duplicate, with the target
 * in data. Nothing when the merge is unknown or was undone before the event
 * was handled; a redelivered event adds nothing twice (source key per merge).
 */
export async function notifyPostMerged(db: Kysely<Database>, mergeId: string): Promise<number> {
  const merge = await db
    .selectFrom('post_merge')
    .innerJoin('post as duplicate', 'duplicate.id', 'post_merge.source_post_id')
    .select(['post_merge.source_post_id', 'post_merge.target_post_id', 'post_merge.undone_at', 'duplicate.author_id'])
    .where('post_merge.id', '=', mergeId)
    .executeTakeFirst();
  if (!merge || merge.undone_at) return 0;
  const followers = await db.selectFrom('post_merge_follow').select('user_id').where('merge_id', '=', mergeId).execute();
  const recipients = new Set([merge.author_id, ...followers.map((follower) => follower.user_id)]);
  return createNotifications(
    db,
    `merge:${mergeId}`,
    [...recipients].map((userId) => ({
      userId,
      kind: 'post_merged' as const,
      postId: merge.source_post_id,
      data: { targetId: merge.target_post_id },
    })),
  );
}
