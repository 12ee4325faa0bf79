import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { createNotifications } from '../notifications/create-notifications.server.js';
import { ModerationReasonSchema } from './choices.js';
import { lockModeratedItem, type ModerationError, moveCommentCount, requireModerator } from './moderated-item.server.js';

export const RestoreContentInputSchema = z.object({
  postId: z.string().min(1).max(64),
  commentId: z.string().min(1).max(64).nullish(),
  reason: ModerationReasonSchema,
});
export type RestoreContentInput = z.input<typeof RestoreContentInputSchema>;

/**
 * A moderator puts a hidden post or comment back, with a reason its author
 * is shown. In one transaction: the item is visible again (a restored
 * comment counts again), an audit row keeps why it had been hidden, and the
 * author is notified.
 */
export async function restoreContent(db: Kysely<Database>, actor: Actor, input: RestoreContentInput): Promise<void> {
  requireModerator(actor);
  const { postId, commentId, reason } = RestoreContentInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const item = await lockModeratedItem(trx, { postId, commentId });
    if (!item.hiddenAt) throw new DomainError<ModerationError>('not_hidden', undefined, 409);

    const visible = { hidden_at: null, hidden_reason: null, hidden_by: null };
    if (item.commentId) {
      await trx.updateTable('comment').set(visible).where('id', '=', item.commentId).execute();
      if (!item.deleted) await moveCommentCount(trx, item.postId, 1);
    } else {
      await trx.updateTable('post').set(visible).where('id', '=', item.postId).execute();
    }

    await writeAudit(trx, {
      actorId: actor.id,
      action: 'moderation.restore',
      subjectType: item.commentId ? 'comment' : 'post',
      subjectId: item.commentId ?? item.postId,
      before: { hidden: true, reason: item.hiddenReason },
      after: { hidden: false, reason },
    });
    if (item.authorId !== actor.id) {
      await createNotifications(trx, `restore:${randomId()}`, [
        {
          userId: item.authorId,
          kind: item.commentId ? 'comment_restored' : 'post_restored',
          postId: item.postId,
          commentId: item.commentId,
          data: { reason },
        },
      ]);
    }
  });
}
