import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { ReportNoteSchema, ReportReasonSchema } from './choices.js';
import { findReportableItem, type ReportTargetError, ReportTargetSchema } from './get-report-target.server.js';

export const ReportContentInputSchema = ReportTargetSchema.extend({
  reason: ReportReasonSchema,
  note: ReportNoteSchema,
});
export type ReportContentInput = z.input<typeof ReportContentInputSchema>;

export type ReportContentError = ReportTargetError;

export interface ReportOutcome {
  caseId: string;
  /** False when this person had already reported the item: it counts once. */
  reported: boolean;
}

/**
 * A signed-in person reports a post or a comment to the moderators. Repeated
 * reports of one item collapse into its one open case (the partial unique
 * index moderation_case_open_unique; concurrent first reports meet in the
 * ON CONFLICT), and each person counts once per case. Once a case is
 * resolved, a new report opens a new one.
 */
export async function reportContent(db: Kysely<Database>, actor: Actor, input: ReportContentInput): Promise<ReportOutcome> {
  const { postId, commentId, reason, note } = ReportContentInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const item = await findReportableItem(trx, actor, { postId, commentId }, { lock: true });
    if (item.refusal) throw new DomainError<ReportContentError>(item.refusal, undefined, item.refusal === 'own_content' ? 400 : 409);

    // The no-op update makes the statement return the open case and lock it,
    // so the report count below moves one report at a time.
    const openCase = await sql<{ id: string }>`
      INSERT INTO moderation_case (id, subject_type, post_id, comment_id)
      VALUES (${randomId()}, ${item.commentId ? 'comment' : 'post'}, ${item.postId}, ${item.commentId})
      ON CONFLICT (post_id, coalesce(comment_id, '')) WHERE resolved_at IS NULL
      DO UPDATE SET last_reported_at = moderation_case.last_reported_at
      RETURNING id`.execute(trx);
    const caseId = openCase.rows[0]!.id;

    const inserted = await trx
      .insertInto('report')
      .values({ id: randomId(), case_id: caseId, reporter_id: actor.id, reason, note: note ?? null })
      .onConflict((oc) => oc.columns(['case_id', 'reporter_id']).doNothing())
      .executeTakeFirst();
    const reported = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
    if (reported) {
      await trx
        .updateTable('moderation_case')
        .set({ report_count: sql<number>`report_count + 1`, last_reported_at: sql<Date>`now()` })
        .where('id', '=', caseId)
        .execute();
    }
    return { caseId, reported };
  });
}
