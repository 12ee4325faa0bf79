import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { CARD_COLUMNS, type RoadmapCard, toPublicCards } from './roadmap-cards.server.js';

export const BOARD_LIMITS = {
  /** Items per open column; a roadmap longer than this is not a plan anyone reads. */
  openPerColumn: 100,
  /** The most recently shipped; the changelog has the rest. */
  shipped: 5,
  postsPerItem: 10,
} as const;

export interface RoadmapBoard {
  planned: RoadmapCard[];
  inProgress: RoadmapCard[];
  shipped: RoadmapCard[];
  /** More items shipped than the board shows. */
  moreShipped: boolean;
}

/**
 * The public board: planned and in-progress items in their set order, the
 * latest shipped ones, each with its visible posts (never hidden or merged
 * ones) and their votes. Four queries, however long the roadmap.
 */
export async function listRoadmapBoard(db: Kysely<Database>): Promise<RoadmapBoard> {
  const items = db.selectFrom('roadmap_item').select(CARD_COLUMNS);
  const [planned, inProgress, shipped] = await Promise.all([
    items.where('status', '=', 'planned').orderBy('position').orderBy('id').limit(BOARD_LIMITS.openPerColumn).execute(),
    items.where('status', '=', 'in_progress').orderBy('position').orderBy('id').limit(BOARD_LIMITS.openPerColumn).execute(),
    items
      .where('shipped_at', 'is not', null)
      .orderBy('shipped_at', 'desc')
      .orderBy('id', 'desc')
      .limit(BOARD_LIMITS.shipped + 1)
      .execute(),
  ]);
  const cards = await toPublicCards(db, [...planned, ...inProgress, ...shipped.slice(0, BOARD_LIMITS.shipped)], BOARD_LIMITS.postsPerItem);
  const byId = new Map(cards.map((card) => [card.id, card]));
  const pick = (rows: { id: string }[]) => rows.map((row) => byId.get(row.id)!);
  return {
    planned: pick(planned),
    inProgress: pick(inProgress),
    shipped: pick(shipped.slice(0, BOARD_LIMITS.shipped)),
    moreShipped: shipped.length > BOARD_LIMITS.shipped,
  };
}
