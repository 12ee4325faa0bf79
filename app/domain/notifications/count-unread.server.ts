import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

/** The badge on the bell: unread notifications, capped so the count stays cheap. */
export async function countUnreadNotifications(db: Kysely<Database>, userId: string, cap = 99): Promise<number> {
  const row = await db
    .selectFrom((eb) =>
      eb
        .selectFrom('notification')
        .select('id')
        .where('user_id', '=', userId)
        .where('read_at', 'is', null)
        .limit(cap + 1)
        .as('unread'),
    )
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .executeTakeFirstOrThrow();
  return Number(row.count);
}
