import { sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';

/**
 * Sets pg_trgm's thresholds for the `%` and `<%` operators for this
 * transaction only (set_config with is_local), so pooled connections keep
 * their defaults. The operators, unlike the functions, use the GIN indexes.
 */
export async function setTrigramThresholds(
  trx: Transaction<Database>,
  thresholds: { similarity: number; wordSimilarity: number },
): Promise<void> {
  await sql`SELECT set_config('pg_trgm.similarity_threshold', ${String(thresholds.similarity)}, true),
    set_config('pg_trgm.word_similarity_threshold', ${String(thresholds.wordSimilarity)}, true)`.execute(trx);
}

/** A LIKE pattern that matches `term` literally anywhere. */
export function containsPattern(term: string): string {
  return `%${term.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}
