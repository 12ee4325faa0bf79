import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { DismissNoteSchema } from './choices.js';
import { type ModerationError, requireModerator } from './moderated-item.server.js';

export const DismissCaseInputSchema = z.object({
  caseId: z.string().min(1).max(64),
  note: DismissNoteSchema,
});
export type DismissCaseInput = z.input<typeof DismissCaseInputSchema>;

/**
 * A moderator finds nothing wrong: the case leaves the queue, the item stays
 * as it is, and nobody is notified. A later report opens a new case.
 */
export async function dismissCase(db: Kysely<Database>, actor: Actor, input: DismissCaseInput): Promise<void> {
  requireModerator(actor);
  const { caseId, note } = DismissCaseInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const dismissed = await trx
      .updateTable('moderation_case')
      .set({ resolution: 'dismissed', resolved_by: actor.id, resolved_at: sql<Date>`now()`, resolution_note: note ?? null })
      .where('id', '=', caseId)
      .where('resolved_at', 'is', null)
      .returning(['post_id', 'comment_id', 'report_count'])
      .executeTakeFirst();
    if (!dismissed) {
      const exists = await trx.selectFrom('moderation_case').select('id').where('id', '=', caseId).executeTakeFirst();
      throw exists
        ? new DomainError<ModerationError>('case_resolved', undefined, 409)
        : new DomainError<ModerationError>('case_not_found', undefined, 404);
    }
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'moderation.dismiss',
      subjectType: 'moderation_case',
      subjectId: caseId,
      after: {
        item: dismissed.comment_id ? { commentId: dismissed.comment_id } : { postId: dismissed.post_id },
        reportCount: dismissed.report_count,
        note: note ?? null,
      },
    });
  });
}
