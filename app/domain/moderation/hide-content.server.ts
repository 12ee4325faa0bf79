import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { createNotifications } from '../notifications/create-notifications.server.js';
import { ModerationReasonSchema } from './choices.js';
import {
  lockModeratedItem,
  type ModerationError,
  type ModerationTarget,
  moveCommentCount,
  requireModerator,
} from './moderated-item.server.js';

const IdSchema = z.string().min(1).max(64);

/** From the queue, the case names the item; from a post page, the item itself. */
export const HideContentInputSchema = z.union([
  z.object({ caseId: IdSchema, reason: ModerationReasonSchema }),
  z.object({ postId: IdSchema, commentId: IdSchema.nullish(), reason: ModerationReasonSchema }),
]);
export type HideContentInput = z.input<typeof HideContentInputSchema>;

/**
 * A moderator hides a post or a comment, with a reason its author is shown.
 * In one transaction: the item is hidden, every open case about it is
 * resolved as hidden, an audit row is written and the author is notified.
 * Hidden posts leave the feed, search and profiles; a hidden comment leaves
 * the post's comment count.
 */
export async function hideContent(db: Kysely<Database>, actor: Actor, input: HideContentInput): Promise<ModerationTarget> {
  requireModerator(actor);
  const value = HideContentInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    let target: ModerationTarget;
    if ('caseId' in value) {
      const found = await trx
        .selectFrom('moderation_case')
        .select(['post_id', 'comment_id'])
        .where('id', '=', value.caseId)
        .executeTakeFirst();
      if (!found) throw new DomainError<ModerationError>('case_not_found', undefined, 404);
      target = { postId: found.post_id, commentId: found.comment_id };
    } else {
      target = { postId: value.postId, commentId: value.commentId ?? null };
    }

    const item = await lockModeratedItem(trx, target);
    if (item.hiddenAt) throw new DomainError<ModerationError>('already_hidden', undefined, 409);
    if (item.deleted) throw new DomainError<ModerationError>('comment_deleted', undefined, 409);
    if ('caseId' in value) {
      // Checked under the item's lock: another moderator may have dismissed it meanwhile.
      const open = await trx
        .selectFrom('moderation_case')
        .select('id')
        .where('id', '=', value.caseId)
        .where('resolved_at', 'is', null)
        .forUpdate()
        .executeTakeFirst();
      if (!open) throw new DomainError<ModerationError>('case_resolved', undefined, 409);
    }

    const hidden = { hidden_at: sql<Date>`now()`, hidden_reason: value.reason, hidden_by: actor.id };
    if (item.commentId) {
      await trx.updateTable('comment').set(hidden).where('id', '=', item.commentId).execute();
      await moveCommentCount(trx, item.postId, -1);
    } else {
      await trx.updateTable('post').set(hidden).where('id', '=', item.postId).execute();
    }

    const resolved = await trx
      .updateTable('moderation_case')
      .set({ resolution: 'hidden', resolved_by: actor.id, resolved_at: sql<Date>`now()`, resolution_note: value.reason })
      .where('post_id', '=', item.postId)
      .where(sql<boolean>`comment_id IS NOT DISTINCT FROM ${item.commentId}`)
      .where('resolved_at', 'is', null)
      .returning(['id', 'report_count'])
      .execute();

    const subjectType = item.commentId ? 'comment' : 'post';
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'moderation.hide',
      subjectType,
      subjectId: item.commentId ?? item.postId,
      before: { hidden: false },
      after: { hidden: true, reason: value.reason, resolvedCases: resolved.map((row) => row.id) },
    });
    if (item.authorId !== actor.id) {
      await createNotifications(trx, `hide:${randomId()}`, [
        {
          userId: item.authorId,
          kind: item.commentId ? 'comment_hidden' : 'post_hidden',
          postId: item.postId,
          commentId: item.commentId,
          data: { reason: value.reason },
        },
      ]);
    }
    return { postId: item.postId, commentId: item.commentId };
  });
}
