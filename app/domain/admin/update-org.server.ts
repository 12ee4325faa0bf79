import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { type Actor, isUniqueViolation, requireRole } from './actor.server.js';
import { TIER_CHOICES } from './choices.js';

export const UpdateOrgInputSchema = z.object({
  orgId: z.string().max(64),
  name: z.string().trim().min(1).max(120),
  valueTier: z.enum(TIER_CHOICES),
});
export type UpdateOrgInput = z.input<typeof UpdateOrgInputSchema>;

export type UpdateOrgError = 'forbidden' | 'org_not_found' | 'name_taken';

/**
 * Renames an org or changes its value tier (admin only). The tier weighs its
 * members' votes, so every change is audited with before and after.
 */
export async function updateOrg(db: Kysely<Database>, actor: Actor, input: UpdateOrgInput): Promise<void> {
  requireRole(actor, 'admin');
  const { orgId, name, valueTier } = UpdateOrgInputSchema.parse(input);
  try {
    await db.transaction().execute(async (trx) => {
      const before = await trx
        .selectFrom('org')
        .select(['name', 'value_tier'])
        .where('id', '=', orgId)
        .forUpdate()
        .executeTakeFirst();
      if (!before) throw new DomainError<UpdateOrgError>('org_not_found', undefined, 404);
      if (before.name === name && before.value_tier === valueTier) return;
      const sameName = await trx
        .selectFrom('org')
        .select('id')
        .where(sql`lower(name)`, '=', name.toLowerCase())
        .where('id', '!=', orgId)
        .executeTakeFirst();
      if (sameName) throw new DomainError<UpdateOrgError>('name_taken', 'name', 409);
      await trx.updateTable('org').set({ name, value_tier: valueTier }).where('id', '=', orgId).execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'org.update',
        subjectType: 'org',
        subjectId: orgId,
        before: { name: before.name, valueTier: before.value_tier },
        after: { name, valueTier },
      });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new DomainError<UpdateOrgError>('name_taken', 'name', 409);
    throw error;
  }
}
