import { type Kysely, sql } from 'kysely';
import type { Database, PostStatus, RoadmapStatus } from '../../../db/schema.js';

/** A post on an item, as roadmap pages list it: title, status and counts, never an author. */
export interface LinkedPost {
  id: string;
  title: string;
  status: PostStatus;
  voteCount: number;
  /** Staff lists only: public lists never contain hidden posts. */
  hidden: boolean;
}

export interface LinkedPosts {
  /** The most voted first, up to the page's limit per item. */
  posts: LinkedPost[];
  /** All the item's posts in this audience, listed or not. */
  postCount: number;
  /** Votes on all those posts, summed (a member who voted on two of them counts twice). */
  totalVotes: number;
}

/**
 * Who is looking: the public sees neither hidden posts nor merged ones (their
 * votes moved to the post they were merged into); staff see every linked
 * post, since each one ships with the item.
 */
export type LinkedPostAudience = 'public' | 'staff';

/**
 * The posts of several items in one query: the `perItem` most voted of each,
 * with each item's full count and vote total from window functions, so a
 * page never loads an item's thousand posts to show ten.
 */
export async function listLinkedPosts(
  db: Kysely<Database>,
  itemIds: readonly string[],
  { audience, perItem }: { audience: LinkedPostAudience; perItem: number },
): Promise<Map<string, LinkedPosts>> {
  const byItem = new Map<string, LinkedPosts>(itemIds.map((id) => [id, { posts: [], postCount: 0, totalVotes: 0 }]));
  if (itemIds.length === 0) return byItem;
  const ranked = db
    .selectFrom('post')
    .select([
      'post.id',
      'post.title',
      'post.status',
      'post.vote_count',
      'post.hidden_at',
      'post.roadmap_item_id',
      sql<number>`(row_number() OVER (PARTITION BY post.roadmap_item_id ORDER BY post.vote_count DESC, post.id))::int`.as('rank'),
      sql<number>`(count(*) OVER (PARTITION BY post.roadmap_item_id))::int`.as('post_count'),
      sql<number>`(sum(post.vote_count) OVER (PARTITION BY post.roadmap_item_id))::int`.as('total_votes'),
    ])
    .where('post.roadmap_item_id', 'in', [...itemIds])
    .$if(audience === 'public', (qb) => qb.where('post.hidden_at', 'is', null).where('post.status', '<>', 'merged'));
  const rows = await db
    .selectFrom(ranked.as('ranked'))
    .selectAll()
    .where('ranked.rank', '<=', perItem)
    .orderBy('ranked.roadmap_item_id')
    .orderBy('ranked.rank')
    .execute();
  for (const row of rows) {
    const entry = byItem.get(row.roadmap_item_id!)!;
    entry.postCount = row.post_count;
    entry.totalVotes = row.total_votes;
    entry.posts.push({
      id: row.id,
      title: row.title,
      status: row.status,
      voteCount: row.vote_count,
      hidden: row.hidden_at !== null,
    });
  }
  return byItem;
}

/** A roadmap item as the public board and the changelog show it. */
export interface RoadmapCard extends LinkedPosts {
  id: string;
  title: string;
  /** Sanitised when written (renderMarkdown), safe to insert as is. */
  descriptionHtml: string;
  status: RoadmapStatus;
  /** 'YYYY-MM-DD' in UTC, for shipped items. */
  shippedDay: string | null;
}

/** The columns a card needs, for queries on roadmap_item. */
export const CARD_COLUMNS = [
  'roadmap_item.id',
  'roadmap_item.title',
  'roadmap_item.description_html',
  'roadmap_item.status',
  sql<string | null>`to_char(roadmap_item.shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('shipped_day'),
] as const;

interface CardRow {
  id: string;
  title: string;
  description_html: string;
  status: RoadmapStatus;
  shipped_day: string | null;
}

/** Cards for item rows, with their public posts (one more query for all of them). */
export async function toPublicCards(db: Kysely<Database>, rows: readonly CardRow[], postsPerItem: number): Promise<RoadmapCard[]> {
  const linked = await listLinkedPosts(
    db,
    rows.map((row) => row.id),
    { audience: 'public', perItem: postsPerItem },
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    descriptionHtml: row.description_html,
    status: row.status,
    shippedDay: row.shipped_day,
    ...linked.get(row.id)!,
  }));
}
