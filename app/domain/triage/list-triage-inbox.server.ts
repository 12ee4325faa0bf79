import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostType } from '../../../db/schema.js';
import { LOCALES } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import { POST_TYPE_CHOICES } from '../posts/choices.js';
import { getSettings } from '../settings/settings.server.js';
import { TRIAGE_ASSIGNEE_FILTERS } from './choices.js';
import { requireTriager } from './triage-roles.js';

export const ListTriageInboxInputSchema = z.object({
  productAreaId: z.string().max(64).optional(),
  type: z.enum(POST_TYPE_CHOICES).optional(),
  assignee: z.enum(TRIAGE_ASSIGNEE_FILTERS).default('anyone'),
  /** The cursor of the last row of the page before. */
  after: z.string().max(200).optional(),
  limit: z.number().int().min(1).max(100).default(50),
  locale: z.enum(LOCALES).default('en'),
});
export type ListTriageInboxInput = z.input<typeof ListTriageInboxInputSchema>;

/** [created_at to the microsecond, id] of the last row: a cursor rounded to milliseconds would skip rows. */
const InboxCursorSchema = z.tuple([
  z.string().max(40).refine((value) => !Number.isNaN(Date.parse(value))),
  z.string().min(1).max(64),
]);

export interface TriageInboxRow {
  id: string;
  title: string;
  type: PostType;
  areaName: string;
  /** Whole hours since the post was made: staff see the age, not the moment. */
  ageHours: number;
  voteCount: number;
  /** The version a bulk action names, so it refuses a post changed meanwhile. */
  version: number;
  /** Vendor staff, by display name (or pseudonym when they have none). */
  assignee: { id: string; name: string } | null;
  /** Past the SLA, or already flagged by the SLA job. */
  overdue: boolean;
}

export interface TriageInboxPage {
  posts: TriageInboxRow[];
  nextCursor: string | null;
  slaHours: number;
}

/**
 * Posts nobody has triaged yet (open, not hidden), oldest first, keyset-paged
 * on (created_at, id) along post_triage_inbox_idx.
 */
export async function listTriageInbox(
  db: Kysely<Database>,
  actor: Actor,
  input: ListTriageInboxInput = {},
): Promise<TriageInboxPage> {
  requireTriager(actor);
  const { productAreaId, type, assignee, after, limit, locale } = ListTriageInboxInputSchema.parse(input);
  const { triageSlaHours } = await getSettings(db);
  const cursor = decodeCursor(after, InboxCursorSchema);
  const zh = locale === 'zh-CN';

  let query = db
    .selectFrom('post')
    .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
    .leftJoin('app_user as assignee', 'assignee.id', 'post.assignee_id')
    .select([
      'post.id',
      'post.title',
      'post.type',
      'post.vote_count',
      'post.version',
      'post.assignee_id',
      zh ? 'product_area.name_zh as area_name' : 'product_area.name_en as area_name',
      sql<string | null>`coalesce(assignee.staff_display_name, ${sql.ref(zh ? 'assignee.pseudonym_zh' : 'assignee.pseudonym')})`.as(
        'assignee_name',
      ),
      sql<number>`floor(extract(epoch FROM now() - post.created_at) / 3600)::int`.as('age_hours'),
      sql<boolean>`post.sla_flagged_at IS NOT NULL OR post.created_at < now() - make_interval(hours => ${triageSlaHours})`.as(
        'overdue',
      ),
      sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`.as('cursor_value'),
    ])
    .where('post.triaged_at', 'is', null)
    .where('post.hidden_at', 'is', null)
    .where('post.status', '=', 'open');
  if (productAreaId) query = query.where('post.product_area_id', '=', productAreaId);
  if (type) query = query.where('post.type', '=', type);
  if (assignee === 'mine') query = query.where('post.assignee_id', '=', actor.id);
  if (assignee === 'unassigned') query = query.where('post.assignee_id', 'is', null);
  if (cursor) {
    const [createdAt, id] = cursor;
    query = query.where(sql<boolean>`(post.created_at, post.id) > (${createdAt}::timestamptz, ${id})`);
  }
  const rows = await query
    .orderBy('post.created_at', 'asc')
    .orderBy('post.id', 'asc')
    .limit(limit + 1)
    .execute();

  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    posts: page.map((row) => ({
      id: row.id,
      title: row.title,
      type: row.type,
      areaName: row.area_name,
      ageHours: row.age_hours,
      voteCount: row.vote_count,
      version: row.version,
      assignee: row.assignee_id ? { id: row.assignee_id, name: row.assignee_name ?? '' } : null,
      overdue: row.overdue,
    })),
    nextCursor: last && rows.length > limit ? encodeCursor([last.cursor_value, last.id]) : null,
    slaHours: triageSlaHours,
  };
}
