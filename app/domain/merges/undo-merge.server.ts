import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { getSettings } from '../settings/settings.server.js';
import { recountVotes } from '../votes/toggle-vote.server.js';
import { UNDO_WINDOW_HOURS } from './limits.js';
import { requireTriager } from '../triage/triage-roles.js';

export const UndoMergeInputSchema = z.object({ mergeId: z.string().min(1).max(64) });
export type UndoMergeInput = z.input<typeof UndoMergeInputSchema>;

export type UndoMergeError = 'forbidden' | 'merge_not_found' | 'already_undone' | 'undo_window_over' | 'target_merged_since';

/**
 * Undoes a merge within 24 hours of it, for triagers and product admins:
 * the duplicate gets back its votes, followers and status, the target loses
 * exactly what the merge gave it, both are recounted, and the co-authorship
 * from this merge ends. Refused twice, after the window, and once the target
 * has itself been merged (undo that merge first).
 */
export async function undoMerge(
  db: Kysely<Database>,
  actor: Actor,
  input: UndoMergeInput,
): Promise<{ sourceId: string; targetId: string }> {
  requireTriager(actor);
  const { mergeId } = UndoMergeInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const merge = await trx
      .selectFrom('post_merge')
      .select([
        'id',
        'source_post_id',
        'target_post_id',
        'source_status_before',
        'source_triaged_at_before',
        'undone_at',
        sql<boolean>`merged_at > now() - make_interval(hours => ${UNDO_WINDOW_HOURS})`.as('within_window'),
      ])
      .where('id', '=', mergeId)
      .forUpdate()
      .executeTakeFirst();
    if (!merge) throw new DomainError<UndoMergeError>('merge_not_found', undefined, 404);
    if (merge.undone_at) throw new DomainError<UndoMergeError>('already_undone', undefined, 409);
    if (!merge.within_window) throw new DomainError<UndoMergeError>('undo_window_over', undefined, 409);
    const sourceId = merge.source_post_id;
    const targetId = merge.target_post_id;

    // Locked in id order, like mergePosts, so a merge and an undo of the same posts queue up.
    const posts = await trx
      .selectFrom('post')
      .select(['id', 'status', 'created_at'])
      .where('id', 'in', [sourceId, targetId])
      .orderBy('id')
      .forUpdate()
      .execute();
    const source = posts.find((post) => post.id === sourceId)!;
    const target = posts.find((post) => post.id === targetId)!;
    // Its votes have moved on again; taking them back from here would not restore anything.
    if (target.status === 'merged') throw new DomainError<UndoMergeError>('target_merged_since', undefined, 409);

    // The target loses the votes the merge gave it. A member who has since
    // taken that vote back leaves nothing to remove. One who has since
    // changed it (taken it back and voted again, with a new note) still
    // loses it: a vote row does not say whether it is the moved one, and the
    // member's vote on the duplicate comes back below, so their voice is
    // restored where they gave it rather than counted on a post they never
    // chose. Members who had voted on both keep their own vote on the target.
    await trx
      .deleteFrom('vote')
      .where('post_id', '=', targetId)
      .where('voter_id', 'in', (eb) =>
        eb.selectFrom('post_merge_vote').select('voter_id').where('merge_id', '=', mergeId).where('already_on_target', '=', false),
      )
      .execute();
    await trx
      .insertInto('vote')
      .columns(['post_id', 'voter_id', 'impact_note', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('post_merge_vote')
          .select([sql<string>`${sourceId}::text`.as('post_id'), 'voter_id', 'impact_note', 'voted_at'])
          .where('merge_id', '=', mergeId),
      )
      .onConflict((oc) => oc.columns(['post_id', 'voter_id']).doNothing())
      .execute();

    await trx
      .deleteFrom('follow')
      .where('post_id', '=', targetId)
      .where('user_id', 'in', (eb) =>
        eb.selectFrom('post_merge_follow').select('user_id').where('merge_id', '=', mergeId).where('already_on_target', '=', false),
      )
      .execute();
    await trx
      .insertInto('follow')
      .columns(['post_id', 'user_id', 'created_at'])
      .expression((eb) =>
        eb
          .selectFrom('post_merge_follow')
          .select([sql<string>`${sourceId}::text`.as('post_id'), 'user_id', 'followed_at'])
          .where('merge_id', '=', mergeId),
      )
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
      .execute();

    await trx.deleteFrom('post_coauthor').where('merge_id', '=', mergeId).execute();

    const settings = await getSettings(trx);
    await recountVotes(trx, sourceId, source.created_at, settings);
    await recountVotes(trx, targetId, target.created_at, settings);

    await trx
      .updateTable('post')
      .set((eb) => ({
        status: merge.source_status_before,
        merged_into_id: null,
        version: eb('version', '+', 1),
        status_changed_at: sql<Date>`now()`,
        triaged_at: merge.source_triaged_at_before,
        updated_at: sql<Date>`now()`,
      }))
      .where('id', '=', sourceId)
      .execute();
    await trx
      .insertInto('post_status_change')
      .values({
        id: randomId(),
        post_id: sourceId,
        from_status: 'merged',
        to_status: merge.source_status_before,
        actor_id: actor.id,
        note: null,
      })
      .execute();
    await trx
      .updateTable('post_merge')
      .set({ undone_by: actor.id, undone_at: sql<Date>`now()` })
      .where('id', '=', mergeId)
      .execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'post.merge_undo',
      subjectType: 'post',
      subjectId: sourceId,
      before: { status: 'merged', mergedIntoId: targetId, mergeId },
      after: { status: merge.source_status_before },
    });
    return { sourceId, targetId };
  });
}
