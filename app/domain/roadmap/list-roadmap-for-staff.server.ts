import { type Kysely, sql } from 'kysely';
import type { Database, RoadmapStatus } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { requireTriager } from '../triage/triage-roles.js';
import { type LinkedPost, listLinkedPosts } from './roadmap-cards.server.js';
import { SHIP_BLOCKING_STATUSES } from './ship-roadmap-item.server.js';

export const STAFF_ROADMAP_LIMITS = { openPerColumn: 100, shipped: 20, postsPerItem: 100 } as const;

export interface StaffLinkedPost extends LinkedPost {
  /** Declined or merged: the item cannot ship until it is unlinked or its status changes. */
  blocksShipping: boolean;
}

export interface StaffRoadmapItem {
  id: string;
  title: string;
  /** The Markdown source, for the edit form. */
  description: string;
  descriptionHtml: string;
  status: RoadmapStatus;
  /** The version edit forms send back, for the "changed meanwhile" check. */
  version: number;
  shippedDay: string | null;
  posts: StaffLinkedPost[];
  postCount: number;
  totalVotes: number;
  /** Linked posts that stop the item from shipping, listed or not. */
  blockerCount: number;
}

export interface StaffRoadmap {
  planned: StaffRoadmapItem[];
  inProgress: StaffRoadmapItem[];
  /** The latest shipped items, still editable (title and description). */
  shipped: StaffRoadmapItem[];
}

/** The roadmap as its editors manage it: every linked post, hidden and merged ones marked. */
export async function listRoadmapForStaff(db: Kysely<Database>, actor: Actor): Promise<StaffRoadmap> {
  requireTriager(actor);
  const items = db
    .selectFrom('roadmap_item')
    .select([
      'id',
      'title',
      'description',
      'description_html',
      'status',
      'version',
      sql<string | null>`to_char(shipped_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('shipped_day'),
    ]);
  const [planned, inProgress, shipped] = await Promise.all([
    items.where('status', '=', 'planned').orderBy('position').orderBy('id').limit(STAFF_ROADMAP_LIMITS.openPerColumn).execute(),
    items.where('status', '=', 'in_progress').orderBy('position').orderBy('id').limit(STAFF_ROADMAP_LIMITS.openPerColumn).execute(),
    items
      .where('shipped_at', 'is not', null)
      .orderBy('shipped_at', 'desc')
      .orderBy('id', 'desc')
      .limit(STAFF_ROADMAP_LIMITS.shipped)
      .execute(),
  ]);
  const all = [...planned, ...inProgress, ...shipped];
  const ids = all.map((row) => row.id);
  const [linked, blockerRows] = await Promise.all([
    listLinkedPosts(db, ids, { audience: 'staff', perItem: STAFF_ROADMAP_LIMITS.postsPerItem }),
    ids.length === 0
      ? Promise.resolve([])
      : db
          .selectFrom('post')
          .select(['roadmap_item_id', sql<number>`count(*)::int`.as('n')])
          .where('roadmap_item_id', 'in', ids)
          .where('status', 'in', [...SHIP_BLOCKING_STATUSES])
          .groupBy('roadmap_item_id')
          .execute(),
  ]);
  const blockers = new Map(blockerRows.map((row) => [row.roadmap_item_id!, row.n]));
  const toItem = (row: (typeof all)[number]): StaffRoadmapItem => {
    const { posts, postCount, totalVotes } = linked.get(row.id)!;
    return {
      id: row.id,
      title: row.title,
      description: row.description,
      descriptionHtml: row.description_html,
      status: row.status,
      version: row.version,
      shippedDay: row.shipped_day,
      posts: posts.map((post) => ({ ...post, blocksShipping: SHIP_BLOCKING_STATUSES.includes(post.status) })),
      postCount,
      totalVotes,
      blockerCount: blockers.get(row.id) ?? 0,
    };
  };
  return { planned: planned.map(toItem), inProgress: inProgress.map(toItem), shipped: shipped.map(toItem) };
}
