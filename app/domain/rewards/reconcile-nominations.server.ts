import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, RewardTrigger } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { postLedgerTransaction } from '../ledger/ledger.server.js';
import { getSettings } from '../settings/settings.server.js';
import { getCurrentPolicy } from './current-policy.server.js';
import { coauthorShare, computeAmount, type PolicyRules, triggersEarned } from './policy.js';

/** Roles that may hold a reward: members, and their own org admins. Vendor staff never. */
const REWARDABLE_ROLES = new Set(['org_admin']);

export interface ReconcileResult {
  nominated: RewardTrigger[];
  cancelled: RewardTrigger[];
  flagged: RewardTrigger[];
}

/**
 * The adoption worker's one job: make a post's nominations match what its
 * current status has earned. It reads the status now rather than trusting
 * the order events arrive in, so a redelivered or out-of-order event is
 * harmless. Earned and missing → nominate (or reopen a cancelled one, in a new
 * round); no longer earned → cancel a nomination not yet paid, releasing any
 * reservation, or flag a paid reward for finance. The post row lock
 * serialises two workers on one post.
 */
export async function reconcileNominations(db: Kysely<Database>, postId: string): Promise<ReconcileResult> {
  return db.transaction().execute(async (trx) => {
    const result: ReconcileResult = { nominated: [], cancelled: [], flagged: [] };
    const post = await trx
      .selectFrom('post')
      .select(['id', 'type', 'status', 'author_id', 'created_at', 'org_count', 'vote_count', 'impact_hours_per_week', 'impact_sites'])
      .where('id', '=', postId)
      .forUpdate()
      .executeTakeFirst();
    if (!post) return result;
    const earned = triggersEarned(post.type, post.status);
    const existing = await trx
      .selectFrom('nomination')
      .select(['id', 'trigger', 'status', 'round'])
      .where('post_id', '=', postId)
      .execute();

    for (const trigger of earned) {
      const nomination = existing.find((one) => one.trigger === trigger);
      if (nomination && nomination.status !== 'cancelled') continue;
      const policy = await getCurrentPolicy(trx);
      const beneficiaries = await rewardableAuthors(trx, post.id, post.author_id, post.created_at);
      if (beneficiaries.length === 0) continue;
      const computed = computeAmount(policy.rules, trigger, {
        orgCount: post.org_count,
        voteCount: post.vote_count,
        hoursPerWeek: post.impact_hours_per_week,
        sites: post.impact_sites,
      });
      const amountMinor = computed.amountMinor > 0n ? computed.amountMinor : 1n;
      const poolId = await currentPoolId(trx, policy.rules.currency);
      const approvalsRequired = await approvalsRequiredFor(trx, policy.rules, amountMinor, beneficiaries.length);
      const values = {
        policy_id: policy.id,
        pool_id: poolId,
        currency: policy.rules.currency,
        computed_minor: amountMinor.toString(),
        amount_minor: amountMinor.toString(),
        impact_percent: computed.impactPercent,
        explanation: JSON.stringify(computed.explanation),
        status: 'pending' as const,
        approvals_required: approvalsRequired,
        decided_at: null,
      };
      let nominationId: string;
      if (nomination) {
        nominationId = nomination.id;
        await trx
          .updateTable('nomination')
          .set({ ...values, round: nomination.round + 1, updated_at: sql<Date>`now()` })
          .where('id', '=', nomination.id)
          .execute();
      } else {
        nominationId = randomId();
        await trx
          .insertInto('nomination')
          .values({ id: nominationId, post_id: post.id, trigger, proposed_by: null, ...values })
          .execute();
      }
      await trx
        .insertInto('reward')
        .values(
          beneficiaries.flatMap((beneficiary, index) => {
            const gross = index === 0 ? amountMinor : coauthorShare(policy.rules, amountMinor);
            if (gross <= 0n) return [];
            return [
              {
                id: randomId(),
                nomination_id: nominationId,
                beneficiary_id: beneficiary.userId,
                role: index === 0 ? ('author' as const) : ('coauthor' as const),
                currency: policy.rules.currency,
                gross_minor: gross.toString(),
              },
            ];
          }),
        )
        // Reopening a cancelled nomination starts its rewards afresh; ledger
        // steps are keyed by round, so the earlier round's postings stay apart.
        .onConflict((oc) =>
          oc.columns(['nomination_id', 'beneficiary_id']).doUpdateSet((eb) => ({
            role: eb.ref('excluded.role'),
            gross_minor: eb.ref('excluded.gross_minor'),
            withheld_minor: '0',
            net_minor: '0',
            payout_mode: null,
            status: 'nominated',
            approved_at: null,
            flagged_at: null,
            flag_reason: null,
            updated_at: sql<Date>`now()`,
          })),
        )
        .execute();
      await writeAudit(trx, {
        actorId: null,
        action: nomination ? 'nomination.reopen' : 'nomination.create',
        subjectType: 'nomination',
        subjectId: nominationId,
        after: { postId: post.id, trigger, amountMinor: amountMinor.toString(), policyVersion: policy.version, poolId },
      });
      result.nominated.push(trigger);
    }

    for (const nomination of existing) {
      if (earned.includes(nomination.trigger) || nomination.status === 'cancelled' || nomination.status === 'rejected') continue;
      const outcome = await withdrawNomination(trx, nomination.id, nomination.round, post.status);
      result[outcome].push(nomination.trigger);
    }
    return result;
  });
}

/**
 * The post's author and the authors of duplicates merged into it, earliest
 * first (the earliest valid author gets the main reward). Disabled accounts and
 * vendor staff are left out; one person appears once.
 */
async function rewardableAuthors(
  trx: Transaction<Database>,
  postId: string,
  authorId: string,
  postCreatedAt: Date,
): Promise<{ userId: string; authoredAt: Date }[]> {
  const coauthors = await trx
    .selectFrom('post_coauthor')
    .select(['user_id', 'authored_at'])
    .where('post_id', '=', postId)
    .execute();
  const candidates = [{ userId: authorId, authoredAt: postCreatedAt }, ...coauthors.map((row) => ({ userId: row.user_id, authoredAt: row.authored_at }))];
  const users = await trx
    .selectFrom('app_user')
    .select([
      'id',
      'disabled_at',
      (eb) =>
        eb
          .selectFrom('user_role')
          .select((inner) => inner.fn.agg<string[]>('array_agg', ['role']).as('roles'))
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .as('roles'),
    ])
    .where(
      'id',
      'in',
      candidates.map((candidate) => candidate.userId),
    )
    .execute();
  const valid = new Set(
    users.filter((user) => !user.disabled_at && (user.roles ?? []).every((role) => REWARDABLE_ROLES.has(role))).map((user) => user.id),
  );
  const seen = new Set<string>();
  return candidates
    .filter((candidate) => valid.has(candidate.userId))
    .sort((a, b) => a.authoredAt.getTime() - b.authoredAt.getTime())
    .filter((candidate) => (seen.has(candidate.userId) ? false : (seen.add(candidate.userId), true)));
}

/** The open pool in the currency whose period covers today, ending soonest. */
export async function currentPoolId(trx: Transaction<Database>, currency: string): Promise<string | null> {
  const pool = await trx
    .selectFrom('pool')
    .select('id')
    .where('currency', '=', currency)
    .where('closed_at', 'is', null)
    .where('period_start', '<=', sql<string>`current_date`)
    .where('period_end', '>=', sql<string>`current_date`)
    .orderBy('period_end')
    .orderBy('id')
    .limit(1)
    .executeTakeFirst();
  return pool?.id ?? null;
}

/** Two approvers when the nomination's total (main + co-author shares) reaches the threshold. */
export async function approvalsRequiredFor(
  trx: Transaction<Database>,
  rules: PolicyRules,
  mainMinor: bigint,
  beneficiaryCount: number,
): Promise<number> {
  const { twoApproverThresholdMinor } = await getSettings(trx);
  const total = mainMinor + coauthorShare(rules, mainMinor) * BigInt(Math.max(0, beneficiaryCount - 1));
  return total >= BigInt(twoApproverThresholdMinor) ? 2 : 1;
}

/**
 * A rollback: money not yet on its way is released and the nomination
 * cancelled; a reward already paying or paid is flagged for finance instead,
 * never clawed back by the machine.
 */
async function withdrawNomination(
  trx: Transaction<Database>,
  nominationId: string,
  round: number,
  postStatus: string,
): Promise<'cancelled' | 'flagged'> {
  const rewards = await trx
    .selectFrom('reward')
    .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
    .select(['reward.id', 'reward.status', 'reward.gross_minor', 'reward.payout_mode', 'nomination.pool_id'])
    .where('reward.nomination_id', '=', nominationId)
    .forUpdate()
    .execute();
  const underway = rewards.filter((reward) => reward.status === 'paying' || reward.status === 'paid');
  if (underway.length > 0) {
    await trx
      .updateTable('reward')
      .set({ flagged_at: sql<Date>`now()`, flag_reason: `post moved to ${postStatus} after payment started`, updated_at: sql<Date>`now()` })
      .where('id', 'in', underway.map((reward) => reward.id))
      .execute();
    await writeAudit(trx, {
      actorId: null,
      action: 'reward.flag',
      subjectType: 'nomination',
      subjectId: nominationId,
      after: { rewardIds: underway.map((reward) => reward.id), postStatus },
    });
    return 'flagged';
  }
  for (const reward of rewards) {
    if (reward.status !== 'approved' || reward.payout_mode === 'recognition' || !reward.pool_id) continue;
    const gross = BigInt(reward.gross_minor);
    await postLedgerTransaction(trx, {
      kind: 'release',
      idempotencyKey: `release:${reward.id}:${round}`,
      poolId: reward.pool_id,
      memo: 'status rolled back before payment',
      actorId: null,
      lines: [
        { account: { poolId: reward.pool_id, kind: 'pool_reserved' }, amountMinor: -gross },
        { account: { poolId: reward.pool_id, kind: 'pool_available' }, amountMinor: gross },
      ],
    });
  }
  await trx
    .updateTable('reward')
    .set({ status: 'cancelled', updated_at: sql<Date>`now()` })
    .where('nomination_id', '=', nominationId)
    .execute();
  await trx
    .updateTable('nomination')
    .set({ status: 'cancelled', decided_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', nominationId)
    .execute();
  await writeAudit(trx, {
    actorId: null,
    action: 'nomination.cancel',
    subjectType: 'nomination',
    subjectId: nominationId,
    after: { reason: 'status_rolled_back', postStatus },
  });
  return 'cancelled';
}
