import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';

/** Marks every unread notification of the actor read; returns how many changed. */
export async function markAllNotificationsRead(db: Kysely<Database>, actor: Pick<Actor, 'id'>): Promise<number> {
  const result = await db
    .updateTable('notification')
    .set({ read_at: sql<Date>`now()` })
    .where('user_id', '=', actor.id)
    .where('read_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}
