import { sql, type Transaction } from 'kysely';
import type { Database, RoadmapStatus } from '../../../db/schema.js';
import { DomainError } from '../errors.js';

export type RoadmapItemError =
  | 'item_not_found'
  | 'changed_meanwhile'
  | 'item_shipped'
  | 'posts_cannot_ship'
  | 'post_not_found'
  | 'post_hidden'
  | 'post_merged'
  | 'post_declined'
  | 'post_on_other_item';

export interface LockedRoadmapItem {
  id: string;
  title: string;
  description: string;
  status: RoadmapStatus;
  position: number;
  version: number;
}

/**
 * Locks an item for a change. With `expectedVersion` (the version the
 * editor's form was rendered from), an item changed meanwhile is refused
 * with 409, so two editors never silently overwrite each other.
 */
export async function lockRoadmapItem(
  trx: Transaction<Database>,
  itemId: string,
  expectedVersion?: number,
): Promise<LockedRoadmapItem> {
  const item = await trx
    .selectFrom('roadmap_item')
    .select(['id', 'title', 'description', 'status', 'position', 'version'])
    .where('id', '=', itemId)
    .forUpdate()
    .executeTakeFirst();
  if (!item) throw new DomainError<RoadmapItemError>('item_not_found', undefined, 404);
  if (expectedVersion !== undefined && item.version !== expectedVersion) {
    throw new DomainError<RoadmapItemError>('changed_meanwhile', undefined, 409);
  }
  return item;
}

/**
 * Serialises every change to the order of the columns (create, reorder, move,
 * ship), so positions stay dense: 0, 1, 2… within planned and within in
 * progress. Held to the end of the transaction; taken before any item lock.
 */
export async function lockRoadmapOrder(trx: Transaction<Database>): Promise<void> {
  await sql`SELECT pg_advisory_xact_lock(hashtext('roadmap_item.position'))`.execute(trx);
}

/** The position after the last item of a column. Call with lockRoadmapOrder held. */
export async function nextPositionIn(trx: Transaction<Database>, status: RoadmapStatus): Promise<number> {
  const row = await trx
    .selectFrom('roadmap_item')
    .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
    .where('status', '=', status)
    .executeTakeFirstOrThrow();
  return row.next;
}

/** Closes the gap an item leaves when it moves out of a column. Call with lockRoadmapOrder held. */
export async function closeGapIn(trx: Transaction<Database>, status: RoadmapStatus, position: number): Promise<void> {
  await trx
    .updateTable('roadmap_item')
    .set((eb) => ({ position: eb('position', '-', 1) }))
    .where('status', '=', status)
    .where('position', '>', position)
    .execute();
}
