import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { type Actor, isUniqueViolation, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { TagColorSchema, TagNameSchema, TagSlugSchema } from './tag-input.js';

export const CreateTagInputSchema = z.object({
  slug: TagSlugSchema,
  nameEn: TagNameSchema,
  nameZh: TagNameSchema,
  color: TagColorSchema,
});
export type CreateTagInput = z.input<typeof CreateTagInputSchema>;

export type CreateTagError = 'forbidden' | 'slug_taken';

/** Adds a tag to the managed list (product admins), audited. */
export async function createTag(db: Kysely<Database>, actor: Actor, input: CreateTagInput): Promise<{ tagId: string }> {
  requireRole(actor, 'product_admin');
  const { slug, nameEn, nameZh, color } = CreateTagInputSchema.parse(input);
  const id = randomId();
  try {
    await db.transaction().execute(async (trx) => {
      const taken = await trx.selectFrom('tag').select('id').where('slug', '=', slug).executeTakeFirst();
      if (taken) throw new DomainError<CreateTagError>('slug_taken', 'slug', 409);
      await trx.insertInto('tag').values({ id, slug, name_en: nameEn, name_zh: nameZh, color, archived_at: null }).execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'tag.create',
        subjectType: 'tag',
        subjectId: id,
        after: { slug, nameEn, nameZh, color },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError<CreateTagError>('slug_taken', 'slug', 409);
    throw error;
  }
  return { tagId: id };
}
