import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, NominationStatus, PostStatus, PostType, RewardMode, RewardStatus, RewardTrigger } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { type PoolState, selectPools, summarisePools, toPoolRow } from '../pools/list-pools.server.js';
import { getPolicy } from './current-policy.server.js';
import { type BeneficiaryView, listBeneficiaries } from './list-nominations.server.js';
import { tierRange } from './policy.js';

/** Why the amount is what it is, as computeAmount stored it. */
const ExplanationSchema = z.object({
  tier: z.enum(['complaint_fixed', 'request_adopted', 'request_shipped']),
  defaultMinor: z.string(),
  maxMinor: z.string(),
  impactPercent: z.number(),
  parts: z.object({ orgs: z.number(), hours: z.number(), sites: z.number() }),
  capped: z.boolean(),
});
export type AmountExplanation = z.infer<typeof ExplanationSchema>;

export interface RewardLine extends BeneficiaryView {
  grossMinor: string;
  withheldMinor: string;
  netMinor: string;
  /** Fixed at approval from the org's reward mode. */
  payoutMode: RewardMode | null;
  status: RewardStatus;
  flaggedAt: Date | null;
}

export interface AdjustmentView {
  fromMinor: string;
  toMinor: string;
  reason: string;
  /** Staff display name; null when they have none. */
  by: string | null;
  at: Date;
}

export interface DecisionView {
  round: number;
  decision: 'approve' | 'reject';
  reason: string | null;
  by: string | null;
  byViewer: boolean;
  at: Date;
}

/** Why the viewer may not decide: maker-checker, or they already did in this round. */
export type DecisionBlock = 'proposer' | 'adjuster' | 'beneficiary' | 'already_decided';

export interface NominationDetail {
  id: string;
  status: NominationStatus;
  trigger: RewardTrigger;
  round: number;
  currency: string;
  computedMinor: string;
  amountMinor: string;
  impactPercent: number;
  approvalsRequired: number;
  /** Approvals in the current round. */
  approvals: number;
  createdAt: Date;
  decidedAt: Date | null;
  post: {
    id: string;
    title: string;
    type: PostType;
    status: PostStatus;
    voteCount: number;
    orgCount: number;
    impactHoursPerWeek: number | null;
    impactSites: number | null;
  };
  policy: { version: number; impactMinPercent: number; impactMaxPercent: number; coauthorSharePercent: number };
  /** Null for a nomination stored before explanations were kept. */
  explanation: AmountExplanation | null;
  /** What finance may adjust the amount to: the tier's range under the nomination's policy version. */
  range: { minMinor: string; maxMinor: string };
  /** The pool the nomination draws from; approval falls back to the current open pool if this one is no longer open. */
  pool: { id: string; name: string; state: PoolState; availableMinor: string } | null;
  rewards: RewardLine[];
  adjustments: AdjustmentView[];
  decisions: DecisionView[];
  viewer: { canAdjust: boolean; canDecide: boolean; blockedBecause: DecisionBlock | null };
}

export type GetNominationError = 'nomination_not_found';

const NominationIdSchema = z.string().min(1).max(64);

/**
 * A nomination with everything finance needs to decide it: the post, the
 * beneficiaries by pseudonym, how the amount was computed, the adjustments
 * and decisions so far with who made them (staff display names), and whether
 * the viewer may still decide (the maker-checker rules, shown before they
 * refuse).
 */
export async function getNomination(db: Kysely<Database>, actor: Actor, nominationId: string): Promise<NominationDetail> {
  requireFinanceRole(actor);
  const id = NominationIdSchema.safeParse(nominationId);
  if (!id.success) throw new DomainError<GetNominationError>('nomination_not_found', undefined, 404);
  const row = await db
    .selectFrom('nomination')
    .innerJoin('post', 'post.id', 'nomination.post_id')
    .select([
      'nomination.id',
      'nomination.status',
      'nomination.trigger',
      'nomination.round',
      'nomination.currency',
      'nomination.computed_minor',
      'nomination.amount_minor',
      'nomination.impact_percent',
      'nomination.explanation',
      'nomination.approvals_required',
      'nomination.policy_id',
      'nomination.pool_id',
      'nomination.proposed_by',
      'nomination.created_at',
      'nomination.decided_at',
      'post.id as post_id',
      'post.title as post_title',
      'post.type as post_type',
      'post.status as post_status',
      'post.vote_count',
      'post.org_count',
      'post.impact_hours_per_week',
      'post.impact_sites',
    ])
    .where('nomination.id', '=', id.data)
    .executeTakeFirst();
  if (!row) throw new DomainError<GetNominationError>('nomination_not_found', undefined, 404);

  const [policy, beneficiaries, rewards, adjustments, decisions, poolRow] = await Promise.all([
    getPolicy(db, row.policy_id),
    listBeneficiaries(db, [row.id]),
    db
      .selectFrom('reward')
      .select(['id', 'beneficiary_id', 'gross_minor', 'withheld_minor', 'net_minor', 'payout_mode', 'status', 'flagged_at'])
      .where('nomination_id', '=', row.id)
      .execute(),
    db
      .selectFrom('nomination_adjustment')
      .leftJoin('app_user', 'app_user.id', 'nomination_adjustment.actor_id')
      .select([
        'nomination_adjustment.actor_id',
        'nomination_adjustment.from_minor',
        'nomination_adjustment.to_minor',
        'nomination_adjustment.reason',
        'nomination_adjustment.created_at',
        'app_user.staff_display_name',
      ])
      .where('nomination_adjustment.nomination_id', '=', row.id)
      .orderBy('nomination_adjustment.created_at')
      .execute(),
    db
      .selectFrom('nomination_decision')
      .leftJoin('app_user', 'app_user.id', 'nomination_decision.approver_id')
      .select([
        'nomination_decision.approver_id',
        'nomination_decision.round',
        'nomination_decision.decision',
        'nomination_decision.reason',
        'nomination_decision.created_at',
        'app_user.staff_display_name',
      ])
      .where('nomination_decision.nomination_id', '=', row.id)
      .orderBy('nomination_decision.round')
      .orderBy('nomination_decision.created_at')
      .execute(),
    row.pool_id ? selectPools(db).where('pool.id', '=', row.pool_id).executeTakeFirst() : undefined,
  ]);
  const [pool] = poolRow ? await summarisePools(db, [toPoolRow(poolRow)]) : [];

  const range = tierRange(policy.rules, row.trigger);
  const thisRound = decisions.filter((decision) => decision.round === row.round);
  const blockedBecause: DecisionBlock | null =
    row.proposed_by === actor.id
      ? 'proposer'
      : adjustments.some((adjustment) => adjustment.actor_id === actor.id)
        ? 'adjuster'
        : rewards.some((reward) => reward.beneficiary_id === actor.id)
          ? 'beneficiary'
          : thisRound.some((decision) => decision.approver_id === actor.id)
            ? 'already_decided'
            : null;
  const pending = row.status === 'pending';
  const explanation = ExplanationSchema.safeParse(row.explanation);

  return {
    id: row.id,
    status: row.status,
    trigger: row.trigger,
    round: row.round,
    currency: row.currency,
    computedMinor: row.computed_minor,
    amountMinor: row.amount_minor,
    impactPercent: row.impact_percent,
    approvalsRequired: row.approvals_required,
    approvals: thisRound.filter((decision) => decision.decision === 'approve').length,
    createdAt: row.created_at,
    decidedAt: row.decided_at,
    post: {
      id: row.post_id,
      title: row.post_title,
      type: row.post_type,
      status: row.post_status,
      voteCount: row.vote_count,
      orgCount: row.org_count,
      impactHoursPerWeek: row.impact_hours_per_week,
      impactSites: row.impact_sites,
    },
    policy: {
      version: policy.version,
      impactMinPercent: policy.rules.impactPercent.min,
      impactMaxPercent: policy.rules.impactPercent.max,
      coauthorSharePercent: policy.rules.coauthorSharePercent,
    },
    explanation: explanation.success ? explanation.data : null,
    range: { minMinor: range.minMinor.toString(), maxMinor: range.maxMinor.toString() },
    pool: pool ? { id: pool.id, name: pool.name, state: pool.state, availableMinor: pool.availableMinor } : null,
    rewards: (beneficiaries.get(row.id) ?? []).map((beneficiary) => {
      const reward = rewards.find((one) => one.id === beneficiary.rewardId)!;
      return {
        ...beneficiary,
        grossMinor: reward.gross_minor,
        withheldMinor: reward.withheld_minor,
        netMinor: reward.net_minor,
        payoutMode: reward.payout_mode,
        status: reward.status,
        flaggedAt: reward.flagged_at,
      };
    }),
    adjustments: adjustments.map((adjustment) => ({
      fromMinor: adjustment.from_minor,
      toMinor: adjustment.to_minor,
      reason: adjustment.reason,
      by: adjustment.staff_display_name,
      at: adjustment.created_at,
    })),
    decisions: decisions.map((decision) => ({
      round: decision.round,
      decision: decision.decision,
      reason: decision.reason,
      by: decision.staff_display_name,
      byViewer: decision.approver_id === actor.id,
      at: decision.created_at,
    })),
    viewer: {
      canAdjust: pending && thisRound.length === 0,
      canDecide: pending && blockedBecause === null,
      blockedBecause: pending ? blockedBecause : null,
    },
  };
}
