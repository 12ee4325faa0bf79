import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database, PostStatus } from '../../../db/schema.js';
import { DomainError } from '../errors.js';

export type MergeError =
  | 'forbidden'
  | 'merge_into_itself'
  | 'source_not_found'
  | 'target_not_found'
  | 'source_merged'
  | 'target_merged'
  | 'target_hidden'
  | 'merge_cycle';

export interface MergeablePost {
  id: string;
  status: PostStatus;
  merged_into_id: string | null;
  hidden_at: Date | null;
}

/**
 * Refuses a merge that cannot be made, with the most specific reason: the
 * same post twice, an unknown post, a duplicate that is already merged, a
 * target that is merged or hidden, or a target that leads back to the
 * duplicate through earlier merges (a cycle).
 */
export async function assertMergeable<Post extends MergeablePost>(
  executor: Kysely<Database> | Transaction<Database>,
  sourceId: string,
  targetId: string,
  source: Post | undefined,
  target: Post | undefined,
): Promise<{ source: Post; target: Post }> {
  if (sourceId === targetId) throw new DomainError<MergeError>('merge_into_itself', 'targetId', 409);
  if (!source) throw new DomainError<MergeError>('source_not_found', undefined, 404);
  if (!target) throw new DomainError<MergeError>('target_not_found', 'targetId', 404);
  if (isMerged(source)) throw new DomainError<MergeError>('source_merged', undefined, 409);
  // Before target_merged: "that post was merged into this one" says more than "that post is merged".
  if (isMerged(target) && (await mergeChainReaches(executor, targetId, sourceId))) {
    throw new DomainError<MergeError>('merge_cycle', 'targetId', 409);
  }
  if (isMerged(target)) throw new DomainError<MergeError>('target_merged', 'targetId', 409);
  if (target.hidden_at) throw new DomainError<MergeError>('target_hidden', 'targetId', 409);
  return { source, target };
}

function isMerged(post: MergeablePost): boolean {
  return post.status === 'merged' || post.merged_into_id !== null;
}

/** Whether following merged_into_id from `fromId` arrives at `postId`. */
async function mergeChainReaches(
  executor: Kysely<Database> | Transaction<Database>,
  fromId: string,
  postId: string,
): Promise<boolean> {
  // The depth cap only guards against a loop that the rules above never let form.
  const { rows } = await sql<{ found: number }>`
    WITH RECURSIVE chain (id, depth) AS (
      SELECT merged_into_id, 1 FROM post WHERE id = ${fromId} AND merged_into_id IS NOT NULL
      UNION ALL
      SELECT post.merged_into_id, chain.depth + 1
      FROM post JOIN chain ON post.id = chain.id
      WHERE post.merged_into_id IS NOT NULL AND chain.depth < 100
    )
    SELECT 1 AS found FROM chain WHERE id = ${postId} LIMIT 1`.execute(executor);
  return rows.length > 0;
}
