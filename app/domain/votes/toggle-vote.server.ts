import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { lockPostForAction } from '../posts/get-post.server.js';
import { hotRank } from '../posts/hot-rank.js';
import { getSettings, type Settings } from '../settings/settings.server.js';
import { VOTE_IMPACT_NOTE_MAX_LENGTH } from './limits.js';

export const ToggleVoteInputSchema = z.object({
  postId: z.string().min(1).max(64),
  impactNote: z
    .string()
    .trim()
    .max(VOTE_IMPACT_NOTE_MAX_LENGTH)
    .optional()
    .transform((note) => note || null),
});
export type ToggleVoteInput = z.input<typeof ToggleVoteInputSchema>;

export interface VoteTally {
  voted: boolean;
  voteCount: number;
  weightedScore: number;
  orgCount: number;
}

/**
 * "Me too": one vote per member per post; voting again takes it back. The
 * voter follows the post. Refuses a hidden post ('post_hidden') and a merged
 * one ('post_merged': vote on the post it was merged into).
 *
 * The post row is locked first, so concurrent toggles on one post run one
 * after another and the counters, recomputed from the votes each time, always
 * equal a recount.
 */
export async function toggleVote(db: Kysely<Database>, actor: Actor, input: ToggleVoteInput): Promise<VoteTally> {
  const { postId, impactNote } = ToggleVoteInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const post = await lockPostForAction(trx, postId);
    const removed = await trx
      .deleteFrom('vote')
      .where('post_id', '=', postId)
      .where('voter_id', '=', actor.id)
      .executeTakeFirst();
    const voted = Number(removed.numDeletedRows) === 0;
    if (voted) {
      await trx.insertInto('vote').values({ post_id: postId, voter_id: actor.id, impact_note: impactNote }).execute();
      await trx
        .insertInto('follow')
        .values({ post_id: postId, user_id: actor.id })
        .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
        .execute();
    }
    const tally = await recountVotes(trx, postId, post.createdAt, await getSettings(trx));
    return { voted, ...tally };
  });
}

/**
 * Recomputes a post's vote counters from its votes and stores them. Each
 * vote weighs by its voter's org tier (settings). A voter without an org
 * (vendor staff) weighs as the standard tier: their "me too" is a real
 * signal, but no customer revenue stands behind it; they add no org to the
 * distinct-org count.
 */
export async function recountVotes(
  trx: Transaction<Database>,
  postId: string,
  postCreatedAt: Date,
  settings: Pick<Settings, 'tierWeightStrategic' | 'tierWeightMajor' | 'tierWeightStandard'>,
): Promise<Omit<VoteTally, 'voted'>> {
  const counts = await trx
    .selectFrom('vote')
    .innerJoin('app_user', 'app_user.id', 'vote.voter_id')
    .leftJoin('org', 'org.id', 'app_user.org_id')
    .select([
      sql<number>`count(*)::int`.as('vote_count'),
      sql<number>`coalesce(sum(CASE org.value_tier
        WHEN 'strategic' THEN ${settings.tierWeightStrategic}::int
        WHEN 'major' THEN ${settings.tierWeightMajor}::int
        ELSE ${settings.tierWeightStandard}::int END), 0)::int`.as('weighted_score'),
      sql<number>`count(DISTINCT app_user.org_id)::int`.as('org_count'),
    ])
    .where('vote.post_id', '=', postId)
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('post')
    .set({
      vote_count: counts.vote_count,
      weighted_score: counts.weighted_score,
      org_count: counts.org_count,
      hot_rank: hotRank(counts.vote_count, postCreatedAt),
    })
    .where('id', '=', postId)
    .execute();
  return { voteCount: counts.vote_count, weightedScore: counts.weighted_score, orgCount: counts.org_count };
}
