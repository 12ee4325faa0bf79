import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { isModerator } from '../posts/get-post.server.js';

/** A post, or one of its comments. */
export interface ModerationTarget {
  postId: string;
  commentId?: string | null;
}

export type ModerationError =
  | 'forbidden'
  | 'item_not_found'
  | 'case_not_found'
  | 'case_resolved'
  | 'already_hidden'
  | 'not_hidden'
  | 'comment_deleted';

export function requireModerator(actor: Pick<Actor, 'roles'>): void {
  if (!isModerator(actor)) throw new DomainError<ModerationError>('forbidden', undefined, 403);
}

export interface LockedItem {
  postId: string;
  commentId: string | null;
  authorId: string;
  hiddenAt: Date | null;
  hiddenReason: string | null;
  /** Comments only: deleted by their author. */
  deleted: boolean;
}

/**
 * Locks the post (and the comment) for a moderator's change. The post comes
 * first, in the same order as adding or deleting a comment, so the post's
 * comment count and the comment's state move together.
 */
export async function lockModeratedItem(trx: Transaction<Database>, target: ModerationTarget): Promise<LockedItem> {
  const post = await trx
    .selectFrom('post')
    .select(['id', 'author_id', 'hidden_at', 'hidden_reason'])
    .where('id', '=', target.postId)
    .forUpdate()
    .executeTakeFirst();
  if (!post) throw new DomainError<ModerationError>('item_not_found', undefined, 404);
  if (!target.commentId) {
    return { postId: post.id, commentId: null, authorId: post.author_id, hiddenAt: post.hidden_at, hiddenReason: post.hidden_reason, deleted: false };
  }
  const comment = await trx
    .selectFrom('comment')
    .select(['id', 'author_id', 'hidden_at', 'hidden_reason', 'deleted_at'])
    .where('id', '=', target.commentId)
    .where('post_id', '=', post.id)
    .forUpdate()
    .executeTakeFirst();
  if (!comment) throw new DomainError<ModerationError>('item_not_found', undefined, 404);
  return {
    postId: post.id,
    commentId: comment.id,
    authorId: comment.author_id,
    hiddenAt: comment.hidden_at,
    hiddenReason: comment.hidden_reason,
    deleted: comment.deleted_at !== null,
  };
}

/**
 * Keeps post.comment_count equal to the comments everyone can read: neither
 * deleted nor hidden. Hiding a comment takes it out, restoring puts it back.
 */
export async function moveCommentCount(trx: Transaction<Database>, postId: string, delta: 1 | -1): Promise<void> {
  await trx
    .updateTable('post')
    .set({ comment_count: sql<number>`greatest(comment_count + ${delta}, 0)` })
    .where('id', '=', postId)
    .execute();
}
