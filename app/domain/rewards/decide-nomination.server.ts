import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { auditRefusal, writeAudit } from '../audit/write-audit.server.js';
import { DomainError, isDomainError } from '../errors.js';
import { getPoolAvailable, postLedgerTransaction } from '../ledger/ledger.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { createNotifications } from '../notifications/create-notifications.server.js';
import { writeOutbox } from '../outbox/write-outbox.server.js';
import { getSettings } from '../settings/settings.server.js';
import { getPolicy } from './current-policy.server.js';
import { coauthorShare, tierRange } from './policy.js';
import { approvalsRequiredFor, currentPoolId } from './reconcile-nominations.server.js';

export type NominationError =
  | 'forbidden'
  | 'nomination_not_found'
  | 'not_pending'
  | 'self_approval'
  | 'already_decided'
  | 'adjust_after_approval'
  | 'amount_out_of_range'
  | 'reason_required'
  | 'no_open_pool'
  | 'per_person_cap'
  | 'insufficient_funds';

export const AdjustNominationSchema = z.object({
  nominationId: z.string().min(1).max(64),
  amountMinor: z.bigint().positive(),
  reason: z.string().trim().min(1).max(500),
});

/**
 * Finance sets the amount within the tier's range, with a reason, before
 * anyone has approved it. The adjuster can no longer approve it.
 */
export async function adjustNomination(
  db: Kysely<Database>,
  actor: Actor,
  input: z.input<typeof AdjustNominationSchema>,
): Promise<void> {
  requireFinanceRole(actor);
  const adjustment = AdjustNominationSchema.parse(input);
  await auditRefusal(db, actor, 'nomination.adjust', { type: 'nomination', id: adjustment.nominationId }, () =>
    db.transaction().execute(async (trx) => {
      const nomination = await lockNomination(trx, adjustment.nominationId);
      if (nomination.status !== 'pending') throw new DomainError<NominationError>('not_pending', undefined, 409);
      if (await decisionsInRound(trx, nomination.id, nomination.round)) {
        throw new DomainError<NominationError>('adjust_after_approval', undefined, 409);
      }
      const policy = await getPolicy(trx, nomination.policy_id);
      const range = tierRange(policy.rules, nomination.trigger);
      if (adjustment.amountMinor < range.minMinor || adjustment.amountMinor > range.maxMinor) {
        throw new DomainError<NominationError>('amount_out_of_range', 'amount', 400);
      }
      const coauthorGross = coauthorShare(policy.rules, adjustment.amountMinor);
      const rewards = await trx.selectFrom('reward').select(['id', 'role']).where('nomination_id', '=', nomination.id).execute();
      for (const reward of rewards) {
        await trx
          .updateTable('reward')
          .set({ gross_minor: (reward.role === 'author' ? adjustment.amountMinor : coauthorGross).toString(), updated_at: sql<Date>`now()` })
          .where('id', '=', reward.id)
          .execute();
      }
      await trx
        .insertInto('nomination_adjustment')
        .values({
          id: randomId(),
          nomination_id: nomination.id,
          actor_id: actor.id,
          from_minor: nomination.amount_minor,
          to_minor: adjustment.amountMinor.toString(),
          reason: adjustment.reason,
        })
        .execute();
      await trx
        .updateTable('nomination')
        .set({
          amount_minor: adjustment.amountMinor.toString(),
          approvals_required: await approvalsRequiredFor(trx, policy.rules, adjustment.amountMinor, rewards.length),
          updated_at: sql<Date>`now()`,
        })
        .where('id', '=', nomination.id)
        .execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'nomination.adjust',
        subjectType: 'nomination',
        subjectId: nomination.id,
        before: { amountMinor: nomination.amount_minor },
        after: { amountMinor: adjustment.amountMinor.toString(), reason: adjustment.reason },
      });
    }),
  );
}

export const DecideNominationSchema = z.object({
  nominationId: z.string().min(1).max(64),
  decision: z.enum(['approve', 'reject']),
  reason: z.string().trim().max(1000).optional(),
});

export type DecisionOutcome = 'awaiting_second_approval' | 'approved' | 'rejected';

/**
 * Approve or reject a nomination (maker-checker). An approver is never the
 * one who proposed or adjusted it, nor one of its beneficiaries (also a
 * database constraint). At or above the two-approver threshold the first
 * approval waits for a second, distinct approver. The final approval fixes
 * each reward's payout mode from the beneficiary's org, applies the
 * per-person cap and withholding, and reserves the gross amounts in the pool
 * in the same transaction: if the pool cannot cover them, nothing is approved.
 */
export async function decideNomination(
  db: Kysely<Database>,
  actor: Actor,
  input: z.input<typeof DecideNominationSchema>,
): Promise<DecisionOutcome> {
  requireFinanceRole(actor);
  const decision = DecideNominationSchema.parse(input);
  if (decision.decision === 'reject' && !decision.reason) throw new DomainError<NominationError>('reason_required', 'reason');
  return auditRefusal(db, actor, `nomination.${decision.decision}`, { type: 'nomination', id: decision.nominationId }, () =>
    db.transaction().execute(async (trx) => {
      const nomination = await lockNomination(trx, decision.nominationId);
      if (nomination.status !== 'pending') throw new DomainError<NominationError>('not_pending', undefined, 409);
      if (await isMakerOrBeneficiary(trx, nomination.id, nomination.proposed_by, actor.id)) {
        throw new DomainError<NominationError>('self_approval', undefined, 403);
      }
      const mine = await trx
        .selectFrom('nomination_decision')
        .select('id')
        .where('nomination_id', '=', nomination.id)
        .where('round', '=', nomination.round)
        .where('approver_id', '=', actor.id)
        .executeTakeFirst();
      if (mine) throw new DomainError<NominationError>('already_decided', undefined, 409);
      await trx
        .insertInto('nomination_decision')
        .values({
          id: randomId(),
          nomination_id: nomination.id,
          approver_id: actor.id,
          round: nomination.round,
          decision: decision.decision,
          reason: decision.reason || null,
        })
        .execute();

      if (decision.decision === 'reject') {
        await trx.updateTable('reward').set({ status: 'rejected', updated_at: sql<Date>`now()` }).where('nomination_id', '=', nomination.id).execute();
        await trx
          .updateTable('nomination')
          .set({ status: 'rejected', decided_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
          .where('id', '=', nomination.id)
          .execute();
        await writeAudit(trx, {
          actorId: actor.id,
          action: 'nomination.reject',
          subjectType: 'nomination',
          subjectId: nomination.id,
          after: { reason: decision.reason, round: nomination.round },
        });
        return 'rejected';
      }

      const approvals = Number(
        (
          await trx
            .selectFrom('nomination_decision')
            .select((eb) => eb.fn.countAll<string>().as('count'))
            .where('nomination_id', '=', nomination.id)
            .where('round', '=', nomination.round)
            .where('decision', '=', 'approve')
            .executeTakeFirstOrThrow()
        ).count,
      );
      if (approvals < nomination.approvals_required) {
        await writeAudit(trx, {
          actorId: actor.id,
          action: 'nomination.approve_first',
          subjectType: 'nomination',
          subjectId: nomination.id,
          after: { amountMinor: nomination.amount_minor, approvals, required: nomination.approvals_required },
        });
        return 'awaiting_second_approval';
      }
      await approveAndReserve(trx, actor, nomination);
      return 'approved';
    }),
  );
}

type LockedNomination = Awaited<ReturnType<typeof lockNomination>>;

async function lockNomination(trx: Transaction<Database>, nominationId: string) {
  const nomination = await trx
    .selectFrom('nomination')
    .select(['id', 'post_id', 'trigger', 'policy_id', 'pool_id', 'currency', 'amount_minor', 'status', 'proposed_by', 'round', 'approvals_required'])
    .where('id', '=', nominationId)
    .forUpdate()
    .executeTakeFirst();
  if (!nomination) throw new DomainError<NominationError>('nomination_not_found', undefined, 404);
  return nomination;
}

async function decisionsInRound(trx: Transaction<Database>, nominationId: string, round: number): Promise<boolean> {
  const row = await trx
    .selectFrom('nomination_decision')
    .select('id')
    .where('nomination_id', '=', nominationId)
    .where('round', '=', round)
    .executeTakeFirst();
  return Boolean(row);
}

async function isMakerOrBeneficiary(
  trx: Transaction<Database>,
  nominationId: string,
  proposedBy: string | null,
  actorId: string,
): Promise<boolean> {
  if (proposedBy === actorId) return true;
  const [adjusted, benefits] = await Promise.all([
    trx.selectFrom('nomination_adjustment').select('id').where('nomination_id', '=', nominationId).where('actor_id', '=', actorId).executeTakeFirst(),
    trx.selectFrom('reward').select('id').where('nomination_id', '=', nominationId).where('beneficiary_id', '=', actorId).executeTakeFirst(),
  ]);
  return Boolean(adjusted || benefits);
}

async function approveAndReserve(trx: Transaction<Database>, actor: Actor, nomination: LockedNomination): Promise<void> {
  // A nomination made under a pool whose period has since closed draws from
  // the current one instead: nominations never draw from a closed pool.
  const openPool = (id: string) =>
    trx
      .selectFrom('pool')
      .select(['id', 'currency'])
      .where('id', '=', id)
      .where('closed_at', 'is', null)
      .where('period_start', '<=', sql<string>`current_date`)
      .where('period_end', '>=', sql<string>`current_date`)
      .executeTakeFirst();
  let pool = nomination.pool_id ? await openPool(nomination.pool_id) : undefined;
  if (!pool) {
    // currentPoolId already picks an open pool in this currency whose period covers today.
    const current = await currentPoolId(trx, nomination.currency);
    pool = current ? { id: current, currency: nomination.currency } : undefined;
  }
  if (!pool || pool.currency !== nomination.currency) throw new DomainError<NominationError>('no_open_pool', undefined, 409);

  const settings = await getSettings(trx);
  const rewards = await trx
    .selectFrom('reward')
    .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
    .leftJoin('org', 'org.id', 'app_user.org_id')
    .select(['reward.id', 'reward.beneficiary_id', 'reward.gross_minor', 'org.reward_mode'])
    .where('reward.nomination_id', '=', nomination.id)
    .where('reward.status', '=', 'nominated')
    .orderBy('reward.id')
    .execute();

  for (const reward of rewards) {
    // Without an org (or its consent to cash) a member gets recognition only.
    const mode = reward.reward_mode ?? 'recognition';
    const gross = BigInt(reward.gross_minor);
    if (mode === 'recognition') {
      await trx
        .updateTable('reward')
        .set({ payout_mode: mode, status: 'recognised', approved_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
        .where('id', '=', reward.id)
        .execute();
      continue;
    }
    // The beneficiary's row lock serialises two approvals racing for one person's cap.
    await trx.selectFrom('app_user').select('id').where('id', '=', reward.beneficiary_id).forNoKeyUpdate().execute();
    const already = await trx
      .selectFrom('reward')
      .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('reward.gross_minor'), eb.val('0')).as('total'))
      .where('reward.beneficiary_id', '=', reward.beneficiary_id)
      .where('reward.status', 'in', ['approved', 'paying', 'paid'])
      .where('nomination.pool_id', '=', pool.id)
      .executeTakeFirstOrThrow();
    if (BigInt(already.total) + gross > BigInt(settings.perPersonCapMinor)) {
      throw new DomainError<NominationError>('per_person_cap', 'amount', 409);
    }
    const withheld = (gross * BigInt(settings.withholdingPercent)) / 100n;
    try {
      await postLedgerTransaction(trx, {
        kind: 'reserve',
        idempotencyKey: `reserve:${reward.id}:${nomination.round}`,
        poolId: pool.id,
        memo: `nomination ${nomination.id}`,
        actorId: actor.id,
        lines: [
          { account: { poolId: pool.id, kind: 'pool_available' }, amountMinor: -gross },
          { account: { poolId: pool.id, kind: 'pool_reserved' }, amountMinor: gross },
        ],
      });
    } catch (error) {
      if (isDomainError(error) && error.code === 'insufficient_funds') {
        throw new DomainError<NominationError>('insufficient_funds', undefined, 409);
      }
      throw error;
    }
    await trx
      .updateTable('reward')
      .set({
        payout_mode: mode,
        status: 'approved',
        withheld_minor: withheld.toString(),
        net_minor: (gross - withheld).toString(),
        approved_at: sql<Date>`now()`,
        updated_at: sql<Date>`now()`,
      })
      .where('id', '=', reward.id)
      .execute();
  }
  await trx
    .updateTable('nomination')
    .set({ status: 'approved', pool_id: pool.id, decided_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', nomination.id)
    .execute();
  await writeOutbox(trx, 'reward.approved', { nominationId: nomination.id });
  // Crossing below the threshold, not every approval below it, raises the alert.
  const reservedNow = rewards.reduce((sum, reward) => (reward.reward_mode && reward.reward_mode !== 'recognition' ? sum + BigInt(reward.gross_minor) : sum), 0n);
  const available = await getPoolAvailable(trx, pool.id);
  const threshold = BigInt(settings.lowBalanceThresholdMinor);
  if (available < threshold && available + reservedNow >= threshold) {
    await writeOutbox(trx, 'pool.low_balance', { poolId: pool.id });
  }
  await createNotifications(
    trx,
    `reward-approved:${nomination.id}:${nomination.round}`,
    rewards.map((reward) => ({
      userId: reward.beneficiary_id,
      kind: 'reward_approved' as const,
      postId: nomination.post_id,
      data: { trigger: nomination.trigger },
    })),
  );
  await writeAudit(trx, {
    actorId: actor.id,
    action: 'nomination.approve',
    subjectType: 'nomination',
    subjectId: nomination.id,
    after: { amountMinor: nomination.amount_minor, poolId: pool.id, rewards: rewards.length, round: nomination.round },
  });
}
