import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Locale, PostStatus, PostType } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import { plainTextOf } from '../content/markdown.server.js';
import { highlight, searchTerms, snippet, type TextSegment } from './highlight.js';
import { containsPattern, setTrigramThresholds } from './trigram.server.js';

export const SearchPostsInputSchema = z.object({
  query: z.string().trim().max(200),
  locale: z.enum(['en', 'zh-CN']).default('en'),
  /** The cursor of the last result of the page before. */
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type SearchPostsInput = z.input<typeof SearchPostsInputSchema>;

export interface SearchResult {
  id: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
  /** Day-level only ('YYYY-MM-DD', UTC). */
  createdDay: string;
  areaName: string;
  title: TextSegment[];
  snippet: TextSegment[];
}

export interface SearchPage {
  results: SearchResult[];
  /** Cursor for the next, less relevant page, or null on the last. */
  nextCursor: string | null;
}

// [relevance, id] of the last result shown. Relevance is a float8 that
// survives the JSON round trip exactly (shortest round-trip digits both ways).
const SearchCursorSchema = z.tuple([z.number().finite(), z.string().min(1).max(64)]);

// A typo or a partial Chinese phrase still finds a post at this word similarity.
const FUZZY_THRESHOLD = 0.25;

/**
 * Visible posts whose title or body contain every word of the query, or
 * resemble it (trigram word similarity, which needs no word spaces and so
 * works for Chinese), most relevant first: a title match weighs twice a
 * body match, an exact phrase in the title most. Keyset-paged on
 * (relevance, id), so the next page starts right after the last result
 * shown: no result twice, none skipped. Matches are marked as segments
 * (never HTML).
 */
export async function searchPosts(
  db: Kysely<Database>,
  _viewer: { id: string } | null,
  input: SearchPostsInput,
): Promise<SearchPage> {
  const { query, locale, after, limit } = SearchPostsInputSchema.parse(input);
  const terms = searchTerms(query);
  if (terms.length === 0) return { results: [], nextCursor: null };
  const words = query.split(/\s+/).filter(Boolean).slice(0, 8);
  const phrase = containsPattern(query);
  const cursor = decodeCursor(after, SearchCursorSchema);

  const rows = await db.transaction().execute(async (trx) => {
    await setTrigramThresholds(trx, { similarity: FUZZY_THRESHOLD, wordSimilarity: FUZZY_THRESHOLD });
    const relevance = sql<number>`(
      2 * word_similarity(${query}, post.title)
      + word_similarity(${query}, post.body)
      + CASE WHEN post.title ILIKE ${phrase} THEN 2 ELSE 0 END
      + CASE WHEN post.body ILIKE ${phrase} THEN 0.5 ELSE 0 END
    )::double precision`;
    let found = trx
      .selectFrom('post')
      .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
      .select([
        'post.id',
        'post.type',
        'post.status',
        'post.vote_count',
        'post.title',
        'post.body_html',
        sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('created_day'),
        (locale as Locale) === 'zh-CN' ? 'product_area.name_zh as area_name' : 'product_area.name_en as area_name',
        relevance.as('relevance'),
      ])
      .where('post.hidden_at', 'is', null)
      .where((eb) =>
        eb.or([
          // Every word, in the title or the body (each served by a trigram index).
          eb.and(
            words.map((word) =>
              eb.or([eb('post.title', 'ilike', containsPattern(word)), eb('post.body', 'ilike', containsPattern(word))]),
            ),
          ),
          sql<boolean>`${query} <% post.title`,
          sql<boolean>`${query} <% post.body`,
        ]),
      );
    if (cursor) {
      // After the cursor in (relevance DESC, id ASC) order.
      const [lastRelevance, lastId] = cursor;
      found = found.where(
        sql<boolean>`(${relevance} < ${lastRelevance}::double precision OR (${relevance} = ${lastRelevance}::double precision AND post.id > ${lastId}))`,
      );
    }
    return found
      .orderBy(relevance, 'desc')
      .orderBy('post.id')
      .limit(limit + 1)
      .execute();
  });
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    results: page.map((row) => ({
      id: row.id,
      type: row.type,
      status: row.status,
      voteCount: row.vote_count,
      createdDay: row.created_day,
      areaName: row.area_name,
      title: highlight(row.title, terms),
      // From the rendered text, so the snippet shows words, not Markdown marks.
      snippet: snippet(plainTextOf(row.body_html), terms),
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([Number(last.relevance), last.id]) : null,
  };
}
