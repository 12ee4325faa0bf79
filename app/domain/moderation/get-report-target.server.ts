import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { plainTextOf } from '../content/markdown.server.js';
import { DomainError } from '../errors.js';

export const ReportTargetSchema = z.object({
  postId: z.string().min(1).max(64),
  commentId: z.string().min(1).max(64).nullish(),
});
export type ReportTarget = z.input<typeof ReportTargetSchema>;

export type ReportRefusal = 'own_content' | 'comment_hidden';
export type ReportTargetError = 'post_not_found' | 'comment_not_found' | ReportRefusal;

export interface ReportableItem {
  postId: string;
  commentId: string | null;
  authorId: string;
  postTitle: string;
  /** The comment's text, cut short; null when the item is the post. */
  commentExcerpt: string | null;
  /** Why this person may not report it, or null when they may. */
  refusal: ReportRefusal | null;
}

const EXCERPT_LENGTH = 280;

/**
 * The post or comment someone means to report, as everyone may see it. A
 * hidden post, a deleted comment and a comment of another post are not
 * found, like an unknown id. With `lock`, the rows are share-locked, so a
 * moderator hiding the item waits for the report (or the report for them).
 */
export async function findReportableItem(
  executor: Kysely<Database> | Transaction<Database>,
  actor: Pick<Actor, 'id'>,
  target: ReportTarget,
  { lock }: { lock: boolean },
): Promise<ReportableItem> {
  const { postId, commentId } = ReportTargetSchema.parse(target);
  let postQuery = executor.selectFrom('post').select(['id', 'author_id', 'title', 'hidden_at']).where('id', '=', postId);
  if (lock) postQuery = postQuery.forShare();
  const post = await postQuery.executeTakeFirst();
  if (!post || post.hidden_at) throw new DomainError<ReportTargetError>('post_not_found', undefined, 404);
  if (!commentId) {
    return {
      postId,
      commentId: null,
      authorId: post.author_id,
      postTitle: post.title,
      commentExcerpt: null,
      refusal: post.author_id === actor.id ? 'own_content' : null,
    };
  }
  let commentQuery = executor
    .selectFrom('comment')
    .select(['id', 'author_id', 'body_html', 'deleted_at', 'hidden_at'])
    .where('id', '=', commentId)
    .where('post_id', '=', postId);
  if (lock) commentQuery = commentQuery.forShare();
  const comment = await commentQuery.executeTakeFirst();
  if (!comment || comment.deleted_at) throw new DomainError<ReportTargetError>('comment_not_found', undefined, 404);
  const text = plainTextOf(comment.body_html);
  return {
    postId,
    commentId,
    authorId: comment.author_id,
    postTitle: post.title,
    // A hidden comment's text is for its author and the moderators only.
    commentExcerpt: comment.hidden_at ? null : text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text,
    refusal: comment.author_id === actor.id ? 'own_content' : comment.hidden_at ? 'comment_hidden' : null,
  };
}

export interface ReportTargetView {
  postId: string;
  commentId: string | null;
  postTitle: string;
  commentExcerpt: string | null;
  refusal: ReportRefusal | null;
}

/** What the report page shows about the item: its title or text, and whether this person may report it. */
export async function getReportTarget(db: Kysely<Database>, actor: Actor, target: ReportTarget): Promise<ReportTargetView> {
  const { authorId: _authorId, ...view } = await findReportableItem(db, actor, target, { lock: false });
  return view;
}
