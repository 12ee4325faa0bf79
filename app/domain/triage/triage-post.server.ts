import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { POST_STATUSES } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { applyStatusChanges, type StatusChangeError } from './apply-status-changes.server.js';
import { STATUS_NOTE_MAX_LENGTH } from './transitions.js';
import { requireActiveArea, requireActiveTags, requireAssignableTriager, type TriageTargetError } from './triage-checks.server.js';
import { TriageRefusal } from './triage-refusal.js';
import { requireTriager } from './triage-roles.js';

export const TriagePostInputSchema = z.object({
  postId: z.string().min(1).max(64),
  /** The version the editor's form was made from. */
  expectedVersion: z.number().int().min(1),
  productAreaId: z.string().min(1).max(64),
  /** The post's tags among the active ones; archived tags already on it stay. */
  tagIds: z.array(z.string().min(1).max(64)).max(50).default([]),
  assigneeId: z.string().min(1).max(64).nullable().default(null),
  status: z.enum(POST_STATUSES),
  /** The public note of a status change; required for declined. */
  note: z.string().trim().max(STATUS_NOTE_MAX_LENGTH).optional(),
  /** Take the post out of the inbox even when nothing else changes. */
  markTriaged: z.boolean().default(false),
});
export type TriagePostInput = z.input<typeof TriagePostInputSchema>;

export type TriagePostError = StatusChangeError | TriageTargetError | 'post_merged' | 'note_without_status' | 'forbidden';

/**
 * Saves the triage panel of one post: area, tags, assignee and status, in one
 * transaction under the optimistic check (the post is locked, its version
 * must be the one the form was made from, and it is bumped once). Each kind
 * of change writes its own audit row; a status change goes through
 * applyStatusChanges (timeline row, audit row, outbox event). Area, tag and
 * status changes take the post out of the inbox; an assignment alone does
 * not, so the assignee finds it there (docs: the triage decision record).
 */
export async function triagePost(
  db: Kysely<Database>,
  actor: Actor,
  input: TriagePostInput,
): Promise<{ changed: boolean; version: number }> {
  requireTriager(actor);
  const value = TriagePostInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const post = await trx
      .selectFrom('post')
      .select(['id', 'title', 'status', 'version', 'product_area_id', 'assignee_id', 'triaged_at'])
      .where('id', '=', value.postId)
      .forUpdate()
      .executeTakeFirst();
    if (!post) throw new DomainError<TriagePostError>('post_not_found', undefined, 404);
    const named = { id: post.id, title: post.title };
    if (post.version !== value.expectedVersion) {
      throw new TriageRefusal<TriagePostError>('changed_meanwhile', named, null, undefined, 409);
    }

    const statusChanges = value.status !== post.status;
    if (statusChanges && post.status === 'merged') {
      throw new TriageRefusal<TriagePostError>('post_merged', named, { from: post.status, to: value.status }, 'status', 409);
    }
    // A note without a status change would be silently lost.
    if (!statusChanges && value.note) throw new DomainError<TriagePostError>('note_without_status', 'note');

    const areaChanges = value.productAreaId !== post.product_area_id;
    if (areaChanges) await requireActiveArea(trx, value.productAreaId);

    const currentTags = await trx
      .selectFrom('post_tag')
      .innerJoin('tag', 'tag.id', 'post_tag.tag_id')
      .select(['tag.id', 'tag.archived_at'])
      .where('post_tag.post_id', '=', post.id)
      .execute();
    const wanted = new Set(value.tagIds);
    const added = [...wanted].filter((id) => !currentTags.some((tag) => tag.id === id));
    // Archived tags are never offered, so no form names them: they stay.
    const removed = currentTags.filter((tag) => tag.archived_at === null && !wanted.has(tag.id)).map((tag) => tag.id);
    await requireActiveTags(trx, added);

    const assigneeChanges = value.assigneeId !== post.assignee_id;
    if (assigneeChanges && value.assigneeId) await requireAssignableTriager(trx, value.assigneeId);

    const tagsChange = added.length > 0 || removed.length > 0;
    const marksTriaged = post.triaged_at === null && (areaChanges || tagsChange || statusChanges || value.markTriaged);
    if (!statusChanges && !areaChanges && !tagsChange && !assigneeChanges && !marksTriaged) {
      return { changed: false, version: post.version };
    }

    if (statusChanges) {
      await applyStatusChanges(trx, actor.id, [
        { postId: post.id, to: value.status, note: value.note, expectedVersion: value.expectedVersion },
      ]);
    }
    if (areaChanges || tagsChange || assigneeChanges || marksTriaged) {
      await trx
        .updateTable('post')
        .set((eb) => ({
          product_area_id: value.productAreaId,
          assignee_id: value.assigneeId,
          // One edit, one version: applyStatusChanges has bumped it already.
          ...(statusChanges ? {} : { version: eb('version', '+', 1) }),
          ...(marksTriaged ? { triaged_at: sql<Date>`now()`, sla_flagged_at: null } : {}),
          updated_at: sql<Date>`now()`,
        }))
        .where('id', '=', post.id)
        .execute();
    }
    if (removed.length > 0) {
      await trx.deleteFrom('post_tag').where('post_id', '=', post.id).where('tag_id', 'in', removed).execute();
    }
    if (added.length > 0) {
      await trx
        .insertInto('post_tag')
        .values(added.map((tagId) => ({ post_id: post.id, tag_id: tagId })))
        .execute();
    }

    const audit = (action: string, before: unknown, after: unknown) =>
      writeAudit(trx, { actorId: actor.id, action, subjectType: 'post', subjectId: post.id, before, after });
    if (areaChanges) await audit('post.area_change', { productAreaId: post.product_area_id }, { productAreaId: value.productAreaId });
    if (tagsChange) {
      const before = currentTags.map((tag) => tag.id).sort();
      const after = [...before.filter((id) => !removed.includes(id)), ...added].sort();
      await audit('post.tags_change', { tagIds: before }, { tagIds: after });
    }
    if (assigneeChanges) await audit('post.assign', { assigneeId: post.assignee_id }, { assigneeId: value.assigneeId });
    // Marking alone is a triage decision of its own; the other changes above record it already.
    if (marksTriaged && !statusChanges && !areaChanges && !tagsChange) await audit('post.mark_triaged', { triaged: false }, { triaged: true });

    const { version } = await trx.selectFrom('post').select('version').where('id', '=', post.id).executeTakeFirstOrThrow();
    return { changed: true, version };
  });
}
