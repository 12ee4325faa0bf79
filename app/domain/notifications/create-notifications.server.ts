import type { Kysely, Transaction } from 'kysely';
import type { Database, NotificationKind } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';

export interface NewNotification {
  userId: string;
  kind: NotificationKind;
  postId?: string | null;
  commentId?: string | null;
  /** Small facts to render (a status, a reason): never another person's name, email or org. */
  data?: Record<string, unknown>;
}

/**
 * Adds notifications for many people at once. `sourceKey` names the event
 * that caused them (e.g. "status:<changeId>"), so a redelivered job or a
 * retried request adds nothing twice. The mail batcher picks them up later.
 */
export async function createNotifications(
  executor: Kysely<Database> | Transaction<Database>,
  sourceKey: string,
  notifications: readonly NewNotification[],
): Promise<number> {
  if (notifications.length === 0) return 0;
  const result = await executor
    .insertInto('notification')
    .values(
      notifications.map((notification) => ({
        id: randomId(),
        user_id: notification.userId,
        kind: notification.kind,
        post_id: notification.postId ?? null,
        comment_id: notification.commentId ?? null,
        data: JSON.stringify(notification.data ?? {}),
        source_key: sourceKey,
      })),
    )
    .onConflict((oc) => oc.columns(['user_id', 'source_key']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0);
}
