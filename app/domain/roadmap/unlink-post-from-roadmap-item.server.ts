import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { requireTriager } from '../triage/triage-roles.js';
import { lockRoadmapItem, type RoadmapItemError } from './lock-roadmap-item.server.js';
import { RoadmapIdSchema } from './roadmap-input.js';

export const UnlinkPostInputSchema = z.object({ itemId: RoadmapIdSchema, postId: RoadmapIdSchema });
export type UnlinkPostInput = z.input<typeof UnlinkPostInputSchema>;

/**
 * Takes a post off an item that has not shipped (e.g. a declined or merged
 * post that stops the item from shipping). A post that is not on the item
 * is left alone, so a repeated click changes nothing. The post keeps its status.
 */
export async function unlinkPostFromRoadmapItem(db: Kysely<Database>, actor: Actor, input: UnlinkPostInput): Promise<void> {
  requireTriager(actor);
  const value = UnlinkPostInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const item = await lockRoadmapItem(trx, value.itemId);
    if (item.status === 'shipped') throw new DomainError<RoadmapItemError>('item_shipped', undefined, 409);
    const unlinked = await trx
      .updateTable('post')
      .set({ roadmap_item_id: null })
      .where('id', '=', value.postId)
      .where('roadmap_item_id', '=', item.id)
      .returning('id')
      .executeTakeFirst();
    if (!unlinked) return;
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', '=', item.id)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.unlink_post',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      before: { postId: unlinked.id },
    });
  });
}
