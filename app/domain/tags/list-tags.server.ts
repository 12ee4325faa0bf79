import { type Kysely, sql } from 'kysely';
import type { Database, Locale, TagColor } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import type { TagView } from './choices.js';

// Tags are a short, hand-made list (dozens), so no paging.

/** The tags triagers are offered and the feed filters by: active ones, by name in the reader's language. */
export async function listActiveTags(db: Kysely<Database>, locale: Locale): Promise<TagView[]> {
  const name = locale === 'zh-CN' ? 'tag.name_zh' : 'tag.name_en';
  const rows = await db
    .selectFrom('tag')
    .select(['tag.id', 'tag.slug', `${name} as name`, 'tag.color'])
    .where('tag.archived_at', 'is', null)
    .orderBy(name)
    .orderBy('tag.slug')
    .execute();
  return rows;
}

export interface TagSummary {
  id: string;
  slug: string;
  nameEn: string;
  nameZh: string;
  color: TagColor;
  archived: boolean;
  postCount: number;
}

/** Every tag, archived ones last, with how many posts carry each (product admins). */
export async function listTagsForAdmin(db: Kysely<Database>, actor: Actor): Promise<TagSummary[]> {
  requireRole(actor, 'product_admin');
  const rows = await db
    .selectFrom('tag')
    .select([
      'tag.id',
      'tag.slug',
      'tag.name_en',
      'tag.name_zh',
      'tag.color',
      'tag.archived_at',
      (eb) =>
        eb
          .selectFrom('post_tag')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('post_tag.tag_id', '=', 'tag.id')
          .as('post_count'),
    ])
    .orderBy(sql`tag.archived_at IS NOT NULL`)
    .orderBy('tag.name_en')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    slug: row.slug,
    nameEn: row.name_en,
    nameZh: row.name_zh,
    color: row.color,
    archived: row.archived_at !== null,
    postCount: row.post_count ?? 0,
  }));
}

/**
 * The tags of each of the given posts (one query for a whole page of posts),
 * archived ones included: a post keeps the tags it was given.
 */
export async function listTagsOfPosts(
  db: Kysely<Database>,
  postIds: readonly string[],
  locale: Locale,
): Promise<Map<string, TagView[]>> {
  const byPost = new Map<string, TagView[]>();
  if (postIds.length === 0) return byPost;
  const name = locale === 'zh-CN' ? 'tag.name_zh' : 'tag.name_en';
  const rows = await db
    .selectFrom('post_tag')
    .innerJoin('tag', 'tag.id', 'post_tag.tag_id')
    .select(['post_tag.post_id', 'tag.id', 'tag.slug', `${name} as name`, 'tag.color'])
    .where('post_tag.post_id', 'in', [...postIds])
    .orderBy(name)
    .orderBy('tag.slug')
    .execute();
  for (const { post_id: postId, ...tag } of rows) byPost.set(postId, [...(byPost.get(postId) ?? []), tag]);
  return byPost;
}
