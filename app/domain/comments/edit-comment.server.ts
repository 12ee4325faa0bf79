import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { DomainError } from '../errors.js';
import { CommentBodySchema } from './add-comment.server.js';
import { COMMENT_EDIT_MINUTES } from './limits.js';

export const EditCommentInputSchema = z.object({
  commentId: z.string().min(1).max(64),
  body: CommentBodySchema,
});
export type EditCommentInput = z.input<typeof EditCommentInputSchema>;

export type EditCommentError = 'comment_not_found' | 'edit_window_over';

/**
 * Changes one's own comment within the edit window. The window is measured
 * by the database clock, the same one that stamped the comment. Someone
 * else's comment looks the same as a missing one.
 */
export async function editComment(db: Kysely<Database>, actor: Actor, input: EditCommentInput): Promise<void> {
  const { commentId, body } = EditCommentInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const comment = await trx
      .selectFrom('comment')
      .select([
        'deleted_at',
        'hidden_at',
        sql<boolean>`created_at > now() - make_interval(mins => ${COMMENT_EDIT_MINUTES})`.as('within_window'),
      ])
      .where('id', '=', commentId)
      .where('author_id', '=', actor.id)
      .forUpdate()
      .executeTakeFirst();
    if (!comment || comment.deleted_at) throw new DomainError<EditCommentError>('comment_not_found');
    if (!comment.within_window || comment.hidden_at) throw new DomainError<EditCommentError>('edit_window_over');
    await trx
      .updateTable('comment')
      .set({ body, body_html: renderMarkdown(body), edited_at: sql<Date>`now()` })
      .where('id', '=', commentId)
      .execute();
  });
}
