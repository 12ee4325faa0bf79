import type { Kysely } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { searchPosts, type SearchResult } from '../posts/search-posts.server.js';
import { requireTriager } from '../triage/triage-roles.js';

export const POSTS_TO_LINK_LIMIT = 20;

/** Why a found post cannot be linked to the item, so the page says it instead of offering a button. */
export type LinkRefusal = 'on_this_item' | 'on_other_item' | 'merged' | 'declined';

export interface PostToLink extends Pick<SearchResult, 'id' | 'title' | 'status' | 'voteCount' | 'areaName' | 'createdDay'> {
  /** The item the post is on now, if any. */
  roadmapItem: { id: string; title: string } | null;
  refusal: LinkRefusal | null;
}

/**
 * Posts matching a search (the site's own search, so hidden posts never
 * show), each with the item it is already on and whether it can be linked
 * to `itemId`: the same rules linkPostToRoadmapItem enforces.
 */
export async function findPostsToLink(
  db: Kysely<Database>,
  actor: Actor,
  input: { itemId: string; query: string; locale: Locale },
): Promise<PostToLink[]> {
  requireTriager(actor);
  const { results: found } = await searchPosts(db, actor, { query: input.query, locale: input.locale, limit: POSTS_TO_LINK_LIMIT });
  if (found.length === 0) return [];
  const links = await db
    .selectFrom('post')
    .leftJoin('roadmap_item', 'roadmap_item.id', 'post.roadmap_item_id')
    .select(['post.id', 'post.merged_into_id', 'roadmap_item.id as item_id', 'roadmap_item.title as item_title'])
    .where(
      'post.id',
      'in',
      found.map((post) => post.id),
    )
    .execute();
  const byPost = new Map(links.map((row) => [row.id, row]));
  return found.map((post) => {
    const link = byPost.get(post.id);
    const roadmapItem = link?.item_id ? { id: link.item_id, title: link.item_title! } : null;
    const refusal: LinkRefusal | null =
      roadmapItem?.id === input.itemId
        ? 'on_this_item'
        : post.status === 'merged' || link?.merged_into_id
          ? 'merged'
          : post.status === 'declined'
            ? 'declined'
            : roadmapItem
              ? 'on_other_item'
              : null;
    return {
      id: post.id,
      title: post.title,
      status: post.status,
      voteCount: post.voteCount,
      areaName: post.areaName,
      createdDay: post.createdDay,
      roadmapItem,
      refusal,
    };
  });
}
