import { sql, type Transaction } from 'kysely';
import type { Database, PostStatus } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { DomainError } from '../errors.js';
import { writeOutboxMany } from '../outbox/write-outbox.server.js';
import { canTransition, requiresNote } from './transitions.js';
import { TriageRefusal } from './triage-refusal.js';

export type StatusChangeError = 'post_not_found' | 'changed_meanwhile' | 'transition_not_allowed' | 'note_required';

export interface StatusChangeRequest {
  postId: string;
  to: PostStatus;
  /** Public note shown on the post's timeline; required for declined. */
  note?: string | null;
  /** The post version the editor started from; omitted, no optimistic check. */
  expectedVersion?: number;
}

export interface AppliedStatusChange {
  postId: string;
  changeId: string;
  from: PostStatus;
  to: PostStatus;
}

/**
 * The one way a post's status moves (triage, bulk actions, shipping a roadmap
 * item): inside the caller's transaction it locks the posts, checks each
 * transition and version, then writes the new status, one timeline row, one
 * audit row and one outbox event per post, a statement each however many
 * posts there are. A change to the status a post already has is skipped, so
 * shipping an item twice announces nothing twice. Any refusal throws before
 * anything is written: a TriageRefusal naming the post (and the move), so the
 * caller can say which post of a selection blocks it.
 */
export async function applyStatusChanges(
  trx: Transaction<Database>,
  actorId: string | null,
  requests: readonly StatusChangeRequest[],
): Promise<AppliedStatusChange[]> {
  if (requests.length === 0) return [];
  const ids = [...new Set(requests.map((request) => request.postId))];
  // Ordered by id so two transactions locking overlapping sets cannot deadlock.
  const rows = await trx
    .selectFrom('post')
    .select(['id', 'title', 'status', 'version'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forUpdate()
    .execute();
  const current = new Map(rows.map((row) => [row.id, row]));

  const applied: (AppliedStatusChange & { note: string | null })[] = [];
  for (const request of requests) {
    const post = current.get(request.postId);
    if (!post) throw new DomainError<StatusChangeError>('post_not_found', undefined, 404);
    const named = { id: post.id, title: post.title };
    const move = { from: post.status, to: request.to };
    if (request.expectedVersion !== undefined && request.expectedVersion !== post.version) {
      throw new TriageRefusal<StatusChangeError>('changed_meanwhile', named, null, undefined, 409);
    }
    if (post.status === request.to) continue;
    if (!canTransition(post.status, request.to)) {
      throw new TriageRefusal<StatusChangeError>('transition_not_allowed', named, move, 'status', 409);
    }
    const note = request.note?.trim() || null;
    if (requiresNote(request.to) && !note) throw new TriageRefusal<StatusChangeError>('note_required', named, move, 'note');
    applied.push({ postId: post.id, changeId: randomId(), from: post.status, to: request.to, note });
    post.status = request.to;
  }
  if (applied.length === 0) return [];

  const byStatus = new Map<PostStatus, string[]>();
  for (const change of applied) byStatus.set(change.to, [...(byStatus.get(change.to) ?? []), change.postId]);
  for (const [status, postIds] of byStatus) {
    await trx
      .updateTable('post')
      .set((eb) => ({
        status,
        version: eb('version', '+', 1),
        status_changed_at: sql<Date>`now()`,
        triaged_at: sql<Date>`coalesce(triaged_at, now())`,
        sla_flagged_at: null,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', 'in', postIds)
      .execute();
  }
  await trx
    .insertInto('post_status_change')
    .values(
      applied.map((change) => ({
        id: change.changeId,
        post_id: change.postId,
        from_status: change.from,
        to_status: change.to,
        actor_id: actorId,
        note: change.note,
      })),
    )
    .execute();
  await trx
    .insertInto('audit_log')
    .values(
      applied.map((change) => ({
        actor_id: actorId,
        action: 'post.status_change',
        subject_type: 'post',
        subject_id: change.postId,
        before: JSON.stringify({ status: change.from }),
        after: JSON.stringify({ status: change.to, note: change.note }),
      })),
    )
    .execute();
  await writeOutboxMany(
    trx,
    'post.status_changed',
    applied.map((change) => ({ postId: change.postId, changeId: change.changeId })),
  );
  return applied.map(({ postId, changeId, from, to }) => ({ postId, changeId, from, to }));
}
