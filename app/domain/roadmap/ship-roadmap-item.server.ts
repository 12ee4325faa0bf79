import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import { type Database, POST_STATUSES, type PostStatus } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { applyStatusChanges } from '../triage/apply-status-changes.server.js';
import { canTransition } from '../triage/transitions.js';
import { requireTriager } from '../triage/triage-roles.js';
import { closeGapIn, lockRoadmapItem, lockRoadmapOrder, type RoadmapItemError } from './lock-roadmap-item.server.js';
import { RoadmapIdSchema, RoadmapVersionSchema, ShipNoteSchema } from './roadmap-input.js';

/** Statuses a linked post cannot be shipped from (declined, merged): they stop the whole item. */
export const SHIP_BLOCKING_STATUSES: readonly PostStatus[] = POST_STATUSES.filter(
  (status) => status !== 'shipped' && !canTransition(status, 'shipped'),
);

/** How many blocking posts a refusal names; the count covers the rest. */
export const SHIP_BLOCKERS_NAMED = 20;

export interface ShipBlocker {
  id: string;
  title: string;
  status: PostStatus;
}

/** Shipping refused because some linked posts cannot be shipped; names them, so staff can fix each. */
export class ShipBlockedError extends DomainError<'posts_cannot_ship'> {
  constructor(
    readonly blockers: ShipBlocker[],
    readonly blockerCount: number,
  ) {
    super('posts_cannot_ship', undefined, 409);
    this.name = 'ShipBlockedError';
  }
}

export const ShipRoadmapItemInputSchema = z.object({
  itemId: RoadmapIdSchema,
  version: RoadmapVersionSchema,
  /** Written on each shipped post's public timeline. */
  note: ShipNoteSchema,
});
export type ShipRoadmapItemInput = z.input<typeof ShipRoadmapItemInputSchema>;

export interface ShipOutcome {
  /** Posts moved to shipped now (one timeline row, audit row and outbox event each). */
  shipped: number;
  /** Linked posts that were shipped already and so were left alone. */
  alreadyShipped: number;
}

/**
 * Ships an item and every post linked to it, all or nothing, in one
 * transaction: the posts go through applyStatusChanges (the one way a post's
 * status moves), which writes their timeline, audit rows and one
 * 'post.status_changed' outbox event per post in bulk. If any linked post
 * cannot move to shipped, nothing changes and the refusal names those posts.
 * The version check means the post count the confirm step showed is the one
 * shipped: a post linked or unlinked meanwhile bumps the item's version.
 */
export async function shipRoadmapItem(db: Kysely<Database>, actor: Actor, input: ShipRoadmapItemInput): Promise<ShipOutcome> {
  requireTriager(actor);
  const value = ShipRoadmapItemInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    await lockRoadmapOrder(trx);
    const item = await lockRoadmapItem(trx, value.itemId, value.version);
    if (item.status === 'shipped') throw new DomainError<RoadmapItemError>('item_shipped', undefined, 409);

    // Locked (in id order, as applyStatusChanges locks) so no post changes
    // status between this check and the change.
    const posts = await trx
      .selectFrom('post')
      .select(['id', 'title', 'status'])
      .where('roadmap_item_id', '=', item.id)
      .orderBy('id')
      .forUpdate()
      .execute();
    const blockers = posts.filter((post) => SHIP_BLOCKING_STATUSES.includes(post.status));
    if (blockers.length > 0) throw new ShipBlockedError(blockers.slice(0, SHIP_BLOCKERS_NAMED), blockers.length);

    const applied = await applyStatusChanges(
      trx,
      actor.id,
      posts.map((post) => ({ postId: post.id, to: 'shipped' as const, note: value.note })),
    );
    await trx
      .updateTable('roadmap_item')
      .set((eb) => ({
        status: 'shipped',
        shipped_at: sql<Date>`now()`,
        // The shipped column is ordered by shipped_at; its positions mean nothing.
        position: 0,
        version: eb('version', '+', 1),
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', item.id)
      .execute();
    await closeGapIn(trx, item.status, item.position);
    const outcome = { shipped: applied.length, alreadyShipped: posts.length - applied.length };
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'roadmap_item.ship',
      subjectType: 'roadmap_item',
      subjectId: item.id,
      before: { status: item.status },
      after: { status: 'shipped', note: value.note ?? null, postsShipped: outcome.shipped, postsAlreadyShipped: outcome.alreadyShipped },
    });
    return outcome;
  });
}
