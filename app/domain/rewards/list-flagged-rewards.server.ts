import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus, RewardStatus, RewardTrigger } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import type { Actor } from '../admin/actor.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';

export const ListFlaggedRewardsInputSchema = z.object({
  after: z.string().max(300).optional(),
  limit: z.number().int().min(1).max(50).default(20),
});
export type ListFlaggedRewardsInput = z.input<typeof ListFlaggedRewardsInputSchema>;

/** A reward whose post was rolled back after payment started: the machine never claws back, finance looks. */
export interface FlaggedRewardView {
  rewardId: string;
  nominationId: string;
  trigger: RewardTrigger;
  post: { id: string; title: string; status: PostStatus };
  pseudonym: string;
  pseudonymZh: string;
  role: 'author' | 'coauthor';
  currency: string;
  grossMinor: string;
  status: RewardStatus;
  flaggedAt: Date;
}

export interface FlaggedRewardPage {
  rewards: FlaggedRewardView[];
  nextCursor: string | null;
}

const CursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

/** Flagged rewards, the most recently flagged first, keyset-paged. */
export async function listFlaggedRewards(db: Kysely<Database>, actor: Actor, input: ListFlaggedRewardsInput = {}): Promise<FlaggedRewardPage> {
  requireFinanceRole(actor);
  const { after, limit } = ListFlaggedRewardsInputSchema.parse(input);
  const cursor = decodeCursor(after, CursorSchema);
  let query = db
    .selectFrom('reward')
    .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
    .innerJoin('post', 'post.id', 'nomination.post_id')
    .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
    .select([
      'reward.id',
      'reward.nomination_id',
      'reward.role',
      'reward.currency',
      'reward.gross_minor',
      'reward.status',
      'reward.flagged_at',
      'nomination.trigger',
      'post.id as post_id',
      'post.title as post_title',
      'post.status as post_status',
      'app_user.pseudonym',
      'app_user.pseudonym_zh',
    ])
    .where('reward.flagged_at', 'is not', null);
  if (cursor) query = query.where(sql<boolean>`(reward.flagged_at, reward.id) < (${cursor[0]}::timestamptz, ${cursor[1]})`);
  const rows = await query.orderBy('reward.flagged_at', 'desc').orderBy('reward.id', 'desc').limit(limit + 1).execute();
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rewards: page.map((row) => ({
      rewardId: row.id,
      nominationId: row.nomination_id,
      trigger: row.trigger,
      post: { id: row.post_id, title: row.post_title, status: row.post_status },
      pseudonym: row.pseudonym,
      pseudonymZh: row.pseudonym_zh,
      role: row.role,
      currency: row.currency,
      grossMinor: row.gross_minor,
      status: row.status,
      flaggedAt: row.flagged_at!,
    })),
    nextCursor: rows.length > limit && last ? encodeCursor([new Date(last.flagged_at!).toISOString(), last.id]) : null,
  };
}
