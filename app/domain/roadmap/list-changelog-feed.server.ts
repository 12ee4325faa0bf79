import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { type LinkedPosts, listLinkedPosts } from './roadmap-cards.server.js';

export const CHANGELOG_FEED_LIMITS = { entries: 50, postsPerItem: 10 } as const;

export interface ChangelogFeedEntry extends LinkedPosts {
  id: string;
  title: string;
  descriptionHtml: string;
  shippedAt: Date;
  /** Last edit or ship, whichever is later: what a feed reader calls updated. */
  updatedAt: Date;
}

/** The latest shipped items for the Atom feed, newest first, with their public posts. */
export async function listChangelogFeed(db: Kysely<Database>): Promise<ChangelogFeedEntry[]> {
  const rows = await db
    .selectFrom('roadmap_item')
    .select(['id', 'title', 'description_html', 'shipped_at', 'updated_at'])
    .where('shipped_at', 'is not', null)
    .orderBy('shipped_at', 'desc')
    .orderBy('id', 'desc')
    .limit(CHANGELOG_FEED_LIMITS.entries)
    .execute();
  const linked = await listLinkedPosts(
    db,
    rows.map((row) => row.id),
    { audience: 'public', perItem: CHANGELOG_FEED_LIMITS.postsPerItem },
  );
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    descriptionHtml: row.description_html,
    shippedAt: row.shipped_at!,
    updatedAt: row.updated_at > row.shipped_at! ? row.updated_at : row.shipped_at!,
    ...linked.get(row.id)!,
  }));
}
