import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { createNotifications } from './create-notifications.server.js';

/**
 * Tells a post's followers and voters (each once) that its status moved
 * (worker, on 'post.status_changed'), with the public note; never the staff
 * member who moved it. Nothing while the post is hidden. Idempotent per
 * change; returns how many were added.
 */
export async function notifyStatusChanged(db: Kysely<Database>, changeId: string): Promise<number> {
  const change = await db
    .selectFrom('post_status_change')
    .innerJoin('post', 'post.id', 'post_status_change.post_id')
    .select([
      'post_status_change.id',
      'post_status_change.post_id',
      'post_status_change.from_status',
      'post_status_change.to_status',
      'post_status_change.actor_id',
      'post_status_change.note',
      'post.hidden_at',
    ])
    .where('post_status_change.id', '=', changeId)
    .executeTakeFirst();
  if (!change || change.hidden_at) return 0;

  const audience = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('follow')
        .select('user_id')
        .where('post_id', '=', change.post_id)
        .union(eb.selectFrom('vote').select('voter_id as user_id').where('post_id', '=', change.post_id))
        .as('audience'),
    )
    .innerJoin('app_user', 'app_user.id', 'audience.user_id')
    .select('audience.user_id')
    .where('app_user.disabled_at', 'is', null)
    .$if(change.actor_id !== null, (query) => query.where('audience.user_id', '!=', change.actor_id!))
    .execute();

  return createNotifications(
    db,
    `status:${change.id}`,
    audience.map(({ user_id }) => ({
      userId: user_id,
      kind: 'status_changed' as const,
      postId: change.post_id,
      data: { from: change.from_status, to: change.to_status, note: change.note },
    })),
  );
}
