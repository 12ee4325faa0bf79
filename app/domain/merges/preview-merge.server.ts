import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus, PostType } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import {assertMergeable } from './merge-rules.server.js';
import { requireTriager } from '../triage/triage-roles.js';

export const PreviewMergeInputSchema = z.object({
  sourceId: z.string().min(1).max(64),
  targetId: z.string().min(1).max(64),
});
export type PreviewMergeInput = z.input<typeof PreviewMergeInputSchema>;

export interface MergePostSummary {
  id: string;
  title: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
}

/** What a merge would do, for the confirm step; counts only, never who. */
export interface MergePreview {
  source: MergePostSummary;
  target: MergePostSummary;
  votesMoving: number;
  /** Of the votes moving, those whose member also voted on the target: they count once. */
  votersAlreadyOnTarget: number;
  followersMoving: number;
  followersAlreadyOnTarget: number;
  targetVoteCountAfter: number;
  /** The duplicate's author will be credited as a co-author of the target. */
  creditsCoauthor: boolean;
}

/**
 * The arithmetic of merging `sourceId` into `targetId`, refused for the same
 * reasons mergePosts refuses (nothing is locked: the merge checks again).
 */
export async function previewMerge(db: Kysely<Database>, actor: Actor, input: PreviewMergeInput): Promise<MergePreview> {
  requireTriager(actor);
  const { sourceId, targetId } = PreviewMergeInputSchema.parse(input);
  const posts = await db
    .selectFrom('post')
    .select(['id', 'author_id', 'title', 'type', 'status', 'vote_count', 'merged_into_id', 'hidden_at'])
    .where('id', 'in', [sourceId, targetId])
    .execute();
  const { source, target } = await assertMergeable(
    db,
    sourceId,
    targetId,
    posts.find((post) => post.id === sourceId),
    posts.find((post) => post.id === targetId),
  );

  const counts = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('vote')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('vote.post_id', '=', sourceId)
        .as('votes'),
      eb
        .selectFrom('vote')
        .innerJoin('vote as on_target', 'on_target.voter_id', 'vote.voter_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('vote.post_id', '=', sourceId)
        .where('on_target.post_id', '=', targetId)
        .as('votes_overlap'),
      eb
        .selectFrom('follow')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('follow.post_id', '=', sourceId)
        .as('follows'),
      eb
        .selectFrom('follow')
        .innerJoin('follow as on_target', 'on_target.user_id', 'follow.user_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('follow.post_id', '=', sourceId)
        .where('on_target.post_id', '=', targetId)
        .as('follows_overlap'),
    ])
    .executeTakeFirstOrThrow();
  const votes = counts.votes ?? 0;
  const overlap = counts.votes_overlap ?? 0;
  return {
    source: summaryOf(source),
    target: summaryOf(target),
    votesMoving: votes,
    votersAlreadyOnTarget: overlap,
    followersMoving: counts.follows ?? 0,
    followersAlreadyOnTarget: counts.follows_overlap ?? 0,
    targetVoteCountAfter: target.vote_count + votes - overlap,
    creditsCoauthor: source.author_id !== target.author_id,
  };
}

function summaryOf(post: { id: string; title: string; type: PostType; status: PostStatus; vote_count: number }): MergePostSummary {
  return { id: post.id, title: post.title, type: post.type, status: post.status, voteCount: post.vote_count };
}
