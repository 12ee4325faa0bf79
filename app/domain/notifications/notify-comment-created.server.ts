import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { createNotifications, type NewNotification } from './create-notifications.server.js';

/**
 * Tells people about a new comment (worker, on 'comment.created'): the author
 * of the comment replied to hears of it as a 'reply', the post's other
 * followers as a 'comment'; the writer never hears of their own comment.
 * Nothing for a comment that is gone or hidden by the time the job runs, or on
 * a hidden post. Idempotent per comment; returns how many were added.
 */
export async function notifyCommentCreated(db: Kysely<Database>, commentId: string): Promise<number> {
  const comment = await db
    .selectFrom('comment')
    .innerJoin('post', 'post.id', 'comment.post_id')
    .leftJoin('comment as parent', 'parent.id', 'comment.parent_id')
    .select([
      'comment.id',
      'comment.post_id',
      'comment.author_id',
      'comment.deleted_at',
      'comment.hidden_at',
      'post.hidden_at as post_hidden_at',
      'parent.author_id as parent_author_id',
      'parent.deleted_at as parent_deleted_at',
    ])
    .where('comment.id', '=', commentId)
    .executeTakeFirst();
  if (!comment || comment.deleted_at || comment.hidden_at || comment.post_hidden_at) return 0;

  const repliedTo = comment.parent_author_id && !comment.parent_deleted_at ? comment.parent_author_id : null;
  const followers = await db
    .selectFrom('follow')
    .innerJoin('app_user', 'app_user.id', 'follow.user_id')
    .select('follow.user_id')
    .where('follow.post_id', '=', comment.post_id)
    .where('app_user.disabled_at', 'is', null)
    .execute();

  const recipients = new Map<string, NewNotification['kind']>();
  for (const { user_id } of followers) recipients.set(user_id, 'comment');
  if (repliedTo) recipients.set(repliedTo, 'reply');
  recipients.delete(comment.author_id);

  return createNotifications(
    db,
    `comment:${comment.id}`,
    [...recipients].map(([userId, kind]) => ({ userId, kind, postId: comment.post_id, commentId: comment.id })),
  );
}
