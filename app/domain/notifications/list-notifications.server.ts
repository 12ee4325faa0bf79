import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type Database, POST_STATUSES } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { MODERATOR_ROLES } from '../posts/get-post.server.js';
import type { NotificationView } from './describe-notification.js';

export const NOTIFICATION_PAGE_SIZE = 30;

export const ListNotificationsInputSchema = z.object({
  /** The id of the last notification on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(NOTIFICATION_PAGE_SIZE),
});
export type ListNotificationsInput = z.input<typeof ListNotificationsInputSchema>;

/**
 * The viewer's own notifications, newest first, one keyset page at a time.
 * Scoped to the viewer in SQL, cursor included: nobody else's row can appear.
 */
export async function listNotifications(
  db: Kysely<Database>,
  viewer: Pick<Actor, 'id'>,
  input: ListNotificationsInput = {},
): Promise<{ notifications: NotificationView[]; nextAfter: string | null }> {
  const { after, limit } = ListNotificationsInputSchema.parse(input);
  let query = selectNotificationViews(db)
    .where('n.user_id', '=', viewer.id)
    .orderBy('n.created_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(limit + 1);
  if (after) {
    // Keyset on (created_at, id), read from the cursor row itself so the
    // database's microseconds never pass through a JavaScript Date.
    query = query.where(
      sql<boolean>`(n.created_at, n.id) < (SELECT c.created_at, c.id FROM notification c WHERE c.id = ${after} AND c.user_id = ${viewer.id})`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    notifications: page.map(toNotificationView),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

const StatusDataSchema = z.object({
  from: z.enum(POST_STATUSES),
  to: z.enum(POST_STATUSES),
  note: z.string().nullish(),
});

/**
 * Notifications with what their sentences need: the post's title (only when
 * the owner may see the post), the commenter's pseudonym or staff display
 * name (only while the comment is visible), and where a merged post went.
 * Callers add the filter (whose, which ids) and the order.
 */
export function selectNotificationViews(db: Kysely<Database>) {
  const moderatorRoles = [...MODERATOR_ROLES];
  return db
    .selectFrom('notification as n')
    .leftJoin('post', 'post.id', 'n.post_id')
    .leftJoin('comment', 'comment.id', 'n.comment_id')
    .leftJoin('app_user as commenter', 'commenter.id', 'comment.author_id')
    .leftJoin('post as target', (join) => join.on(sql<boolean>`target.id = n.data->>'targetId'`))
    .select((eb) => [
      'n.id',
      'n.kind',
      'n.data',
      'n.comment_id',
      sql<boolean>`n.read_at IS NOT NULL`.as('read'),
      sql<string>`to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('day'),
      'post.id as post_id',
      'post.title as post_title',
      sql<boolean>`post.author_id = n.user_id`.as('own_post'),
      // A hidden post is seen by its author and moderators only (as getPost decides).
      eb
        .or([
          sql<boolean>`post.hidden_at IS NULL`,
          sql<boolean>`post.author_id = n.user_id`,
          eb.exists(
            eb
              .selectFrom('user_role')
              .select('user_role.user_id')
              .whereRef('user_role.user_id', '=', 'n.user_id')
              .where('user_role.role', 'in', moderatorRoles),
          ),
        ])
        .as('post_visible'),
      sql<boolean>`comment.id IS NOT NULL AND comment.deleted_at IS NULL AND comment.hidden_at IS NULL`.as('comment_visible'),
      'comment.is_official',
      'commenter.pseudonym as commenter_pseudonym',
      'commenter.pseudonym_zh as commenter_pseudonym_zh',
      'commenter.staff_display_name as commenter_staff_name',
      'target.id as target_id',
      'target.title as target_title',
      sql<boolean>`target.hidden_at IS NULL`.as('target_visible'),
    ]);
}

type NotificationViewRow = Awaited<ReturnType<ReturnType<typeof selectNotificationViews>['execute']>>[number];

export function toNotificationView(row: NotificationViewRow): NotificationView {
  const visible = row.post_id !== null && row.post_title !== null && Boolean(row.post_visible);
  const data = row.data ?? {};
  const status = row.kind === 'status_changed' ? StatusDataSchema.safeParse(data) : undefined;
  const names = row.kind === 'reply' || row.kind === 'comment';
  return {
    id: row.id,
    kind: row.kind,
    read: Boolean(row.read),
    day: row.day,
    post: visible ? { id: row.post_id!, title: row.post_title!, isOwn: Boolean(row.own_post) } : null,
    commentId: visible ? row.comment_id : null,
    author:
      visible && names && row.comment_visible
        ? row.is_official
          ? { staffName: row.commenter_staff_name }
          : { pseudonym: row.commenter_pseudonym!, pseudonymZh: row.commenter_pseudonym_zh! }
        : null,
    status: status?.success
      ? { from: status.data.from, to: status.data.to, note: status.data.note ?? null }
      : null,
    reason: typeof data.reason === 'string' && data.reason ? data.reason : null,
    mergedInto:
      visible && row.target_id && row.target_title !== null && row.target_visible
        ? { id: row.target_id, title: row.target_title }
        : null,
  };
}
