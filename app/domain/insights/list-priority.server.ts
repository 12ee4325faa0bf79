import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Locale, PostType } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { POST_TYPE_CHOICES } from '../posts/choices.js';
import { listProductAreas, type ProductAreaOption } from '../posts/list-product-areas.server.js';
import { getSettings, type Settings } from '../settings/settings.server.js';
import {
  OPEN_STATUSES,
  ORG_GROUPS,
  PRIORITY_EXPORT_MAX_ROWS,
  PRIORITY_SORTS,
  PRIORITY_STATUS_CHOICES,
  type PrioritySort,
  type PriorityStatus,
  SORT_DIRECTIONS,
  type SortDirection,
} from './choices.js';
import { requireTriager } from '../triage/triage-roles.js';
import { groupOrgs, listOrgPopulation, orgIdsForFilter } from './org-breakdown.server.js';

export const PRIORITY_PAGE_SIZE = 50;

export const PriorityFiltersSchema = z.object({
  /** None chosen means the open ones. */
  statuses: z
    .array(z.enum(PRIORITY_STATUS_CHOICES))
    .max(PRIORITY_STATUS_CHOICES.length)
    .optional()
    .transform((chosen): PriorityStatus[] => (chosen?.length ? [...new Set(chosen)] : [...OPEN_STATUSES])),
  type: z.enum(POST_TYPE_CHOICES).optional(),
  productAreaId: z.string().min(1).max(64).optional(),
  tagId: z.string().min(1).max(64).optional(),
  orgGroup: z.enum(ORG_GROUPS).optional(),
  sort: z.enum(PRIORITY_SORTS).default('score'),
  dir: z.enum(SORT_DIRECTIONS).default('desc'),
  locale: z.enum(['en', 'zh-CN']).default('en'),
});
export type PriorityFilters = z.input<typeof PriorityFiltersSchema>;
type ParsedFilters = z.output<typeof PriorityFiltersSchema>;

export const ListPriorityInputSchema = PriorityFiltersSchema.extend({
  /** The cursor of the last row of the page before. */
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(100).default(PRIORITY_PAGE_SIZE),
});
export type ListPriorityInput = z.input<typeof ListPriorityInputSchema>;

export interface PriorityRow {
  id: string;
  /** Place by score among all the posts the filters match (ties share a place). */
  rank: number;
  title: string;
  type: PostType;
  status: PriorityStatus;
  areaName: string;
  /** Votes weighted by each voter's org tier, with the weights in settings now. */
  score: number;
  votes: number;
  orgs: number;
  /** The post's own impact plus its merged duplicates'; null when nobody gave one. */
  impactHours: number | null;
  impactSites: number | null;
  /** 'YYYY-MM-DD' (UTC): a member's post is dated to the day. */
  createdDay: string;
  ageDays: number;
}

export interface PriorityPage {
  rows: PriorityRow[];
  /** How many posts the filters match in all. */
  total: number;
  nextCursor: string | null;
  weights: { strategic: number; major: number; standard: number };
}

type TierWeights = Pick<Settings, 'tierWeightStrategic' | 'tierWeightMajor' | 'tierWeightStandard'>;

/**
 * The posts the filters match, ranked by a score computed from their votes
 * with today's tier weights (post.weighted_score is a cache written at vote
 * time, so a weight change would not show there until the next vote). A
 * filter by org group counts only that group's votes and lists only posts
 * it voted for; it is refused when it would single out fewer than k people
 * (org-breakdown.server.ts). Never lists a hidden or merged post.
 */
function scoredPosts(db: Kysely<Database>, filters: ParsedFilters, weights: TierWeights, voterOrgIds: string[] | null) {
  const voteWeight = sql<number>`CASE org.value_tier
    WHEN 'strategic' THEN ${weights.tierWeightStrategic}::int
    WHEN 'major' THEN ${weights.tierWeightMajor}::int
    ELSE ${weights.tierWeightStandard}::int END`;
  let query = db
    .selectFrom('post')
    .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
    .innerJoin('app_user as author', 'author.id', 'post.author_id')
    // Per post through the vote primary key (post_id, voter_id): the work
    // follows the matching posts' votes, not the whole vote table.
    .leftJoinLateral(
      (eb) => {
        let votes = eb
          .selectFrom('vote')
          .innerJoin('app_user as voter', 'voter.id', 'vote.voter_id')
          .leftJoin('org', 'org.id', 'voter.org_id')
          .select([
            sql<number>`coalesce(sum(${voteWeight}), 0)::int`.as('score'),
            sql<number>`count(*)::int`.as('votes'),
            sql<number>`count(DISTINCT voter.org_id)::int`.as('orgs'),
          ])
          .whereRef('vote.post_id', '=', 'post.id');
        if (voterOrgIds) votes = votes.where(sql<boolean>`voter.org_id = ANY(${voterOrgIds}::text[])`);
        return votes.as('tally');
      },
      (join) => join.onTrue(),
    )
    // What the duplicates merged into this post said they cost (one level).
    .leftJoinLateral(
      (eb) =>
        eb
          .selectFrom('post_merge')
          .innerJoin('post as duplicate', 'duplicate.id', 'post_merge.source_post_id')
          .select([
            sql<number | null>`sum(duplicate.impact_hours_per_week)::int`.as('hours'),
            sql<string | null>`sum(duplicate.impact_sites)::bigint`.as('sites'),
          ])
          .whereRef('post_merge.target_post_id', '=', 'post.id')
          .where('post_merge.undone_at', 'is', null)
          .where('duplicate.hidden_at', 'is', null)
          .as('duplicates'),
      (join) => join.onTrue(),
    )
    .select([
      'post.id',
      'post.title',
      'post.type',
      sql<PriorityStatus>`post.status`.as('status'),
      'post.created_at',
      sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('created_day'),
      sql<number>`floor(extract(epoch FROM now() - post.created_at) / 86400)::int`.as('age_days'),
      filters.locale === 'zh-CN' ? 'product_area.name_zh as area_name' : 'product_area.name_en as area_name',
      'author.pseudonym as author_pseudonym',
      'author.pseudonym_zh as author_pseudonym_zh',
      sql<number>`coalesce(tally.score, 0)`.as('score'),
      sql<number>`coalesce(tally.votes, 0)`.as('votes'),
      sql<number>`coalesce(tally.orgs, 0)`.as('orgs'),
      sql<number | null>`CASE WHEN post.impact_hours_per_week IS NULL AND duplicates.hours IS NULL THEN NULL
        ELSE coalesce(post.impact_hours_per_week, 0) + coalesce(duplicates.hours, 0) END`.as('impact_hours'),
      sql<string | null>`CASE WHEN post.impact_sites IS NULL AND duplicates.sites IS NULL THEN NULL
        ELSE coalesce(post.impact_sites, 0)::bigint + coalesce(duplicates.sites, 0) END`.as('impact_sites'),
      sql<number>`rank() OVER (ORDER BY coalesce(tally.score, 0) DESC)::int`.as('rank'),
      sql<number>`count(*) OVER ()::int`.as('total'),
    ])
    .where('post.hidden_at', 'is', null)
    .where('post.merged_into_id', 'is', null)
    .where('post.status', 'in', filters.statuses);
  if (filters.type) query = query.where('post.type', '=', filters.type);
  if (filters.productAreaId) query = query.where('post.product_area_id', '=', filters.productAreaId);
  if (filters.tagId) {
    const tagId = filters.tagId;
    query = query.where((eb) =>
      eb.exists(eb.selectFrom('post_tag').select('post_tag.post_id').whereRef('post_tag.post_id', '=', 'post.id').where('post_tag.tag_id', '=', tagId)),
    );
  }
  if (voterOrgIds) query = query.where(sql<boolean>`coalesce(tally.votes, 0) > 0`);
  return query;
}

// The column each sort orders by; a missing impact sorts as 0. "Age, oldest
// first" (desc) is created_at ascending.
const SORT_VALUES = {
  score: sql`scored.score`,
  votes: sql`scored.votes`,
  orgs: sql`scored.orgs`,
  hours: sql`coalesce(scored.impact_hours, 0)`,
  sites: sql`coalesce(scored.impact_sites, 0)`,
  age: sql`scored.created_at`,
} as const satisfies Record<PrioritySort, unknown>;

function sqlDirection(sort: PrioritySort, dir: SortDirection): SortDirection {
  if (sort !== 'age') return dir;
  return dir === 'desc' ? 'asc' : 'desc';
}

/** Opaque to the browser: base64url JSON of [sort, dir, value, id]; a cursor made for another order is ignored. */
function encodeCursor(sort: PrioritySort, dir: SortDirection, value: string, id: string): string {
  return Buffer.from(JSON.stringify([sort, dir, value, id])).toString('base64url');
}

function decodeCursor(cursor: string, sort: PrioritySort, dir: SortDirection): { value: string; id: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 4) return undefined;
    const [madeFor, madeDir, value, id] = parsed as unknown[];
    if (madeFor !== sort || madeDir !== dir || typeof value !== 'string' || typeof id !== 'string') return undefined;
    if (id.length === 0 || id.length > 64) return undefined;
    const valid = sort === 'age' ? !Number.isNaN(Date.parse(value)) && value.length <= 40 : /^\d{1,18}$/.test(value);
    return valid ? { value, id } : undefined;
  } catch {
    return undefined;
  }
}

async function voterOrgIdsFor(db: Kysely<Database>, filters: ParsedFilters, k: number): Promise<string[] | null> {
  if (!filters.orgGroup) return null;
  return orgIdsForFilter(groupOrgs(await listOrgPopulation(db), k), filters.orgGroup);
}

function ordered(db: Kysely<Database>, filters: ParsedFilters, settings: Settings, voterOrgIds: string[] | null) {
  const value = SORT_VALUES[filters.sort];
  const direction = sqlDirection(filters.sort, filters.dir);
  const cursorValue =
    filters.sort === 'age'
      ? sql<string>`to_char(scored.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : sql<string>`(${value})::text`;
  return {
    direction,
    value,
    query: db
      .selectFrom(scoredPosts(db, filters, settings, voterOrgIds).as('scored'))
      .select([
        'scored.id',
        'scored.rank',
        'scored.title',
        'scored.type',
        'scored.status',
        'scored.area_name',
        'scored.score',
        'scored.votes',
        'scored.orgs',
        'scored.impact_hours',
        'scored.impact_sites',
        'scored.created_day',
        'scored.age_days',
        'scored.total',
        'scored.author_pseudonym',
        'scored.author_pseudonym_zh',
        cursorValue.as('cursor_value'),
      ]),
  };
}

type OrderedRow = Awaited<ReturnType<ReturnType<typeof ordered>['query']['execute']>>[number];

function toPriorityRow(row: OrderedRow): PriorityRow {
  return {
    id: row.id,
    rank: row.rank,
    title: row.title,
    type: row.type,
    status: row.status,
    areaName: row.area_name,
    score: row.score,
    votes: row.votes,
    orgs: row.orgs,
    impactHours: row.impact_hours,
    impactSites: row.impact_sites === null ? null : Number(row.impact_sites),
    createdDay: row.created_day,
    ageDays: row.age_days,
  };
}

/** One page of the priority view (keyset paged: no OFFSET), for triagers and product admins. */
export async function listPriority(db: Kysely<Database>, actor: Actor, input: ListPriorityInput = {}): Promise<PriorityPage> {
  requireTriager(actor);
  const { after, limit, ...filters } = ListPriorityInputSchema.parse(input);
  const settings = await getSettings(db);
  const voterOrgIds = await voterOrgIdsFor(db, filters, settings.anonymityThreshold);
  const { query, value, direction } = ordered(db, filters, settings, voterOrgIds);
  const cursor = after ? decodeCursor(after, filters.sort, filters.dir) : undefined;
  const bound = cursor ? (filters.sort === 'age' ? sql`${cursor.value}::timestamptz` : sql`${cursor.value}::bigint`) : null;
  const rows = await query
    .$if(bound !== null, (qb) =>
      qb.where(sql<boolean>`(${value}, scored.id) ${sql.raw(direction === 'desc' ? '<' : '>')} (${bound}, ${cursor?.id ?? ''})`),
    )
    .orderBy(value, direction)
    .orderBy('scored.id', direction)
    .limit(limit + 1)
    .execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page.map(toPriorityRow),
    total: rows[0]?.total ?? 0,
    nextCursor: rows.length > limit && last ? encodeCursor(filters.sort, filters.dir, last.cursor_value, last.id) : null,
    weights: {
      strategic: settings.tierWeightStrategic,
      major: settings.tierWeightMajor,
      standard: settings.tierWeightStandard,
    },
  };
}

export interface PriorityExportRow extends PriorityRow {
  /** The author's pseudonym in the reader's language: never a name, email or org. */
  author: string;
}

export interface PriorityExport {
  rows: PriorityExportRow[];
  /** True when the filters match more than PRIORITY_EXPORT_MAX_ROWS posts. */
  truncated: boolean;
}

/** The same list as the priority view, in the same order, whole (up to the export limit), for the CSV. */
export async function exportPriority(db: Kysely<Database>, actor: Actor, input: PriorityFilters = {}): Promise<PriorityExport> {
  requireTriager(actor);
  const filters = PriorityFiltersSchema.parse(input);
  const settings = await getSettings(db);
  const voterOrgIds = await voterOrgIdsFor(db, filters, settings.anonymityThreshold);
  const { query, value, direction } = ordered(db, filters, settings, voterOrgIds);
  const rows = await query
    .orderBy(value, direction)
    .orderBy('scored.id', direction)
    .limit(PRIORITY_EXPORT_MAX_ROWS + 1)
    .execute();
  return {
    rows: rows.slice(0, PRIORITY_EXPORT_MAX_ROWS).map((row) => ({
      ...toPriorityRow(row),
      author: filters.locale === 'zh-CN' ? row.author_pseudonym_zh : row.author_pseudonym,
    })),
    truncated: rows.length > PRIORITY_EXPORT_MAX_ROWS,
  };
}

export interface TagOption {
  id: string;
  name: string;
}

export interface PriorityFilterOptions {
  areas: ProductAreaOption[];
  tags: TagOption[];
  /** The anonymity threshold: an org group filter must stand for at least this many people. */
  k: number;
}

/** The areas and tags the priority filters offer, named in the reader's language. */
export async function listPriorityFilterOptions(db: Kysely<Database>, locale: Locale): Promise<PriorityFilterOptions> {
  const [areas, tags, settings] = await Promise.all([
    listProductAreas(db, locale),
    db
      .selectFrom('tag')
      .select(['id', locale === 'zh-CN' ? 'name_zh as name' : 'name_en as name'])
      .where('archived_at', 'is', null)
      .orderBy(locale === 'zh-CN' ? 'name_zh' : 'name_en')
      .execute(),
    getSettings(db),
  ]);
  return { areas, tags: tags.map((tag) => ({ id: tag.id, name: tag.name })), k: settings.anonymityThreshold };
}
