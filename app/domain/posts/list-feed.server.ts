import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Locale, PostStatus, PostType } from '../../../db/schema.js';
import type { TagView } from '../tags/choices.js';
import { listTagsOfPosts } from '../tags/list-tags.server.js';
import { FEED_SORTS, type FeedSort, POST_STATUS_CHOICES, POST_TYPE_CHOICES } from './choices.js';

export const ListFeedInputSchema = z.object({
  sort: z.enum(FEED_SORTS).default('trending'),
  type: z.enum(POST_TYPE_CHOICES).optional(),
  productAreaId: z.string().max(64).optional(),
  status: z.enum(POST_STATUS_CHOICES).optional(),
  /** A tag's slug: only posts carrying it. */
  tag: z.string().max(40).optional(),
  /** The cursor of the last row of the page before (older). */
  after: z.string().max(200).optional(),
  /** The cursor of the first row of the page after (newer). */
  before: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(25),
  locale: z.enum(['en', 'zh-CN']).default('en'),
});
export type ListFeedInput = z.input<typeof ListFeedInputSchema>;

export interface FeedRow {
  id: string;
  title: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
  orgCount: number;
  commentCount: number;
  /** Day-level only ('YYYY-MM-DD', UTC): member actions never show their exact time. */
  createdDay: string;
  areaName: string;
  tags: TagView[];
}

export interface FeedPage {
  posts: FeedRow[];
  /** Cursor for the next (older, lower-ranked) page, or null on the last. */
  nextCursor: string | null;
  /** Cursor for the previous (newer, higher-ranked) page, or null on the first. */
  prevCursor: string | null;
}

// Each sort's column has an index (column DESC, id DESC) WHERE hidden_at IS NULL.
const SORT_COLUMNS = {
  trending: 'post.hot_rank',
  top: 'post.weighted_score',
  newest: 'post.created_at',
  orgs: 'post.org_count',
} as const satisfies Record<FeedSort, string>;

type CursorValue = number | string;

/** Opaque to the browser: base64url JSON of [sortValue, id]. */
export function encodeFeedCursor(value: CursorValue, id: string): string {
  return Buffer.from(JSON.stringify([value, id])).toString('base64url');
}

/** The cursor's parts, or undefined when it was not made for this sort (a tampered or stale link). */
export function decodeFeedCursor(cursor: string, sort: FeedSort): { value: CursorValue; id: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [value, id] = parsed as [unknown, unknown];
    if (typeof id !== 'string' || id.length === 0 || id.length > 64) return undefined;
    if (sort === 'newest') {
      return typeof value === 'string' && !Number.isNaN(Date.parse(value)) ? { value, id } : undefined;
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) return undefined;
    if (sort !== 'trending' && !(Number.isInteger(value) && Math.abs(value) < 2 ** 31)) return undefined;
    return { value, id };
  } catch {
    return undefined;
  }
}

/**
 * One page of the feed in the chosen order, keyset-paged (no OFFSET): rows
 * come strictly after (or before) the cursor's (sort value, id), so a post
 * added meanwhile never shifts a page and none is shown twice or skipped.
 * Hidden posts are never listed.
 */
export async function listFeed(db: Kysely<Database>, _viewer: { id: string } | null, input: ListFeedInput = {}): Promise<FeedPage> {
  const { sort, type, productAreaId, status, tag, after, before, limit, locale } = ListFeedInputSchema.parse(input);
  const column = SORT_COLUMNS[sort];
  // Microseconds matter: a cursor rounded to milliseconds would skip rows.
  const sortValue =
    sort === 'newest'
      ? sql<CursorValue>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`
      : sql<CursorValue>`${sql.ref(column)}`;
  const backwards = !after && Boolean(before);
  const cursor = after ? decodeFeedCursor(after, sort) : before ? decodeFeedCursor(before, sort) : undefined;

  let query = db
    .selectFrom('post')
    .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
    .select([
      'post.id',
      'post.title',
      'post.type',
      'post.status',
      'post.vote_count',
      'post.org_count',
      'post.comment_count',
      sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('created_day'),
      (locale as Locale) === 'zh-CN' ? 'product_area.name_zh as area_name' : 'product_area.name_en as area_name',
      sortValue.as('sort_value'),
    ])
    .where('post.hidden_at', 'is', null);
  if (type) query = query.where('post.type', '=', type);
  if (productAreaId) query = query.where('post.product_area_id', '=', productAreaId);
  if (status) query = query.where('post.status', '=', status);
  // A filter, not a join: each post stays one row, so keyset pages stay exact.
  if (tag) {
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('post_tag')
          .innerJoin('tag', 'tag.id', 'post_tag.tag_id')
          .select('post_tag.post_id')
          .whereRef('post_tag.post_id', '=', 'post.id')
          .where('tag.slug', '=', tag),
      ),
    );
  }
  if (cursor) {
    const bound =
      sort === 'newest'
        ? sql`${cursor.value}::timestamptz`
        : sort === 'trending'
          ? sql`${cursor.value}::double precision`
          : sql`${cursor.value}::integer`;
    query = query.where(
      sql<boolean>`(${sql.ref(column)}, post.id) ${sql.raw(backwards ? '>' : '<')} (${bound}, ${cursor.id})`,
    );
  }
  const direction = backwards ? 'asc' : 'desc';
  const rows = await query
    .orderBy(sql.ref(column), direction)
    .orderBy('post.id', direction)
    .limit(limit + 1)
    .execute();

  const hasMore = rows.length > limit;
  const page = rows.slice(0, limit);
  if (backwards) page.reverse();
  const tags = await listTagsOfPosts(db, page.map((row) => row.id), locale);
  const cursorOf = (row: (typeof page)[number]) => encodeFeedCursor(row.sort_value, row.id);
  const first = page[0];
  const last = page.at(-1);
  return {
    posts: page.map((row) => ({
      id: row.id,
      title: row.title,
      type: row.type,
      status: row.status,
      voteCount: row.vote_count,
      orgCount: row.org_count,
      commentCount: row.comment_count,
      createdDay: row.created_day,
      areaName: row.area_name,
      tags: tags.get(row.id) ?? [],
    })),
    nextCursor: last && (backwards ? Boolean(cursor) : hasMore) ? cursorOf(last) : null,
    prevCursor: first && (backwards ? hasMore : Boolean(cursor)) ? cursorOf(first) : null,
  };
}
