import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, ReportReason } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import type { Actor } from '../admin/actor.server.js';
import { plainTextOf } from '../content/markdown.server.js';
import { requireModerator } from './moderated-item.server.js';

export const ListModerationQueueInputSchema = z.object({
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type ListModerationQueueInput = z.input<typeof ListModerationQueueInputSchema>;

/** Whoever wrote the item: members by pseudonym, official staff replies by their staff name. */
export type ItemAuthor = { pseudonym: string; pseudonymZh: string } | { staffName: string | null };

export interface ModerationCaseView {
  id: string;
  reportCount: number;
  /** Day-level ('YYYY-MM-DD', UTC): reports are member actions. */
  firstReportedDay: string;
  /** How many reports gave each reason, most given first. */
  reasons: Array<{ reason: ReportReason; count: number }>;
  /** What reporters wrote, newest first; never who wrote it. */
  notes: Array<{ reason: ReportReason; note: string }>;
  post: { id: string; title: string; hidden: boolean };
  /** The post's text for a post case; the comment's for a comment case; null for a deleted comment. */
  excerpt: string | null;
  comment: { id: string; deleted: boolean } | null;
  author: ItemAuthor;
}

export interface ModerationQueuePage {
  cases: ModerationCaseView[];
  /** How many cases are open in all. */
  openCount: number;
  nextCursor: string | null;
}

const NOTES_SHOWN = 10;
const EXCERPT_LENGTH = 600;

const QueueCursorSchema = z.tuple([z.number().int().min(0), z.iso.datetime(), z.string().min(1).max(64)]);

/** How many cases wait for a moderator; the queue is a working set, so this stays small. */
export async function countOpenCases(db: Kysely<Database>, actor: Actor): Promise<number> {
  requireModerator(actor);
  const row = await db
    .selectFrom('moderation_case')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('resolved_at', 'is', null)
    .executeTakeFirstOrThrow();
  return row.n;
}

export function excerptOf(html: string): string {
  const text = plainTextOf(html);
  return text.length > EXCERPT_LENGTH ? `${text.slice(0, EXCERPT_LENGTH)}…` : text;
}

/**
 * The moderators' queue: open cases, the most reported first, then the
 * oldest, keyset-paged. Each case shows the item, its author's pseudonym,
 * the count per reason and the reporters' notes. Who reported is never
 * read: no reporter id, pseudonym or time leaves this function.
 */
export async function listModerationQueue(
  db: Kysely<Database>,
  actor: Actor,
  input: ListModerationQueueInput = {},
): Promise<ModerationQueuePage> {
  requireModerator(actor);
  const { after, limit } = ListModerationQueueInputSchema.parse(input);
  const cursor = decodeCursor(after, QueueCursorSchema);

  let query = db
    .selectFrom('moderation_case as c')
    .innerJoin('post', 'post.id', 'c.post_id')
    .leftJoin('comment', 'comment.id', 'c.comment_id')
    .innerJoin('app_user as author', (join) => join.on(sql<boolean>`author.id = coalesce(comment.author_id, post.author_id)`))
    .select([
      'c.id',
      'c.report_count',
      sql<string>`to_char(c.first_reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('first_reported_day'),
      // Microseconds matter: a cursor rounded to milliseconds would skip rows.
      sql<string>`to_char(c.first_reported_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('first_reported_at'),
      'post.id as post_id',
      'post.title',
      'post.body_html as post_body_html',
      sql<boolean>`post.hidden_at IS NOT NULL`.as('post_hidden'),
      'comment.id as comment_id',
      'comment.body_html as comment_body_html',
      sql<boolean>`comment.deleted_at IS NOT NULL`.as('comment_deleted'),
      'comment.is_official',
      'author.pseudonym',
      'author.pseudonym_zh',
      'author.staff_display_name',
      sql<Array<{ reason: ReportReason; count: number }>>`(
        SELECT coalesce(json_agg(json_build_object('reason', tally.reason, 'count', tally.n) ORDER BY tally.n DESC, tally.reason), '[]')
        FROM (SELECT reason, count(*)::int AS n FROM report WHERE report.case_id = c.id GROUP BY reason) AS tally
      )`.as('reasons'),
      sql<Array<{ reason: ReportReason; note: string }>>`(
        SELECT coalesce(json_agg(json_build_object('reason', noted.reason, 'note', noted.note) ORDER BY noted.created_at DESC), '[]')
        FROM (
          SELECT reason, note, created_at FROM report
          WHERE report.case_id = c.id AND note IS NOT NULL
          ORDER BY created_at DESC LIMIT ${NOTES_SHOWN}
        ) AS noted
      )`.as('notes'),
    ])
    .where('c.resolved_at', 'is', null);
  if (cursor) {
    const [count, at, id] = cursor;
    query = query.where(
      sql<boolean>`(c.report_count < ${count} OR (c.report_count = ${count} AND (c.first_reported_at, c.id) > (${at}::timestamptz, ${id})))`,
    );
  }
  const [rows, open] = await Promise.all([
    query
      .orderBy('c.report_count', 'desc')
      .orderBy('c.first_reported_at', 'asc')
      .orderBy('c.id', 'asc')
      .limit(limit + 1)
      .execute(),
    countOpenCases(db, actor),
  ]);

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    cases: page.map((row) => ({
      id: row.id,
      reportCount: row.report_count,
      firstReportedDay: row.first_reported_day,
      reasons: row.reasons,
      notes: row.notes,
      post: { id: row.post_id, title: row.title, hidden: row.post_hidden },
      // A deleted comment's text stays in its row for the record, never shown again.
      excerpt: row.comment_id
        ? row.comment_deleted || row.comment_body_html === null
          ? null
          : excerptOf(row.comment_body_html)
        : excerptOf(row.post_body_html),
      comment: row.comment_id ? { id: row.comment_id, deleted: row.comment_deleted } : null,
      author: row.is_official
        ? { staffName: row.staff_display_name }
        : { pseudonym: row.pseudonym, pseudonymZh: row.pseudonym_zh },
    })),
    openCount: open,
    nextCursor: rows.length > limit && last ? encodeCursor([last.report_count, last.first_reported_at, last.id]) : null,
  };
}
