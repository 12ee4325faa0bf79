import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { requireTriager } from '../triage/triage-roles.js';
import { lockRoadmapItem, type RoadmapItemError } from './lock-roadmap-item.server.js';
import { RoadmapIdSchema } from './roadmap-input.js';

export const LinkPostInputSchema = z.object({ itemId: RoadmapIdSchema, postId: RoadmapIdSchema });
export type LinkPostInput = z.input<typeof LinkPostInputSchema>;

/**
 * Puts a post on a roadmap item. A post belongs to at most one item, and a
 * post already on another item is refused rather than moved: moving it would
 * silently change what that other item ships. Hidden, merged and declined
 * posts are refused too (a merged post's votes live on its target; a
 * declined one could never ship). A shipped item is history: nothing is
 * linked to it or unlinked from it. Linking again is a no-op.
 *
 * The item's version goes up, so a ship confirmation rendered before the
 * link (which stated how many posts would ship) is refused as stale.
 */
export async function linkPostToRoadmapItem(db: Kysely<Database>, actor: Actor, input: LinkPostInput): Promise<void> {
  requireTriager(actor);
  const value = LinkPostInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const item = await lockRoadmapItem(trx, value.itemId);
    if (item.status === 'shipped') throw new DomainError<RoadmapItemError>('item_shipped', undefined, 409);
    const post = await trx
      .selectFrom('post')
      .select(['id', 'status', 'merged_into_id', 'hidden_at', 'roadmap_item_id'])
      .where('id', '=', value.postId)
      .forUpdate()
      .executeTakeFirst();
    if (!post) throw new DomainError<RoadmapItemError>('post_not_found', 'postId', 404);
    if (post.roadmap_item_id === item.id) return;
    if (post.hidden_at) throw new DomainError<RoadmapItemError>('post_hidden', 'postId', 409);
    if (post.status === 'merged' || post.merged_into_id) throw new DomainError<RoadmapItemError>('post_merged', 'postId', 409);
    if (post.status === 'declined') throw new DomainError<RoadmapItemError>('post_declined', 'postId', 409);
    if (post.roadmap_item_id) throw new DomainError<RoadmapItemError>('post_on_other_item', 'postId', 409);

    await trx.updateTable('post').set({ roadmap_item_id: item.id }).where('id', '=', post.id).execute();
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({ version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
      .where('id', '=', item.id)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.link_post',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      after: { postId: post.id },
    });
  });
}
