import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { type Actor, isUniqueViolation, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { getCurrentPolicy } from './current-policy.server.js';
import { POLICY_NOTE_MAX_LENGTH, PolicyRulesSchema } from './policy.js';


export const PublishPolicyInputSchema = z.object({
  rules: PolicyRulesSchema,
  note: z.string().trim().min(1).max(POLICY_NOTE_MAX_LENGTH),
  /** The version the form showed: publishing over a newer one would undo a change nobody saw. */
  basedOnVersion: z.number().int().positive(),
});
export type PublishPolicyInput = z.input<typeof PublishPolicyInputSchema>;

export type PublishPolicyError = 'policy_changed_meanwhile';

/**
 * A new version of the reward policy (decision 0013): the next version
 * number, with a note saying why. Nominations made from now on are computed
 * under it; earlier ones keep the version they name.
 */
export async function publishPolicy(db: Kysely<Database>, actor: Actor, input: PublishPolicyInput): Promise<{ id: string; version: number }> {
  requireRole(actor, 'finance_admin');
  const { rules, note, basedOnVersion } = PublishPolicyInputSchema.parse(input);
  // Version 1 is written on first use; publishing builds on it.
  await getCurrentPolicy(db);
  const id = randomId();
  try {
    return await db.transaction().execute(async (trx) => {
      const newest = await trx
        .selectFrom('reward_policy')
        .select(['version', 'rules'])
        .orderBy('version', 'desc')
        .limit(1)
        .forUpdate()
        .executeTakeFirstOrThrow();
      if (newest.version !== basedOnVersion) throw new DomainError<PublishPolicyError>('policy_changed_meanwhile', undefined, 409);
      const version = newest.version + 1;
      await trx
        .insertInto('reward_policy')
        .values({ id, version, rules: JSON.stringify(rules), note, created_by: actor.id })
        .execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'policy.publish',
        subjectType: 'reward_policy',
        subjectId: id,
        before: { version: newest.version, rules: newest.rules },
        after: { version, rules, note },
      });
      return { id, version };
    });
  } catch (error) {
    // Two admins publishing at once both built on the same version: the unique version lets one win.
    if (isUniqueViolation(error)) throw new DomainError<PublishPolicyError>('policy_changed_meanwhile', undefined, 409);
    throw error;
  }
}
