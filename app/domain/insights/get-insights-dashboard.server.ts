import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { getSettings } from '../settings/settings.server.js';
import { DASHBOARD_WEEKS, INFLOW_WINDOWS, type InflowWindow, OPEN_STATUSES } from './choices.js';
import { requireTriager } from '../triage/triage-roles.js';
import { breakdownByOrg, groupOrgs, listOrgPopulation, type OrgBreakdown } from './org-breakdown.server.js';

export const GetInsightsDashboardInputSchema = z.object({
  locale: z.enum(['en', 'zh-CN']).default('en'),
  inflowDays: z.union(INFLOW_WINDOWS.map((days) => z.literal(days))).default(30),
});
export type GetInsightsDashboardInput = z.input<typeof GetInsightsDashboardInputSchema>;

/** The statuses the status chart draws: merged duplicates are counted on their target, not as a line. */
export const CHART_STATUSES = ['open', 'under_review', 'planned', 'in_progress', 'shipped', 'declined'] as const satisfies readonly PostStatus[];
export type ChartStatus = (typeof CHART_STATUSES)[number];

/** How many orgs the demand chart names; the rest are summed into "other". */
export const DEMAND_ORG_LIMIT = 10;

export type DemandMetrics = { weighted: number; votes: number };

export interface InsightsDashboard {
  /** The Monday (UTC, 'YYYY-MM-DD') of each week shown, oldest first; the last is this week. */
  weeks: string[];
  /** Posts in each status at the end of each week (this week: now). */
  statusOverTime: Array<{ status: ChartStatus; counts: number[] }>;
  /** Median hours from posting to first triage of the posts triaged each week; null for a week with none. */
  triageTime: { medianHours: Array<number | null>; triaged: number[] };
  /** Posts whose triage deadline (posted + SLA) passed untriaged, by the week the deadline fell in. */
  slaBreaches: { counts: number[]; overdueNow: number; slaHours: number };
  /** Posts per product area in the last `days` days, by type. */
  inflow: { days: InflowWindow; areas: Array<{ id: string; name: string; complaints: number; requests: number }> };
  /** Votes on open posts by customer org, made safe by the org breakdown (k-anonymous). */
  demand: OrgBreakdown<DemandMetrics> & { k: number };
}

const DAY_MS = 86_400_000;

/** The Monday 00:00 UTC of each of the last `count` weeks, this week last. */
export function weekStarts(now: Date, count = DASHBOARD_WEEKS): Date[] {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monday = today - ((now.getUTCDay() + 6) % 7) * DAY_MS;
  return Array.from({ length: count }, (_, index) => new Date(monday - (count - 1 - index) * 7 * DAY_MS));
}

const dayKey = (date: Date) => date.toISOString().slice(0, 10);
const weekOf = (column: string) => sql<string>`to_char(date_trunc('week', ${sql.ref(column)} AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`;

/**
 * Everything the staff dashboard draws, in a fixed handful of grouped
 * queries run side by side, each bounded by an index on time (created_at,
 * triaged_at, post_status_change.created_at) except the two that count the
 * current state (posts by status, votes on open posts).
 */
export async function getInsightsDashboard(
  db: Kysely<Database>,
  actor: Actor,
  input: GetInsightsDashboardInput = {},
): Promise<InsightsDashboard> {
  requireTriager(actor);
  const { locale, inflowDays } = GetInsightsDashboardInputSchema.parse(input);
  const settings = await getSettings(db);
  const starts = weekStarts(new Date());
  const weeks = starts.map(dayKey);
  const from = starts[0]!;
  const sla = sql`make_interval(hours => ${settings.triageSlaHours}::int)`;
  const voteWeight = sql<number>`CASE org.value_tier
    WHEN 'strategic' THEN ${settings.tierWeightStrategic}::int
    WHEN 'major' THEN ${settings.tierWeightMajor}::int
    ELSE ${settings.tierWeightStandard}::int END`;

  const [population, statusNow, statusFlows, triage, breaches, overdue, inflow, demandRows] = await Promise.all([
    listOrgPopulation(db),
    db
      .selectFrom('post')
      .select(['post.status', sql<number>`count(*)::int`.as('n')])
      .where('post.hidden_at', 'is', null)
      .groupBy('post.status')
      .execute(),
    // Status moves since the first week: each change leaves one status and
    // enters another; each new post enters the status it started in.
    sql<{ week: string; status: PostStatus; delta: number }>`
      SELECT flow.week, flow.status, sum(flow.delta)::int AS delta FROM (
        SELECT ${weekOf('change.created_at')} AS week, change.to_status AS status, 1 AS delta
          FROM post_status_change AS change JOIN post ON post.id = change.post_id
          WHERE change.created_at >= ${from} AND post.hidden_at IS NULL
        UNION ALL
        SELECT ${weekOf('change.created_at')}, change.from_status, -1
          FROM post_status_change AS change JOIN post ON post.id = change.post_id
          WHERE change.created_at >= ${from} AND post.hidden_at IS NULL
        UNION ALL
        SELECT ${weekOf('post.created_at')}, coalesce(first_change.from_status, post.status), 1
          FROM post LEFT JOIN LATERAL (
            SELECT first.from_status FROM post_status_change AS first
              WHERE first.post_id = post.id ORDER BY first.created_at, first.id LIMIT 1
          ) AS first_change ON true
          WHERE post.created_at >= ${from} AND post.hidden_at IS NULL
      ) AS flow
      GROUP BY flow.week, flow.status`.execute(db),
    db
      .selectFrom('post')
      .select([
        weekOf('post.triaged_at').as('week'),
        sql<number>`percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM post.triaged_at - post.created_at)) / 3600`.as(
          'median_hours',
        ),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('post.triaged_at', '>=', from)
      .where('post.hidden_at', 'is', null)
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('post')
      .select([
        sql<string>`to_char(date_trunc('week', (post.created_at + ${sla}) AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`.as('week'),
        sql<number>`count(*)::int`.as('n'),
      ])
      .where('post.hidden_at', 'is', null)
      .where('post.created_at', '>=', sql<Date>`${from}::timestamptz - ${sla}`)
      .where(sql<boolean>`post.created_at + ${sla} <= now()`)
      .where(sql<boolean>`(post.triaged_at IS NULL OR post.triaged_at > post.created_at + ${sla})`)
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('post')
      .select(sql<number>`count(*)::int`.as('n'))
      .where('post.triaged_at', 'is', null)
      .where('post.hidden_at', 'is', null)
      .where(sql<boolean>`post.created_at < now() - ${sla}`)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('product_area')
      .leftJoin('post', (join) =>
        join
          .onRef('post.product_area_id', '=', 'product_area.id')
          .on('post.hidden_at', 'is', null)
          .on('post.created_at', '>=', sql<Date>`now() - make_interval(days => ${inflowDays}::int)`),
      )
      .select([
        'product_area.id',
        locale === 'zh-CN' ? 'product_area.name_zh as name' : 'product_area.name_en as name',
        sql<number>`count(post.id) FILTER (WHERE post.type = 'complaint')::int`.as('complaints'),
        sql<number>`count(post.id) FILTER (WHERE post.type = 'request')::int`.as('requests'),
      ])
      // An archived area still shows while it has recent posts.
      .where((eb) => eb.or([eb('product_area.archived_at', 'is', null), eb('post.id', 'is not', null)]))
      .groupBy('product_area.id')
      .orderBy(sql`count(post.id)`, 'desc')
      .orderBy('product_area.position')
      .orderBy('product_area.id')
      .execute(),
    db
      .selectFrom('vote')
      .innerJoin('post', 'post.id', 'vote.post_id')
      .innerJoin('app_user as voter', 'voter.id', 'vote.voter_id')
      .innerJoin('org', 'org.id', 'voter.org_id')
      .select([
        'org.id as org_id',
        sql<number>`sum(${voteWeight})::int`.as('weighted'),
        sql<number>`count(*)::int`.as('votes'),
      ])
      .where('post.status', 'in', OPEN_STATUSES)
      .where('post.hidden_at', 'is', null)
      .groupBy('org.id')
      .execute(),
  ]);

  return {
    weeks,
    statusOverTime: statusSeries(weeks, statusNow, statusFlows.rows),
    triageTime: {
      medianHours: weeks.map((week) => {
        const found = triage.find((row) => row.week === week);
        return found ? Math.round(Number(found.median_hours) * 10) / 10 : null;
      }),
      triaged: weeks.map((week) => triage.find((row) => row.week === week)?.n ?? 0),
    },
    slaBreaches: {
      counts: weeks.map((week) => breaches.find((row) => row.week === week)?.n ?? 0),
      overdueNow: overdue.n,
      slaHours: settings.triageSlaHours,
    },
    inflow: { days: inflowDays, areas: inflow },
    demand: {
      ...breakdownByOrg(
        groupOrgs(population, settings.anonymityThreshold),
        demandRows.map((row) => ({ orgId: row.org_id, metrics: { weighted: row.weighted, votes: row.votes } })),
        { rankBy: 'weighted', limit: DEMAND_ORG_LIMIT },
      ),
      k: settings.anonymityThreshold,
    },
  };
}

/**
 * Counts per status at the end of each week, worked back from today's
 * counts: at the end of week i a status held today's count minus what
 * flowed into it after that week. Never below zero, even if a status was
 * once set without a recorded change.
 */
function statusSeries(
  weeks: readonly string[],
  now: ReadonlyArray<{ status: PostStatus; n: number }>,
  flows: ReadonlyArray<{ week: string; status: PostStatus; delta: number }>,
): InsightsDashboard['statusOverTime'] {
  return CHART_STATUSES.map((status) => {
    const current = now.find((row) => row.status === status)?.n ?? 0;
    const deltas = weeks.map((week) => flows.find((row) => row.week === week && row.status === status)?.delta ?? 0);
    const counts = weeks.map((_, index) => {
      const later = deltas.slice(index + 1).reduce((sum, delta) => sum + delta, 0);
      return Math.max(0, current - later);
    });
    return { status, counts };
  });
}
