import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { isModerator } from '../posts/get-post.server.js';
import { UNDO_WINDOW_HOURS } from './limits.js';

export interface MergedDuplicate {
  id: string;
  title: string;
  /** 'YYYY-MM-DD' in UTC. */
  mergedDay: string;
  /** For those who may merge: the merge to undo, while it can be undone. */
  undo: { mergeId: string; minutesLeft: number } | null;
}

export interface PostMerges {
  /** Posts merged into this one, newest merge first (at most 50). */
  duplicates: MergedDuplicate[];
  /** For those who may merge, when this post is a merged duplicate: its merge, and whether it can still be undone. */
  mergedInto: { mergeId: string; targetId: string; undoMinutesLeft: number | null } | null;
}

const DUPLICATES_SHOWN = 50;

/**
 * The merges around a post, for its page: the duplicates merged into it
 * (titles only, never who wrote them; hidden ones only to moderators) and,
 * for triage staff, the undo that is still possible. An undo is offered while
 * the window is open and the target has not been merged itself.
 */
export async function listPostMerges(db: Kysely<Database>, viewer: Actor | null, postId: string): Promise<PostMerges> {
  const staff = isModerator(viewer);
  const minutesLeft = sql<number>`ceil(extract(epoch FROM (post_merge.merged_at + make_interval(hours => ${UNDO_WINDOW_HOURS}) - now())) / 60)::int`;
  const [duplicates, ownMerge] = await Promise.all([
    db
      .selectFrom('post_merge')
      .innerJoin('post as duplicate', 'duplicate.id', 'post_merge.source_post_id')
      .innerJoin('post as target', 'target.id', 'post_merge.target_post_id')
      .select([
        'post_merge.id as merge_id',
        'duplicate.id',
        'duplicate.title',
        sql<string>`to_char(post_merge.merged_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('merged_day'),
        minutesLeft.as('minutes_left'),
        'target.status as target_status',
      ])
      .where('post_merge.target_post_id', '=', postId)
      .where('post_merge.undone_at', 'is', null)
      .$if(!isModerator(viewer), (query) => query.where('duplicate.hidden_at', 'is', null))
      .orderBy('post_merge.merged_at', 'desc')
      .limit(DUPLICATES_SHOWN)
      .execute(),
    staff
      ? db
          .selectFrom('post_merge')
          .innerJoin('post as target', 'target.id', 'post_merge.target_post_id')
          .select(['post_merge.id as merge_id', 'post_merge.target_post_id', minutesLeft.as('minutes_left'), 'target.status as target_status'])
          .where('post_merge.source_post_id', '=', postId)
          .where('post_merge.undone_at', 'is', null)
          .executeTakeFirst()
      : undefined,
  ]);
  const undoable = (row: { minutes_left: number; target_status: string }) => row.minutes_left > 0 && row.target_status !== 'merged';
  return {
    duplicates: duplicates.map((row) => ({
      id: row.id,
      title: row.title,
      mergedDay: row.merged_day,
      undo: staff && undoable(row) ? { mergeId: row.merge_id, minutesLeft: row.minutes_left } : null,
    })),
    mergedInto: ownMerge
      ? {
          mergeId: ownMerge.merge_id,
          targetId: ownMerge.target_post_id,
          undoMinutesLeft: undoable(ownMerge) ? ownMerge.minutes_left : null,
        }
      : null,
  };
}
