import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus, PostType } from '../../../db/schema.js';
import { setTrigramThresholds } from './trigram.server.js';

export const FindSimilarPostsInputSchema = z.object({
  title: z.string().trim().max(200),
  limit: z.number().int().min(1).max(10).default(5),
});
export type FindSimilarPostsInput = z.input<typeof FindSimilarPostsInputSchema>;

export interface SimilarPost {
  id: string;
  title: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
}

// Low enough that a Chinese title sharing a four-character phrase is found
// ("数据库连接超时" ~ "连接超时问题" scores 0.25); ranking puts the closest first.
const THRESHOLD = 0.2;

/**
 * Up to five visible posts whose titles look like `title`, closest first:
 * trigram similarity of the whole title plus that of the typed text to the best-matching part of
 * a title. Works without word spaces, so for Chinese too. Merged, declined
 * and shipped posts are included with their status; hidden ones never.
 */
export async function findSimilarPosts(
  db: Kysely<Database>,
  _viewer: { id: string },
  input: FindSimilarPostsInput,
): Promise<SimilarPost[]> {
  const { title, limit } = FindSimilarPostsInputSchema.parse(input);
  // Fewer than two characters carry no trigram worth matching.
  if ([...title].length < 2) return [];
  const rows = await db.transaction().execute(async (trx) => {
    await setTrigramThresholds(trx, { similarity: THRESHOLD, wordSimilarity: THRESHOLD });
    const score = sql<number>`similarity(post.title, ${title}) + word_similarity(${title}, post.title)`;
    return trx
      .selectFrom('post')
      .select(['post.id', 'post.title', 'post.type', 'post.status', 'post.vote_count', score.as('score')])
      .where('post.hidden_at', 'is', null)
      .where((eb) => eb.or([sql<boolean>`post.title % ${title}`, sql<boolean>`${title} <% post.title`]))
      .orderBy(score, 'desc')
      .orderBy('post.id')
      .limit(limit)
      .execute();
  });
  return rows.map((row) => ({
    id: row.id,
    title: row.title,
    type: row.type,
    status: row.status,
    voteCount: row.vote_count,
  }));
}

