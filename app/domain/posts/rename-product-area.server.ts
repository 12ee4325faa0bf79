import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { AreaNameSchema } from './product-area-input.js';

export const RenameProductAreaInputSchema = z.object({
  areaId: z.string().min(1).max(64),
  nameEn: AreaNameSchema,
  nameZh: AreaNameSchema,
});
export type RenameProductAreaInput = z.input<typeof RenameProductAreaInputSchema>;

/** Renames an area in both languages (its slug stays), audited. */
export async function renameProductArea(db: Kysely<Database>, actor: Actor, input: RenameProductAreaInput): Promise<void> {
  requireRole(actor, 'product_admin');
  const { areaId, nameEn, nameZh } = RenameProductAreaInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('product_area')
      .select(['name_en', 'name_zh'])
      .where('id', '=', areaId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError('area_not_found', undefined, 404);
    if (before.name_en === nameEn && before.name_zh === nameZh) return;
    await trx.updateTable('product_area').set({ name_en: nameEn, name_zh: nameZh }).where('id', '=', areaId).execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'product_area.rename',
      subjectType: 'product_area',
      subjectId: areaId,
      before: { nameEn: before.name_en, nameZh: before.name_zh },
      after: { nameEn, nameZh },
    });
  });
}
