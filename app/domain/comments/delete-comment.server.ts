import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';

export const DeleteCommentInputSchema = z.object({ commentId: z.string().min(1).max(64) });
export type DeleteCommentInput = z.input<typeof DeleteCommentInputSchema>;

export type DeleteCommentError = 'comment_not_found';

/**
 * Deletes one's own comment softly: the thread keeps its shape and shows
 * "deleted" in its place, with neither text nor author. The text stays in
 * the row for moderation, never shown again. Deleting twice is harmless.
 */
export async function deleteComment(db: Kysely<Database>, actor: Actor, input: DeleteCommentInput): Promise<void> {
  const { commentId } = DeleteCommentInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comment')
      .select(['post_id', 'deleted_at'])
      .where('id', '=', commentId)
      .where('author_id', '=', actor.id)
      .executeTakeFirst();
    if (!comment) throw new DomainError<DeleteCommentError>('comment_not_found');
    // Post first, then comment: the same lock order as adding a comment.
    await trx.selectFrom('post').select('id').where('id', '=', comment.post_id).forUpdate().execute();
    const deleted = await trx
      .updateTable('comment')
      .set({ deleted_at: sql<Date>`now()` })
      .where('id', '=', commentId)
      .where('deleted_at', 'is', null)
      .returning('hidden_at')
      .executeTakeFirst();
    // The count holds the comments everyone can read: a hidden one has left it already.
    if (!deleted || deleted.hidden_at) return;
    await trx
      .updateTable('post')
      .set({ comment_count: sql<number>`greatest(comment_count - 1, 0)` })
      .where('id', '=', comment.post_id)
      .execute();
  });
}
