import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus, PostType } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { findSimilarPosts } from '../posts/find-similar-posts.server.js';
import type { TextSegment } from '../posts/highlight.js';
import { searchPosts } from '../posts/search-posts.server.js';
import {type MergeError } from './merge-rules.server.js';
import { requireTriager } from '../triage/triage-roles.js';

export const ListMergeCandidatesInputSchema = z.object({
  sourceId: z.string().min(1).max(64),
  query: z.string().trim().max(200).default(''),
  locale: z.enum(['en', 'zh-CN']).default('en'),
});
export type ListMergeCandidatesInput = z.input<typeof ListMergeCandidatesInputSchema>;

export interface MergeCandidate {
  id: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
  /** Search matches marked, as segments (never HTML). */
  title: TextSegment[];
}

export interface MergeCandidates {
  source: { id: string; title: string; type: PostType; status: PostStatus; voteCount: number; mergedIntoId: string | null };
  /** 'similar' when no query was given: posts whose titles look like the duplicate's. */
  basis: 'similar' | 'search';
  candidates: MergeCandidate[];
}

const CANDIDATE_LIMIT = 20;
/** A post's address or bare id, pasted into the search field. */
const POST_ID_IN_QUERY = /(?:^|\/posts\/)([a-z2-7]{24})(?:[/?#]|$)/;

/**
 * Posts the duplicate could be merged into: those whose titles resemble it,
 * or those matching a search (a pasted post address finds that post). The
 * duplicate itself, merged posts and hidden posts are never offered.
 */
export async function listMergeCandidates(
  db: Kysely<Database>,
  actor: Actor,
  input: ListMergeCandidatesInput,
): Promise<MergeCandidates> {
  requireTriager(actor);
  const { sourceId, query, locale } = ListMergeCandidatesInputSchema.parse(input);
  const source = await db
    .selectFrom('post')
    .select(['id', 'title', 'type', 'status', 'vote_count', 'merged_into_id'])
    .where('id', '=', sourceId)
    .executeTakeFirst();
  if (!source) throw new DomainError<MergeError>('source_not_found', undefined, 404);

  const pastedId = POST_ID_IN_QUERY.exec(query)?.[1];
  let found: MergeCandidate[];
  if (source.merged_into_id) {
    // Nothing to offer: an undo comes first.
    found = [];
  } else if (pastedId) {
    const post = await db
      .selectFrom('post')
      .select(['id', 'title', 'type', 'status', 'vote_count'])
      .where('id', '=', pastedId)
      .where('hidden_at', 'is', null)
      .executeTakeFirst();
    found = post ? [{ ...post, voteCount: post.vote_count, title: [{ text: post.title, match: false }] }] : [];
  } else if (query) {
    found = (await searchPosts(db, actor, { query, locale, limit: CANDIDATE_LIMIT })).results;
  } else {
    const similar = await findSimilarPosts(db, actor, { title: source.title, limit: 10 });
    found = similar.map((post) => ({ ...post, title: [{ text: post.title, match: false }] }));
  }
  return {
    source: {
      id: source.id,
      title: source.title,
      type: source.type,
      status: source.status,
      voteCount: source.vote_count,
      mergedIntoId: source.merged_into_id,
    },
    basis: query ? 'search' : 'similar',
    candidates: found
      .filter((post) => post.id !== sourceId && post.status !== 'merged')
      .map(({ id, type, status, voteCount, title }) => ({ id, type, status, voteCount, title })),
  };
}
