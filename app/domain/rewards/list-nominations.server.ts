import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, NominationStatus, PostStatus, PostType, RewardMode, RewardTrigger, ValueTier } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import type { Actor } from '../admin/actor.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { getSettings } from '../settings/settings.server.js';
import { NOMINATION_STATUS_VIEWS } from './nomination-views.js';

export const NOMINATION_PAGE_SIZE = 20;

export const ListNominationsInputSchema = z.object({
  status: z.enum(NOMINATION_STATUS_VIEWS),
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(50).default(NOMINATION_PAGE_SIZE),
});
export type ListNominationsInput = z.input<typeof ListNominationsInputSchema>;

/**
 * A person a nomination rewards, as finance sees them: the pseudonym, never a
 * name; the org only as its value tier, and only when it has at least the
 * anonymity threshold of active members; and how the org lets its people be
 * rewarded (what approving will do).
 */
export interface BeneficiaryView {
  rewardId: string;
  pseudonym: string;
  pseudonymZh: string;
  role: 'author' | 'coauthor';
  orgTier: ValueTier | null;
  /** The org's current reward mode; a member without an org gets recognition only. */
  orgRewardMode: RewardMode;
}

export interface NominationListItem {
  id: string;
  status: NominationStatus;
  trigger: RewardTrigger;
  round: number;
  post: { id: string; title: string; type: PostType; status: PostStatus; voteCount: number; orgCount: number };
  policyVersion: number;
  currency: string;
  /** What the policy computed and what it stands at now, in minor units (digit strings). */
  computedMinor: string;
  amountMinor: string;
  impactPercent: number;
  beneficiaries: BeneficiaryView[];
  /** Approvals in the current round, out of the approvals required. */
  approvals: number;
  approvalsRequired: number;
  adjusted: boolean;
  createdAt: Date;
  decidedAt: Date | null;
}

export interface NominationPage {
  nominations: NominationListItem[];
  nextCursor: string | null;
  pendingCount: number;
}

const CursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

/**
 * The nominations queue: pending ones oldest first (the order to work
 * through them), decided ones most recently decided first, keyset-paged.
 * A fixed number of queries per page, whatever its length.
 */
export async function listNominations(db: Kysely<Database>, actor: Actor, input: ListNominationsInput): Promise<NominationPage> {
  requireFinanceRole(actor);
  const { status, after, limit } = ListNominationsInputSchema.parse(input);
  const cursor = decodeCursor(after, CursorSchema);
  const pending = status === 'pending';
  const sortColumn = pending ? 'nomination.created_at' : 'nomination.decided_at';

  let query = db
    .selectFrom('nomination')
    .innerJoin('post', 'post.id', 'nomination.post_id')
    .innerJoin('reward_policy', 'reward_policy.id', 'nomination.policy_id')
    .select([
      'nomination.id',
      'nomination.status',
      'nomination.trigger',
      'nomination.round',
      'nomination.currency',
      'nomination.computed_minor',
      'nomination.amount_minor',
      'nomination.impact_percent',
      'nomination.approvals_required',
      'nomination.created_at',
      'nomination.decided_at',
      'reward_policy.version as policy_version',
      'post.id as post_id',
      'post.title as post_title',
      'post.type as post_type',
      'post.status as post_status',
      'post.vote_count',
      'post.org_count',
      (eb) =>
        eb.exists(eb.selectFrom('nomination_adjustment').select('nomination_adjustment.id').whereRef('nomination_adjustment.nomination_id', '=', 'nomination.id')).as('adjusted'),
    ])
    .where('nomination.status', '=', status);
  if (cursor) {
    query = query.where(
      pending
        ? sql<boolean>`(nomination.created_at, nomination.id) > (${cursor[0]}::timestamptz, ${cursor[1]})`
        : sql<boolean>`(nomination.decided_at, nomination.id) < (${cursor[0]}::timestamptz, ${cursor[1]})`,
    );
  }
  const direction = pending ? 'asc' : 'desc';
  const [rows, pendingCount] = await Promise.all([
    query.orderBy(sortColumn, direction).orderBy('nomination.id', direction).limit(limit + 1).execute(),
    countPendingNominations(db),
  ]);
  const page = rows.slice(0, limit);
  const ids = page.map((row) => row.id);
  const [beneficiaries, approvals] = await Promise.all([listBeneficiaries(db, ids), countApprovals(db, ids)]);
  const last = page.at(-1);
  const lastSortValue = last && (pending ? last.created_at : last.decided_at);
  return {
    nominations: page.map((row) => ({
      id: row.id,
      status: row.status,
      trigger: row.trigger,
      round: row.round,
      post: {
        id: row.post_id,
        title: row.post_title,
        type: row.post_type,
        status: row.post_status,
        voteCount: row.vote_count,
        orgCount: row.org_count,
      },
      policyVersion: row.policy_version,
      currency: row.currency,
      computedMinor: row.computed_minor,
      amountMinor: row.amount_minor,
      impactPercent: row.impact_percent,
      beneficiaries: beneficiaries.get(row.id) ?? [],
      approvals: approvals.get(row.id) ?? 0,
      approvalsRequired: row.approvals_required,
      adjusted: Boolean(row.adjusted),
      createdAt: row.created_at,
      decidedAt: row.decided_at,
    })),
    nextCursor: rows.length > limit && last && lastSortValue ? encodeCursor([new Date(lastSortValue).toISOString(), last.id]) : null,
    pendingCount,
  };
}

/** How many nominations wait for a decision (a partial index holds exactly these). */
export async function countPendingNominations(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom('nomination')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('status', '=', 'pending')
    .executeTakeFirstOrThrow();
  return row.n;
}

/** The beneficiaries of each nomination, the main author first, by pseudonym only. */
export async function listBeneficiaries(db: Kysely<Database>, nominationIds: readonly string[]): Promise<Map<string, BeneficiaryView[]>> {
  const byNomination = new Map<string, BeneficiaryView[]>();
  if (nominationIds.length === 0) return byNomination;
  const [rows, settings] = await Promise.all([
    db
      .selectFrom('reward')
      .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
      .leftJoin('org', 'org.id', 'app_user.org_id')
      .select((eb) => [
        'reward.id',
        'reward.nomination_id',
        'reward.role',
        'app_user.pseudonym',
        'app_user.pseudonym_zh',
        'org.value_tier',
        'org.reward_mode',
        eb
          .selectFrom('app_user as colleague')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('colleague.org_id', '=', 'app_user.org_id')
          .where('colleague.disabled_at', 'is', null)
          .where('colleague.email_verified_at', 'is not', null)
          .as('org_active_members'),
      ])
      .where('reward.nomination_id', 'in', nominationIds)
      .orderBy('reward.nomination_id')
      .orderBy(sql`reward.role = 'author'`, 'desc')
      .orderBy('reward.created_at')
      .execute(),
    getSettings(db),
  ]);
  for (const row of rows) {
    const list = byNomination.get(row.nomination_id) ?? [];
    list.push({
      rewardId: row.id,
      pseudonym: row.pseudonym,
      pseudonymZh: row.pseudonym_zh,
      role: row.role,
      orgTier: row.value_tier !== null && (row.org_active_members ?? 0) >= settings.anonymityThreshold ? row.value_tier : null,
      orgRewardMode: row.reward_mode ?? 'recognition',
    });
    byNomination.set(row.nomination_id, list);
  }
  return byNomination;
}

/** Approvals so far in each nomination's current round (an earlier round's never count again). */
async function countApprovals(db: Kysely<Database>, nominationIds: readonly string[]): Promise<Map<string, number>> {
  if (nominationIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('nomination_decision')
    .innerJoin('nomination', 'nomination.id', 'nomination_decision.nomination_id')
    .select(['nomination_decision.nomination_id', sql<number>`count(*)::int`.as('n')])
    .where('nomination_decision.nomination_id', 'in', nominationIds)
    .whereRef('nomination_decision.round', '=', 'nomination.round')
    .where('nomination_decision.decision', '=', 'approve')
    .groupBy('nomination_decision.nomination_id')
    .execute();
  return new Map(rows.map((row) => [row.nomination_id, row.n]));
}
