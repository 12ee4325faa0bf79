import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import type { NotificationView } from './describe-notification.js';
import { selectNotificationViews, toNotificationView } from './list-notifications.server.js';

export const OpenNotificationInputSchema = z.object({ notificationId: z.string().min(1).max(64) });
export type OpenNotificationInput = z.input<typeof OpenNotificationInputSchema>;

export type OpenNotificationError = 'notification_not_found';

/**
 * Marks one of the actor's notifications read and returns it, so the page can
 * lead to what it is about. Someone else's notification is not found, exactly
 * like an unknown id, and stays as it was.
 */
export async function openNotification(
  db: Kysely<Database>,
  actor: Pick<Actor, 'id'>,
  input: OpenNotificationInput,
): Promise<NotificationView> {
  const { notificationId } = OpenNotificationInputSchema.parse(input);
  const marked = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`coalesce(read_at, now())` })
    .where('id', '=', notificationId)
    .where('user_id', '=', actor.id)
    .returning('id')
    .executeTakeFirst();
  if (!marked) throw new DomainError<OpenNotificationError>('notification_not_found', undefined, 404);
  const row = await selectNotificationViews(db)
    .where('n.id', '=', notificationId)
    .where('n.user_id', '=', actor.id)
    .executeTakeFirstOrThrow();
  return toNotificationView(row);
}
