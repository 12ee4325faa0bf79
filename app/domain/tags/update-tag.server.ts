import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { TagColorSchema, TagNameSchema } from './tag-input.js';

export const UpdateTagInputSchema = z.object({
  tagId: z.string().min(1).max(64),
  nameEn: TagNameSchema,
  nameZh: TagNameSchema,
  color: TagColorSchema,
});
export type UpdateTagInput = z.input<typeof UpdateTagInputSchema>;

/** Renames or recolours a tag (its slug, used in feed links, stays), audited. */
export async function updateTag(db: Kysely<Database>, actor: Actor, input: UpdateTagInput): Promise<void> {
  requireRole(actor, 'product_admin');
  const { tagId, nameEn, nameZh, color } = UpdateTagInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('tag')
      .select(['name_en', 'name_zh', 'color'])
      .where('id', '=', tagId)
      .forUpdate()
      .executeTakeFirst();
    if (!before) throw new DomainError('tag_not_found', undefined, 404);
    if (before.name_en === nameEn && before.name_zh === nameZh && before.color === color) return;
    await trx.updateTable('tag').set({ name_en: nameEn, name_zh: nameZh, color }).where('id', '=', tagId).execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'tag.update',
      subjectType: 'tag',
      subjectId: tagId,
      before: { nameEn: before.name_en, nameZh: before.name_zh, color: before.color },
      after: { nameEn, nameZh, color },
    });
  });
}
