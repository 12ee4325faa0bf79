import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';

export const ArchiveTagInputSchema = z.object({
  tagId: z.string().min(1).max(64),
  /** false restores an archived tag. */
  archived: z.boolean().default(true),
});
export type ArchiveTagInput = z.input<typeof ArchiveTagInputSchema>;

/**
 * Archives a tag (or restores it), audited: posts keep it and still show it,
 * but triagers are no longer offered it.
 */
export async function archiveTag(db: Kysely<Database>, actor: Actor, input: ArchiveTagInput): Promise<void> {
  requireRole(actor, 'product_admin');
  const { tagId, archived } = ArchiveTagInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const tag = await trx.selectFrom('tag').select(['archived_at']).where('id', '=', tagId).forUpdate().executeTakeFirst();
    if (!tag) throw new DomainError('tag_not_found', undefined, 404);
    if ((tag.archived_at !== null) === archived) return;
    await trx
      .updateTable('tag')
      .set({ archived_at: archived ? new Date() : null })
      .where('id', '=', tagId)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: archived ? 'tag.archive' : 'tag.restore',
      subjectType: 'tag',
      subjectId: tagId,
      before: { archived: !archived },
      after: { archived },
    });
  });
}
