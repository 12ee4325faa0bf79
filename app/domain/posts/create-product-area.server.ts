import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { type Actor, isUniqueViolation, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { AreaNameSchema, AreaSlugSchema } from './product-area-input.js';

export const CreateProductAreaInputSchema = z.object({
  slug: AreaSlugSchema,
  nameEn: AreaNameSchema,
  nameZh: AreaNameSchema,
});
export type CreateProductAreaInput = z.input<typeof CreateProductAreaInputSchema>;

export type CreateProductAreaError = 'forbidden' | 'slug_taken';

/** Adds a product area at the end of the list (product admins), audited. */
export async function createProductArea(
  db: Kysely<Database>,
  actor: Actor,
  input: CreateProductAreaInput,
): Promise<{ areaId: string }> {
  requireRole(actor, 'product_admin');
  const { slug, nameEn, nameZh } = CreateProductAreaInputSchema.parse(input);
  const id = randomId();
  try {
    await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('product_area').select('id').where('slug', '=', slug).executeTakeFirst();
      if (taken) throw new DomainError<CreateProductAreaError>('slug_taken', 'slug', 409);
      await trx
        .insertInto('product_area')
        .values({
          id,
          slug,
          name_en: nameEn,
          name_zh: nameZh,
          position: sql<number>`(SELECT coalesce(max(position), -1) + 1 FROM product_area)`,
          archived_at: null,
        })
        .execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'product_area.create',
        subjectType: 'product_area',
        subjectId: id,
        after: { slug, nameEn, nameZh },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError<CreateProductAreaError>('slug_taken', 'slug', 409);
    throw error;
  }
  return { areaId: id };
}
