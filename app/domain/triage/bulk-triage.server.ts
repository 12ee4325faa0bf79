import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { POST_STATUSES } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { applyStatusChanges, type StatusChangeError } from './apply-status-changes.server.js';
import { BULK_MAX_POSTS } from './choices.js';
import { STATUS_NOTE_MAX_LENGTH } from './transitions.js';
import { requireActiveArea, requireActiveTags, requireAssignableTriager, type TriageTargetError } from './triage-checks.server.js';
import { TriageRefusal } from './triage-refusal.js';
import { requireTriager } from './triage-roles.js';

const IdSchema = z.string().min(1).max(64);

export const BulkTriageInputSchema = z.object({
  /** Each selected post with the version the inbox showed, so a post changed meanwhile is refused. */
  posts: z.array(z.object({ postId: IdSchema, expectedVersion: z.number().int().min(1) })).min(1).max(BULK_MAX_POSTS),
  action: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('area'), productAreaId: IdSchema }),
    z.object({ kind: z.literal('tag'), tagId: IdSchema }),
    z.object({ kind: z.literal('status'), status: z.enum(POST_STATUSES), note: z.string().trim().max(STATUS_NOTE_MAX_LENGTH).optional() }),
    z.object({ kind: z.literal('assign'), assigneeId: IdSchema.nullable() }),
  ]),
});
export type BulkTriageInput = z.input<typeof BulkTriageInputSchema>;
export type BulkTriageError = StatusChangeError | TriageTargetError | 'forbidden';

type LockedPost = {
  id: string;
  title: string;
  version: number;
  product_area_id: string;
  assignee_id: string | null;
  triaged_at: Date | null;
};

/**
 * One action on a selection of posts from the inbox, all or nothing: the
 * posts are locked, every version checked, and the first post that blocks is
 * named in the refusal. Every post changed gets its own audit row; a status
 * change goes through applyStatusChanges once for the whole selection.
 * Returns how many posts changed.
 */
export async function bulkTriage(db: Kysely<Database>, actor: Actor, input: BulkTriageInput): Promise<{ changed: number }> {
  requireTriager(actor);
  const { posts: refs, action } = BulkTriageInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const ids = [...new Set(refs.map((ref) => ref.postId))];
    // Ordered by id, as applyStatusChanges locks, so overlapping selections cannot deadlock.
    const rows = await trx
      .selectFrom('post')
      .select(['id', 'title', 'version', 'product_area_id', 'assignee_id', 'triaged_at'])
      .where('id', 'in', ids)
      .orderBy('id')
      .forUpdate()
      .execute();
    const locked = new Map(rows.map((row) => [row.id, row]));
    for (const ref of refs) {
      const post = locked.get(ref.postId);
      if (!post) throw new DomainError<BulkTriageError>('post_not_found', undefined, 404);
      if (post.version !== ref.expectedVersion) {
        throw new TriageRefusal<BulkTriageError>('changed_meanwhile', { id: post.id, title: post.title }, null, undefined, 409);
      }
    }
    const posts = ids.map((id) => locked.get(id)!);

    switch (action.kind) {
      case 'status': {
        const applied = await applyStatusChanges(
          trx,
          actor.id,
          refs.map((ref) => ({ postId: ref.postId, to: action.status, note: action.note, expectedVersion: ref.expectedVersion })),
        );
        return { changed: applied.length };
      }
      case 'area': {
        await requireActiveArea(trx, action.productAreaId);
        const moved = posts.filter((post) => post.product_area_id !== action.productAreaId);
        const onlyTriaged = posts.filter((post) => post.product_area_id === action.productAreaId && post.triaged_at === null);
        await markTriagedAndBump(trx, [...moved, ...onlyTriaged], { product_area_id: action.productAreaId });
        await auditEach(trx, actor, moved, 'post.area_change', (post) => [
          { productAreaId: post.product_area_id },
          { productAreaId: action.productAreaId },
        ]);
        await auditEach(trx, actor, onlyTriaged, 'post.mark_triaged', () => [{ triaged: false }, { triaged: true }]);
        return { changed: moved.length + onlyTriaged.length };
      }
      case 'tag': {
        await requireActiveTags(trx, [action.tagId], 'tagId');
        const inserted = await trx
          .insertInto('post_tag')
          .values(posts.map((post) => ({ post_id: post.id, tag_id: action.tagId })))
          .onConflict((oc) => oc.columns(['post_id', 'tag_id']).doNothing())
          .returning('post_id')
          .execute();
        const newlyTagged = new Set(inserted.map((row) => row.post_id));
        const tagged = posts.filter((post) => newlyTagged.has(post.id));
        const onlyTriaged = posts.filter((post) => !newlyTagged.has(post.id) && post.triaged_at === null);
        await markTriagedAndBump(trx, [...tagged, ...onlyTriaged], {});
        await auditEach(trx, actor, tagged, 'post.tag_add', () => [null, { tagId: action.tagId }]);
        await auditEach(trx, actor, onlyTriaged, 'post.mark_triaged', () => [{ triaged: false }, { triaged: true }]);
        return { changed: tagged.length + onlyTriaged.length };
      }
      case 'assign': {
        if (action.assigneeId) await requireAssignableTriager(trx, action.assigneeId);
        const changing = posts.filter((post) => post.assignee_id !== action.assigneeId);
        // Assigning routes the work; it does not triage the post (see triagePost).
        if (changing.length > 0) {
          await trx
            .updateTable('post')
            .set((eb) => ({ assignee_id: action.assigneeId, version: eb('version', '+', 1), updated_at: sql<Date>`now()` }))
            .where('id', 'in', changing.map((post) => post.id))
            .execute();
        }
        await auditEach(trx, actor, changing, 'post.assign', (post) => [{ assigneeId: post.assignee_id }, { assigneeId: action.assigneeId }]);
        return { changed: changing.length };
      }
    }
  });
}

async function markTriagedAndBump(
  trx: Transaction<Database>,
  posts: readonly LockedPost[],
  changes: { product_area_id?: string },
): Promise<void> {
  if (posts.length === 0) return;
  await trx
    .updateTable('post')
    .set((eb) => ({
      ...changes,
      version: eb('version', '+', 1),
      triaged_at: sql<Date>`coalesce(triaged_at, now())`,
      sla_flagged_at: null,
      updated_at: sql<Date>`now()`,
    }))
    .where('id', 'in', posts.map((post) => post.id))
    .execute();
}

/** One audit row per post, in one statement. */
async function auditEach(
  trx: Transaction<Database>,
  actor: Actor,
  posts: readonly LockedPost[],
  action: string,
  beforeAfter: (post: LockedPost) => [unknown, unknown],
): Promise<void> {
  if (posts.length === 0) return;
  await trx
    .insertInto('audit_log')
    .values(
      posts.map((post) => {
        const [before, after] = beforeAfter(post);
        return {
          actor_id: actor.id,
          action,
          subject_type: 'post',
          subject_id: post.id,
          before: before === null ? null : JSON.stringify(before),
          after: JSON.stringify(after),
        };
      }),
    )
    .execute();
}
