import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, RewardMode, RewardTrigger } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';

export const MY_REWARDS_PAGE_SIZE = 25;

/**
 * A reward as its beneficiary sees it. 'returned' is not a stored status: it
 * is an approved reward whose last payment came back and which waits for new
 * payout details (run-payout.server.ts pays again only after they change).
 */
export type MyRewardStatus = 'nominated' | 'approved' | 'paying' | 'paid' | 'returned' | 'recognised' | 'cancelled' | 'rejected';

export interface MyReward {
  id: string;
  /** Null when the post is hidden from its readers and the viewer is not its author. */
  post: { id: string; title: string } | null;
  trigger: RewardTrigger;
  role: 'author' | 'coauthor';
  status: MyRewardStatus;
  /** Fixed at approval: to the member, to their org, or recognition only. Null before. */
  payoutMode: RewardMode | null;
  /** An approved cash reward paid to the member that cannot be paid until they give (new) payout details. */
  needsPayoutDetails: boolean;
  currency: string;
  /** Minor units as digit strings: never a JS number. Withheld and net are known from approval on. */
  grossMinor: string;
  withheldMinor: string | null;
  netMinor: string | null;
  /** Day-level dates ('YYYY-MM-DD', UTC). */
  nominatedDay: string;
  approvedDay: string | null;
  paidDay: string | null;
}

export interface MyRewardsPage {
  rewards: MyReward[];
  nextAfter: string | null;
  /** Across all pages: how many approved cash rewards wait for the member's payout details. */
  awaitingDetails: number;
  /** Across all pages: net amounts paid to the member themselves (not to their org), per currency. */
  paidTotals: Array<{ currency: string; netMinor: string }>;
}

export const ListMyRewardsInputSchema = z.object({
  /** The id of the last reward on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(MY_REWARDS_PAGE_SIZE),
});

const SETTLED_STATUSES = ['approved', 'paying', 'paid'] as const;

/**
 * True for an approved reward paid to the member whose details are missing,
 * or older than the payment that came back: the same rule run-payout's
 * hasFreshPayeeDetails applies before it pays again.
 */
const NEEDS_DETAILS = sql<boolean>`(
  r.status = 'approved' AND r.payout_mode = 'member' AND (
    v.updated_at IS NULL
    OR v.updated_at <= (
      SELECT max(pay.returned_at) FROM payment pay
      WHERE pay.reward_id = r.id AND pay.status IN ('returned', 'failed')
    )
  )
)`;

/** Approved again after a payment came back (returned or failed). */
const WAS_RETURNED = sql<boolean>`(
  r.status = 'approved'
  AND EXISTS (SELECT 1 FROM payment pay WHERE pay.reward_id = r.id AND pay.status IN ('returned', 'failed'))
)`;

/**
 * The viewer's own rewards, newest first, one keyset page at a time. Scoped
 * to the viewer in SQL (the cursor too), so nobody else's reward can appear.
 */
export async function listMyRewards(
  db: Kysely<Database>,
  viewer: Pick<Actor, 'id'>,
  input: z.input<typeof ListMyRewardsInputSchema> = {},
): Promise<MyRewardsPage> {
  const { after, limit } = ListMyRewardsInputSchema.parse(input);
  let query = db
    .selectFrom('reward as r')
    .innerJoin('nomination as n', 'n.id', 'r.nomination_id')
    .innerJoin('post as p', 'p.id', 'n.post_id')
    .leftJoin('identity_vault as v', (join) => join.onRef('v.user_id', '=', 'r.beneficiary_id').on('v.kind', '=', 'payout'))
    .select([
      'r.id',
      'r.role',
      'r.status',
      'r.payout_mode',
      'r.currency',
      'r.gross_minor',
      'r.withheld_minor',
      'r.net_minor',
      'n.trigger',
      'p.id as post_id',
      'p.title as post_title',
      sql<boolean>`p.hidden_at IS NULL OR p.author_id = r.beneficiary_id`.as('post_visible'),
      NEEDS_DETAILS.as('needs_details'),
      WAS_RETURNED.as('was_returned'),
      sql<string>`to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('nominated_day'),
      sql<string | null>`to_char(r.approved_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('approved_day'),
      sql<string | null>`to_char(r.paid_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('paid_day'),
    ])
    .where('r.beneficiary_id', '=', viewer.id)
    .orderBy('r.created_at', 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1);
  if (after) {
    // Keyset on (created_at, id), read from the cursor row itself (the viewer's own only).
    query = query.where(
      sql<boolean>`(r.created_at, r.id) < (SELECT c.created_at, c.id FROM reward c WHERE c.id = ${after} AND c.beneficiary_id = ${viewer.id})`,
    );
  }

  const [rows, awaiting, totals] = await Promise.all([
    query.execute(),
    countRewardsAwaitingDetails(db, viewer),
    db
      .selectFrom('reward as r')
      .select(['r.currency', sql<string>`sum(r.net_minor)::text`.as('net')])
      .where('r.beneficiary_id', '=', viewer.id)
      .where('r.status', '=', 'paid')
      // Paid to their org instead is not paid to them.
      .where('r.payout_mode', '=', 'member')
      .groupBy('r.currency')
      .orderBy('r.currency')
      .execute(),
  ]);

  const page = rows.slice(0, limit);
  return {
    rewards: page.map((row) => {
      const settled = (SETTLED_STATUSES as readonly string[]).includes(row.status) && row.payout_mode !== 'recognition';
      return {
        id: row.id,
        post: row.post_visible ? { id: row.post_id, title: row.post_title } : null,
        trigger: row.trigger,
        role: row.role,
        status: row.was_returned && row.needs_details ? 'returned' : row.status,
        payoutMode: row.payout_mode,
        needsPayoutDetails: Boolean(row.needs_details),
        currency: row.currency,
        grossMinor: row.gross_minor,
        withheldMinor: settled ? row.withheld_minor : null,
        netMinor: settled ? row.net_minor : null,
        nominatedDay: row.nominated_day,
        approvedDay: row.approved_day,
        paidDay: row.paid_day,
      };
    }),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
    awaitingDetails: awaiting,
    paidTotals: totals.map((row) => ({ currency: row.currency, netMinor: row.net })),
  };
}

/** How many of the viewer's approved cash rewards wait for their (new) payout details. */
export async function countRewardsAwaitingDetails(db: Kysely<Database>, viewer: Pick<Actor, 'id'>): Promise<number> {
  const row = await db
    .selectFrom('reward as r')
    .leftJoin('identity_vault as v', (join) => join.onRef('v.user_id', '=', 'r.beneficiary_id').on('v.kind', '=', 'payout'))
    .select(sql<number>`count(*)::int`.as('n'))
    .where('r.beneficiary_id', '=', viewer.id)
    .where(NEEDS_DETAILS)
    .executeTakeFirstOrThrow();
  return row.n;
}
