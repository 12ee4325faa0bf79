import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { requireTriager } from '../triage/triage-roles.js';
import { lockRoadmapItem, lockRoadmapOrder, type RoadmapItemError } from './lock-roadmap-item.server.js';
import { RoadmapIdSchema, RoadmapVersionSchema } from './roadmap-input.js';

export const MoveRoadmapItemInputSchema = z.object({
  itemId: RoadmapIdSchema,
  version: RoadmapVersionSchema,
  direction: z.enum(['up', 'down'], { error: 'roadmap.errors.unknownAction' }),
});
export type MoveRoadmapItemInput = z.input<typeof MoveRoadmapItemInputSchema>;

/**
 * Moves an item one place up or down within its column. The column is
 * renumbered 0, 1, 2… as it goes, so positions stay dense even if an
 * earlier bug left a gap or a tie. The first item moved up (or
 * the last moved down) stays where it is.
 */
export async function moveRoadmapItem(db: Kysely<Database>, actor: Actor, input: MoveRoadmapItemInput): Promise<void> {
  requireTriager(actor);
  const value = MoveRoadmapItemInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    await lockRoadmapOrder(trx);
    const item = await lockRoadmapItem(trx, value.itemId, value.version);
    // The shipped column is ordered by when each item shipped, not by hand.
    if (item.status === 'shipped') throw new DomainError<RoadmapItemError>('item_shipped', undefined, 409);

    const column = await trx
      .selectFrom('roadmap_item')
      .select(['id', 'position'])
      .where('status', '=', item.status)
      .orderBy('position')
      .orderBy('created_at')
      .orderBy('id')
      .execute();
    const from = column.findIndex((row) => row.id === item.id);
    const to = value.direction === 'up' ? from - 1 : from + 1;
    if (to < 0 || to >= column.length) return;
    const order = column.map((row) => row.id);
    [order[from], order[to]] = [order[to]!, order[from]!];

    const renumbered = order
      .map((id, position) => ({ id, position }))
      .filter(({ id, position }) => column.find((row) => row.id === id)!.position !== position);
    // Usually the two swapped rows; more only when healing an old gap.
    for (const { id, position } of renumbered) {
      await trx.updateTable('roadmap_item').set({ position }).where('id', '=', id).execute();
    }
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', '=', item.id)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.reorder',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      before: { status: item.status, position: item.position },
      after: { status: item.status, position: to },
    });
  });
}
