import { type Kysely, sql } from 'kysely';
import type { Database, RoadmapStatus } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { requireTriager } from '../triage/triage-roles.js';
import type { RoadmapItemError } from './lock-roadmap-item.server.js';
import { SHIP_BLOCKERS_NAMED, SHIP_BLOCKING_STATUSES, type ShipBlocker } from './ship-roadmap-item.server.js';

export interface ShipPreview {
  itemId: string;
  title: string;
  status: RoadmapStatus;
  /** Sent back with the confirmation: if posts are linked or unlinked meanwhile, shipping is refused. */
  version: number;
  /** Posts that shipping moves to shipped now. */
  toShip: number;
  alreadyShipped: number;
  blockers: ShipBlocker[];
  blockerCount: number;
}

/** What shipping an item would do, for the confirm step: how many posts move, and what would stop it. */
export async function getShipPreview(db: Kysely<Database>, actor: Actor, itemId: string): Promise<ShipPreview> {
  requireTriager(actor);
  const [item, counts, blockers] = await Promise.all([
    db.selectFrom('roadmap_item').select(['id', 'title', 'status', 'version']).where('id', '=', itemId).executeTakeFirst(),
    db
      .selectFrom('post')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('roadmap_item_id', '=', itemId)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('post')
      .select(['id', 'title', 'status'])
      .where('roadmap_item_id', '=', itemId)
      .where('status', 'in', [...SHIP_BLOCKING_STATUSES])
      .orderBy('id')
      .limit(SHIP_BLOCKERS_NAMED)
      .execute(),
  ]);
  if (!item) throw new DomainError<RoadmapItemError>('item_not_found', undefined, 404);
  const count = (test: (status: string) => boolean) => counts.filter((row) => test(row.status)).reduce((sum, row) => sum + row.n, 0);
  const blocking = (status: string) => (SHIP_BLOCKING_STATUSES as readonly string[]).includes(status);
  return {
    itemId: item.id,
    title: item.title,
    status: item.status,
    version: item.version,
    toShip: count((status) => status !== 'shipped' && !blocking(status)),
    alreadyShipped: count((status) => status === 'shipped'),
    blockers,
    blockerCount: count(blocking),
  };
}
