import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { type Actor, isUniqueViolation } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { writeOutbox } from '../outbox/write-outbox.server.js';
import { getSettings } from '../settings/settings.server.js';
import { recountVotes } from '../votes/toggle-vote.server.js';
import { MERGE_NOTE_MAX_LENGTH } from './limits.js';
import {assertMergeable, type MergeError } from './merge-rules.server.js';
import { requireTriager } from '../triage/triage-roles.js';

export const MergePostsInputSchema = z.object({
  sourceId: z.string().min(1).max(64),
  targetId: z.string().min(1).max(64),
  /** Public, on the duplicate's timeline. */
  note: z
    .string()
    .trim()
    .max(MERGE_NOTE_MAX_LENGTH)
    .nullish()
    .transform((note) => note || null),
});
export type MergePostsInput = z.input<typeof MergePostsInputSchema>;

export interface MergeResult {
  mergeId: string;
  /** Votes taken off the duplicate, and how many of their voters had voted on the target too. */
  votesMoved: number;
  votersAlreadyOnTarget: number;
  followersMoved: number;
}

/**
 * Merges a duplicate (source) into a target post, for triagers and product
 * admins. The duplicate's votes and followers move to the target (a member
 * who voted on both counts once), both posts' counters are recounted, the
 * duplicate becomes 'merged' with a timeline row, and its author becomes a
 * co-author of the target. Comments stay on the duplicate. Everything the
 * merge changes is kept in post_merge* rows, so undoMerge can restore it
 * exactly. The followers hear of it through the 'post.merged' event.
 *
 * Both posts are locked in id order, so concurrent merges of the same posts
 * (either way round) run one after another and the second is refused.
 */
export async function mergePosts(db: Kysely<Database>, actor: Actor, input: MergePostsInput): Promise<MergeResult> {
  requireTriager(actor);
  const { sourceId, targetId, note } = MergePostsInputSchema.parse(input);
  try {
    return await db.transaction().execute(async (trx) => {
      const locked = await trx
        .selectFrom('post')
        .select(['id', 'author_id', 'status', 'merged_into_id', 'hidden_at', 'triaged_at', 'created_at'])
        .where('id', 'in', [sourceId, targetId])
        .orderBy('id')
        .forUpdate()
        .execute();
      const { source: sourcePost, target: targetPost } = await assertMergeable(
        trx,
        sourceId,
        targetId,
        locked.find((post) => post.id === sourceId),
        locked.find((post) => post.id === targetId),
      );

      const mergeId = randomId();
      await trx
        .insertInto('post_merge')
        .values({
          id: mergeId,
          source_post_id: sourceId,
          target_post_id: targetId,
          source_status_before: sourcePost.status,
          source_triaged_at_before: sourcePost.triaged_at,
          merged_by: actor.id,
        })
        .execute();

      // Votes: remember each one as it was, then give the target a vote for
      // every member who had none there (keeping when and why they voted).
      const votes = await trx
        .insertInto('post_merge_vote')
        .columns(['merge_id', 'voter_id', 'impact_note', 'voted_at', 'already_on_target'])
        .expression((eb) =>
          eb
            .selectFrom('vote')
            .select((inner) => [
              sql<string>`${mergeId}::text`.as('merge_id'),
              'vote.voter_id',
              'vote.impact_note',
              'vote.created_at',
              inner
                .exists(
                  inner
                    .selectFrom('vote as on_target')
                    .select('on_target.voter_id')
                    .where('on_target.post_id', '=', targetId)
                    .whereRef('on_target.voter_id', '=', 'vote.voter_id'),
                )
                .as('already_on_target'),
            ])
            .where('vote.post_id', '=', sourceId),
        )
        .returning(['already_on_target'])
        .execute();
      await trx
        .insertInto('vote')
        .columns(['post_id', 'voter_id', 'impact_note', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('post_merge_vote')
            .select([sql<string>`${targetId}::text`.as('post_id'), 'voter_id', 'impact_note', 'voted_at'])
            .where('merge_id', '=', mergeId)
            .where('already_on_target', '=', false),
        )
        .execute();
      await trx.deleteFrom('vote').where('post_id', '=', sourceId).execute();

      // Followers, the same way.
      const follows = await trx
        .insertInto('post_merge_follow')
        .columns(['merge_id', 'user_id', 'followed_at', 'already_on_target'])
        .expression((eb) =>
          eb
            .selectFrom('follow')
            .select((inner) => [
              sql<string>`${mergeId}::text`.as('merge_id'),
              'follow.user_id',
              'follow.created_at',
              inner
                .exists(
                  inner
                    .selectFrom('follow as on_target')
                    .select('on_target.user_id')
                    .where('on_target.post_id', '=', targetId)
                    .whereRef('on_target.user_id', '=', 'follow.user_id'),
                )
                .as('already_on_target'),
            ])
            .where('follow.post_id', '=', sourceId),
        )
        .returning(['already_on_target'])
        .execute();
      await trx
        .insertInto('follow')
        .columns(['post_id', 'user_id', 'created_at'])
        .expression((eb) =>
          eb
            .selectFrom('post_merge_follow')
            .select([sql<string>`${targetId}::text`.as('post_id'), 'user_id', 'followed_at'])
            .where('merge_id', '=', mergeId)
            .where('already_on_target', '=', false),
        )
        .execute();
      await trx.deleteFrom('follow').where('post_id', '=', sourceId).execute();

      const settings = await getSettings(trx);
      await recountVotes(trx, sourceId, sourcePost.created_at, settings);
      await recountVotes(trx, targetId, targetPost.created_at, settings);

      // The status change applyStatusChanges refuses by design ('merged' is
      // reached only here), written the way it writes one: version bump,
      // triaged, SLA flag cleared, a timeline row.
      await trx
        .updateTable('post')
        .set((eb) => ({
          status: 'merged',
          merged_into_id: targetId,
          version: eb('version', '+', 1),
          status_changed_at: sql<Date>`now()`,
          triaged_at: sql<Date>`coalesce(triaged_at, now())`,
          sla_flagged_at: null,
          updated_at: sql<Date>`now()`,
        }))
        .where('id', '=', sourceId)
        .execute();
      await trx
        .insertInto('post_status_change')
        .values({ id: randomId(), post_id: sourceId, from_status: sourcePost.status, to_status: 'merged', actor_id: actor.id, note })
        .execute();

      // The duplicate's author, and the co-authors it gathered from earlier
      // merges, share in the target's reward (bounty issue); its author never
      // co-authors their own post.
      await trx
        .insertInto('post_coauthor')
        .columns(['post_id', 'user_id', 'merge_id', 'authored_at'])
        .expression((eb) =>
          eb
            .selectFrom(
              eb
                .selectFrom('post')
                .select(['author_id as user_id', 'created_at as authored_at'])
                .where('id', '=', sourceId)
                .unionAll(
                  eb
                    .selectFrom('post_coauthor')
                    .select(['user_id', 'authored_at'])
                    .where('post_id', '=', sourceId),
                )
                .as('authors'),
            )
            .select([
              sql<string>`${targetId}::text`.as('post_id'),
              'authors.user_id',
              sql<string>`${mergeId}::text`.as('merge_id'),
              sql<Date>`min(authors.authored_at)`.as('authored_at'),
            ])
            .where('authors.user_id', '!=', targetPost.author_id)
            .groupBy('authors.user_id'),
        )
        .execute();

      const result: MergeResult = {
        mergeId,
        votesMoved: votes.length,
        votersAlreadyOnTarget: votes.filter((vote) => vote.already_on_target).length,
        followersMoved: follows.length,
      };
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'post.merge',
        subjectType: 'post',
        subjectId: sourceId,
        before: { status: sourcePost.status },
        after: { status: 'merged', mergedIntoId: targetId, ...result, note },
      });
      await writeOutbox(trx, 'post.merged', { mergeId });
      return result;
    });
  } catch (error) {
    // The lock makes this rare; the unique index on active merges is the last word.
    if (isUniqueViolation(error)) throw new DomainError<MergeError>('source_merged', undefined, 409);
    throw error;
  }
}
