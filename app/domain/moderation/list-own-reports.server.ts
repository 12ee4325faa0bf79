import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';

export interface OwnReports {
  /** The viewer has reported the post and the moderators have not decided yet. */
  post: boolean;
  /** The post's comments the viewer has reported, still waiting for a moderator. */
  commentIds: string[];
}

/**
 * What the viewer has reported on one post and is still open, so the page
 * says "Reported" instead of offering the form again. Only the viewer's own
 * reports: nobody learns who else reported.
 */
export async function listOwnReports(db: Kysely<Database>, viewer: Pick<Actor, 'id'> | null, postId: string): Promise<OwnReports> {
  if (!viewer) return { post: false, commentIds: [] };
  const rows = await db
    .selectFrom('moderation_case')
    .innerJoin('report', 'report.case_id', 'moderation_case.id')
    .select('moderation_case.comment_id')
    .where('moderation_case.post_id', '=', postId)
    .where('moderation_case.resolved_at', 'is', null)
    .where('report.reporter_id', '=', viewer.id)
    .execute();
  return {
    post: rows.some((row) => row.comment_id === null),
    commentIds: rows.flatMap((row) => (row.comment_id ? [row.comment_id] : [])),
  };
}
