import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { CARD_COLUMNS, type RoadmapCard, toPublicCards } from './roadmap-cards.server.js';

export const CHANGELOG_LIMITS = { pageSize: 20, postsPerItem: 10 } as const;

export const ListChangelogInputSchema = z.object({
  /** The shipped item a page starts at (inclusive); none means the newest. */
  from: z.string().min(1).max(64).optional(),
});
export type ListChangelogInput = z.input<typeof ListChangelogInputSchema>;

export interface ChangelogMonth {
  /** 'YYYY-MM' in UTC; the page names it in the reader's language. */
  month: string;
  items: RoadmapCard[];
}

export interface ChangelogPage {
  /** Newest first; a page may begin or end part-way through a month. */
  months: ChangelogMonth[];
  /** Where the next (older) page starts, or null on the last. */
  olderFrom: string | null;
  /** The previous (newer) page: `from` null means the first page; null means there is none. */
  newer: { from: string | null } | null;
}

/**
 * Shipped items, newest first, grouped by the month they shipped in, a
 * bounded page at a time. Pages are keyed by an item (`from`), compared as
 * (shipped_at, id) inside the database so no precision is lost, like the
 * feed's keyset pages: an item shipped while someone pages appears on the
 * first page without shifting the others. An unknown `from` (a stale link)
 * shows the newest page.
 */
export async function listChangelog(db: Kysely<Database>, input: ListChangelogInput): Promise<ChangelogPage> {
  const { from } = ListChangelogInputSchema.parse(input);
  const anchor = from
    ? await db.selectFrom('roadmap_item').select('id').where('id', '=', from).where('shipped_at', 'is not', null).executeTakeFirst()
    : undefined;
  const anchorKey = anchor
    ? sql`(SELECT anchor.shipped_at, anchor.id FROM roadmap_item AS anchor WHERE anchor.id = ${anchor.id})`
    : null;
  const shipped = db
    .selectFrom('roadmap_item')
    .where('roadmap_item.shipped_at', 'is not', null);

  const [rows, newerRows] = await Promise.all([
    shipped
      .select([...CARD_COLUMNS, sql<string>`to_char(roadmap_item.shipped_at AT TIME ZONE 'UTC', 'YYYY-MM')`.as('shipped_month')])
      .$if(anchorKey !== null, (qb) => qb.where(sql<boolean>`(roadmap_item.shipped_at, roadmap_item.id) <= ${anchorKey}`))
      .orderBy('roadmap_item.shipped_at', 'desc')
      .orderBy('roadmap_item.id', 'desc')
      .limit(CHANGELOG_LIMITS.pageSize + 1)
      .execute(),
    anchorKey
      ? shipped
          .select('roadmap_item.id')
          .where(sql<boolean>`(roadmap_item.shipped_at, roadmap_item.id) > ${anchorKey}`)
          .orderBy('roadmap_item.shipped_at')
          .orderBy('roadmap_item.id')
          .limit(CHANGELOG_LIMITS.pageSize)
          .execute()
      : Promise.resolve([]),
  ]);

  const page = rows.slice(0, CHANGELOG_LIMITS.pageSize);
  const cards = await toPublicCards(db, page, CHANGELOG_LIMITS.postsPerItem);
  const months: ChangelogMonth[] = [];
  for (const [index, card] of cards.entries()) {
    const month = page[index]!.shipped_month;
    const last = months.at(-1);
    if (last?.month === month) last.items.push(card);
    else months.push({ month, items: [card] });
  }
  return {
    months,
    olderFrom: rows[CHANGELOG_LIMITS.pageSize]?.id ?? null,
    newer:
      newerRows.length === 0
        ? null
        : { from: newerRows.length < CHANGELOG_LIMITS.pageSize ? null : newerRows.at(-1)!.id },
  };
}
