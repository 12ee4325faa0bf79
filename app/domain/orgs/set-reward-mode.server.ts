import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type Database, REWARD_MODES } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';

export const SetRewardModeInputSchema = z.object({
  mode: z.enum(REWARD_MODES),
  /** The org admin's explicit consent, given with this very choice. */
  consent: z.boolean(),
});
export type SetRewardModeInput = z.input<typeof SetRewardModeInputSchema>;

export type SetRewardModeError = 'forbidden' | 'consent_required';

/**
 * An org admin chooses how the people of their own org may be rewarded: paid
 * themselves, the org paid instead, or recognition only. Paying a customer's
 * employees can be bribery or a conflict of interest for them, so the choice
 * is the org's, made with explicit consent and recorded with who and when.
 * Re-confirming the same mode records the new consent too. Nominations follow
 * the mode in force when they are approved (decideNomination).
 */
export async function setRewardMode(db: Kysely<Database>, actor: Actor, input: SetRewardModeInput): Promise<void> {
  requireRole(actor, 'org_admin');
  if (!actor.orgId) throw new DomainError<SetRewardModeError>('forbidden', undefined, 403);
  const orgId = actor.orgId;
  const { mode, consent } = SetRewardModeInputSchema.parse(input);
  if (!consent) throw new DomainError<SetRewardModeError>('consent_required', 'consent');
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('org')
      .select(['reward_mode', 'reward_mode_set_by', 'reward_mode_set_at'])
      .where('id', '=', orgId)
      .forUpdate()
      .executeTakeFirstOrThrow();
    await trx
      .updateTable('org')
      .set({ reward_mode: mode, reward_mode_set_by: actor.id, reward_mode_set_at: sql<Date>`now()` })
      .where('id', '=', orgId)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'org.reward_mode_set',
      subjectType: 'org',
      subjectId: orgId,
      before: { mode: before.reward_mode, setBy: before.reward_mode_set_by },
      after: { mode, consent: true },
    });
  });
}
