import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Role } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { DomainError } from '../errors.js';
import { writeOutbox } from '../outbox/write-outbox.server.js';
import { lockPostForAction, type PostActionError } from '../posts/get-post.server.js';
import { COMMENT_MAX_LENGTH } from './limits.js';

/**
 * Vendor staff whose comments speak for the vendor: marked official and
 * signed with their staff display name. Finance and auditors are staff too,
 * but they do not answer product questions, so their comments stay ordinary.
 */
export const OFFICIAL_ROLES: readonly Role[] = ['triager', 'product_admin', 'admin'];

export function speaksOfficially(actor: Pick<Actor, 'roles'>): boolean {
  return actor.roles.some((role) => OFFICIAL_ROLES.includes(role));
}

export const CommentBodySchema = z.string().trim().min(1).max(COMMENT_MAX_LENGTH);

export const AddCommentInputSchema = z.object({
  postId: z.string().min(1).max(64),
  parentId: z.string().min(1).max(64).nullish(),
  body: CommentBodySchema,
});
export type AddCommentInput = z.input<typeof AddCommentInputSchema>;

export type AddCommentError = PostActionError | 'parent_not_found' | 'reply_to_reply';

/**
 * A comment on a post, or a reply to a top-level comment (one level only).
 * The Markdown is rendered and sanitised once, here; the post's comment
 * count moves in the same transaction.
 */
export async function addComment(db: Kysely<Database>, actor: Actor, input: AddCommentInput): Promise<{ id: string }> {
  const { postId, parentId, body } = AddCommentInputSchema.parse(input);
  const id = randomId();
  await db.transaction().execute(async (trx) => {
    await lockPostForAction(trx, postId);
    if (parentId) {
      const parent = await trx
        .selectFrom('comment')
        .select(['parent_id', 'deleted_at', 'hidden_at'])
        .where('id', '=', parentId)
        .where('post_id', '=', postId)
        .executeTakeFirst();
      if (!parent || parent.deleted_at || parent.hidden_at) {
        throw new DomainError<AddCommentError>('parent_not_found');
      }
      if (parent.parent_id !== null) throw new DomainError<AddCommentError>('reply_to_reply');
    }
    await trx
      .insertInto('comment')
      .values({
        id,
        post_id: postId,
        author_id: actor.id,
        parent_id: parentId ?? null,
        body,
        body_html: renderMarkdown(body),
        is_official: speaksOfficially(actor),
        edited_at: null,
        deleted_at: null,
        hidden_at: null,
        hidden_reason: null,
      })
      .execute();
    await trx
      .updateTable('post')
      .set({ comment_count: sql<number>`comment_count + 1` })
      .where('id', '=', postId)
      .execute();
    // Followers and the replied-to author hear of it through the worker.
    await writeOutbox(trx, 'comment.created', { commentId: id });
  });
  return { id };
}
