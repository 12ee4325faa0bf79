import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import type { Actor } from '../admin/actor.server.js';
import { excerptOf, type ItemAuthor } from './list-moderation-queue.server.js';
import { requireModerator } from './moderated-item.server.js';

export const ListHiddenContentInputSchema = z.object({
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type ListHiddenContentInput = z.input<typeof ListHiddenContentInputSchema>;

export interface HiddenItemView {
  post: { id: string; title: string };
  /** Set when the hidden item is a comment on the post. */
  comment: { id: string } | null;
  /** Null for a comment its author has deleted since: its text is never shown again. */
  excerpt: string | null;
  author: ItemAuthor;
  reason: string | null;
  /** The moderator's staff display name; null when they have none. */
  hiddenBy: string | null;
  /** 'YYYY-MM-DD' (UTC). */
  hiddenDay: string;
}

export interface HiddenContentPage {
  items: HiddenItemView[];
  nextCursor: string | null;
}

const HiddenCursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

/**
 * Hidden posts and comments, the most recently hidden first, keyset-paged
 * over both tables (each has a partial index on hidden_at), for moderators
 * to review and restore.
 */
export async function listHiddenContent(
  db: Kysely<Database>,
  actor: Actor,
  input: ListHiddenContentInput = {},
): Promise<HiddenContentPage> {
  requireModerator(actor);
  const { after, limit } = ListHiddenContentInputSchema.parse(input);
  const cursor = decodeCursor(after, HiddenCursorSchema);
  const before = (table: 'post' | 'comment') =>
    cursor ? sql<boolean>`(${sql.ref(`${table}.hidden_at`)}, ${sql.ref(`${table}.id`)}) < (${cursor[0]}::timestamptz, ${cursor[1]})` : sql<boolean>`true`;

  const hiddenPosts = db
    .selectFrom('post')
    .innerJoin('app_user as author', 'author.id', 'post.author_id')
    .leftJoin('app_user as moderator', 'moderator.id', 'post.hidden_by')
    .select([
      'post.id as post_id',
      'post.title',
      sql<string | null>`NULL::text`.as('comment_id'),
      'post.body_html',
      sql<boolean>`false`.as('is_official'),
      sql<boolean>`false`.as('deleted'),
      'post.hidden_at',
      'post.hidden_reason',
      'moderator.staff_display_name as hidden_by',
      'author.pseudonym',
      'author.pseudonym_zh',
      'author.staff_display_name',
    ])
    .where('post.hidden_at', 'is not', null)
    .where(before('post'))
    .orderBy('post.hidden_at', 'desc')
    .orderBy('post.id', 'desc')
    .limit(limit + 1);
  const hiddenComments = db
    .selectFrom('comment')
    .innerJoin('post', 'post.id', 'comment.post_id')
    .innerJoin('app_user as author', 'author.id', 'comment.author_id')
    .leftJoin('app_user as moderator', 'moderator.id', 'comment.hidden_by')
    .select([
      'post.id as post_id',
      'post.title',
      'comment.id as comment_id',
      'comment.body_html',
      'comment.is_official',
      sql<boolean>`comment.deleted_at IS NOT NULL`.as('deleted'),
      'comment.hidden_at',
      'comment.hidden_reason',
      'moderator.staff_display_name as hidden_by',
      'author.pseudonym',
      'author.pseudonym_zh',
      'author.staff_display_name',
    ])
    .where('comment.hidden_at', 'is not', null)
    .where(before('comment'))
    .orderBy('comment.hidden_at', 'desc')
    .orderBy('comment.id', 'desc')
    .limit(limit + 1);

  // Each branch takes its own first rows from its index; the merge keeps the best of both.
  const rows = await db
    .selectFrom(sql<HiddenRow>`((${hiddenPosts}) UNION ALL (${hiddenComments}))`.as('hidden'))
    .selectAll()
    .select([
      sql<string>`to_char(hidden.hidden_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('hidden_day'),
      sql<string>`to_char(hidden.hidden_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('hidden_at_exact'),
    ])
    .orderBy('hidden.hidden_at', 'desc')
    .orderBy(sql`coalesce(hidden.comment_id, hidden.post_id)`, 'desc')
    .limit(limit + 1)
    .execute();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map((row) => ({
      post: { id: row.post_id, title: row.title },
      comment: row.comment_id ? { id: row.comment_id } : null,
      excerpt: row.deleted ? null : excerptOf(row.body_html),
      author: row.is_official ? { staffName: row.staff_display_name } : { pseudonym: row.pseudonym, pseudonymZh: row.pseudonym_zh },
      reason: row.hidden_reason,
      hiddenBy: row.hidden_by,
      hiddenDay: row.hidden_day,
    })),
    nextCursor:
      rows.length > limit && last ? encodeCursor([last.hidden_at_exact, last.comment_id ?? last.post_id]) : null,
  };
}

interface HiddenRow {
  post_id: string;
  title: string;
  comment_id: string | null;
  body_html: string;
  is_official: boolean;
  deleted: boolean;
  hidden_at: Date;
  hidden_reason: string | null;
  hidden_by: string | null;
  pseudonym: string;
  pseudonym_zh: string;
  staff_display_name: string | null;
}
