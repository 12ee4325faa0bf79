import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';

export const ArchiveProductAreaInputSchema = z.object({
  areaId: z.string().min(1).max(64),
  /** false restores an archived area. */
  archived: z.boolean().default(true),
});
export type ArchiveProductAreaInput = z.input<typeof ArchiveProductAreaInputSchema>;

/**
 * Archives an area (or restores it), audited: its posts stay where they are
 * and stay listed, but new posts can no longer choose it.
 */
export async function archiveProductArea(db: Kysely<Database>, actor: Actor, input: ArchiveProductAreaInput): Promise<void> {
  requireRole(actor, 'product_admin');
  const { areaId, archived } = ArchiveProductAreaInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const area = await trx
      .selectFrom('product_area')
      .select(['archived_at'])
      .where('id', '=', areaId)
      .forUpdate()
      .executeTakeFirst();
    if (!area) throw new DomainError('area_not_found', undefined, 404);
    if ((area.archived_at !== null) === archived) return;
    await trx
      .updateTable('product_area')
      .set({ archived_at: archived ? new Date() : null })
      .where('id', '=', areaId)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: archived ? 'product_area.archive' : 'product_area.restore',
      subjectType: 'product_area',
      subjectId: areaId,
      before: { archived: !archived },
      after: { archived },
    });
  });
}
