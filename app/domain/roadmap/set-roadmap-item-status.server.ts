import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { requireTriager } from '../triage/triage-roles.js';
import { closeGapIn, lockRoadmapItem, lockRoadmapOrder, nextPositionIn, type RoadmapItemError } from './lock-roadmap-item.server.js';
import { OpenRoadmapStatusSchema, RoadmapIdSchema, RoadmapVersionSchema } from './roadmap-input.js';

export const SetRoadmapItemStatusInputSchema = z.object({
  itemId: RoadmapIdSchema,
  version: RoadmapVersionSchema,
  status: OpenRoadmapStatusSchema,
});
export type SetRoadmapItemStatusInput = z.input<typeof SetRoadmapItemStatusInputSchema>;

/**
 * Moves an item between planned and in progress, to the bottom of its new
 * column. Its posts keep their own status: only shipping moves posts, since a
 * post's status is a public promise a triager makes post by post (and the
 * bounty worker acts on it), while an item starting work says nothing yet
 * about each linked post. Shipped is final and reached only by shipping.
 */
export async function setRoadmapItemStatus(
  db: Kysely<Database>,
  actor: Actor,
  input: SetRoadmapItemStatusInput,
): Promise<void> {
  requireTriager(actor);
  const value = SetRoadmapItemStatusInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    await lockRoadmapOrder(trx);
    const item = await lockRoadmapItem(trx, value.itemId, value.version);
    if (item.status === 'shipped') throw new DomainError<RoadmapItemError>('item_shipped', undefined, 409);
    if (item.status === value.status) return;
    const position = await nextPositionIn(trx, value.status);
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({ status: value.status, position, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', '=', item.id)
      .execute();
    await closeGapIn(trx, item.status, item.position);
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.status_change',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      before: { status: item.status },
      after: { status: value.status },
    });
  });
}
