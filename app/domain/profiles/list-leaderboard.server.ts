import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { pseudonymFor } from '../identity/pseudonym.js';
import { creditedAdoptedPosts } from './adoption-credits.server.js';
import { ADOPTED_POINTS, adoptionBadges, type ProfileBadge, SHIPPED_POINTS } from './reputation.js';

export const LEADERBOARD_SIZE = 50;

export const ListLeaderboardInputSchema = z.object({
  locale: z.enum(['en', 'zh-CN']).default('en'),
  limit: z.number().int().min(1).max(100).default(LEADERBOARD_SIZE),
});

export interface LeaderboardRow {
  /** 1 for the most points; people with equal points share a rank. */
  rank: number;
  member: { id: string; pseudonym: string };
  adopted: number;
  shipped: number;
  points: number;
  badges: ProfileBadge[];
}

/**
 * The KOL leaderboard: customer members ranked by the points their adopted
 * posts earned. Pseudonyms only — no org, no dates; members who opted out of
 * the hall of fame, disabled accounts and vendor staff are left out. Reads
 * adopted posts only, never the whole post table.
 */
export async function listLeaderboard(
  db: Kysely<Database>,
  input: z.input<typeof ListLeaderboardInputSchema> = {},
): Promise<LeaderboardRow[]> {
  const { locale, limit } = ListLeaderboardInputSchema.parse(input);
  const points = sql<number>`(${ADOPTED_POINTS} * count(*) + ${SHIPPED_POINTS} * count(*) FILTER (WHERE credit.status = 'shipped'))::int`;
  const rows = await db
    .selectFrom(creditedAdoptedPosts(db).as('credit'))
    .innerJoin('app_user as u', 'u.id', 'credit.user_id')
    .select([
      'u.id',
      'u.pseudonym',
      'u.pseudonym_zh',
      sql<number>`count(*)::int`.as('adopted'),
      sql<number>`(count(*) FILTER (WHERE credit.status = 'shipped'))::int`.as('shipped'),
      points.as('points'),
      sql<number>`rank() OVER (ORDER BY ${points} DESC)::int`.as('rank'),
    ])
    .where('u.org_id', 'is not', null)
    .where('u.disabled_at', 'is', null)
    .where('u.hall_of_fame_opt_out', '=', false)
    .groupBy('u.id')
    .orderBy('points', 'desc')
    .orderBy('adopted', 'desc')
    .orderBy('u.id')
    .limit(limit)
    .execute();
  return rows.map((row) => ({
    rank: row.rank,
    member: { id: row.id, pseudonym: pseudonymFor(row, locale) },
    adopted: row.adopted,
    shipped: row.shipped,
    points: row.points,
    badges: adoptionBadges(row),
  }));
}
