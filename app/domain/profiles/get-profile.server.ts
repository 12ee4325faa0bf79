import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, PostStatus, PostType, ValueTier } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import { pseudonymFor } from '../identity/pseudonym.js';
import { getSettings } from '../settings/settings.server.js';
import { creditedAdoptedPosts } from './adoption-credits.server.js';
import { adoptionBadges, adoptionPoints, HEARD_VOTES, type ProfileBadge } from './reputation.js';

export const GetProfileInputSchema = z.object({
  userId: z.string().min(1).max(64),
  locale: z.enum(['en', 'zh-CN']).default('en'),
});
export type GetProfileInput = z.input<typeof GetProfileInputSchema>;

export const PROFILE_POST_LIMIT = 50;

export interface ProfilePost {
  id: string;
  title: string;
  type: PostType;
  status: PostStatus;
  voteCount: number;
  /** Day-level only ('YYYY-MM-DD', UTC). */
  createdDay: string;
}

/**
 * What anyone may see of a pseudonym. Never a name, email, org name or join
 * date; the org only as its value tier, and only when the org has at least
 * the anonymity threshold of active members.
 */
export interface Profile {
  id: string;
  pseudonym: string;
  orgTier: ValueTier | null;
  reputation: number;
  badges: ProfileBadge[];
  posts: ProfilePost[];
}

export type GetProfileError = 'profile_not_found';

export async function getProfile(db: Kysely<Database>, input: GetProfileInput): Promise<Profile> {
  const { userId, locale } = GetProfileInputSchema.parse(input);
  const [user, settings] = await Promise.all([
    db
      .selectFrom('app_user')
      .leftJoin('org', 'org.id', 'app_user.org_id')
      .select((eb) => [
        'app_user.id',
        'app_user.pseudonym',
        'app_user.pseudonym_zh',
        'org.value_tier as org_tier',
        eb
          .selectFrom('app_user as colleague')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('colleague.org_id', '=', 'app_user.org_id')
          .where('colleague.disabled_at', 'is', null)
          .where('colleague.email_verified_at', 'is not', null)
          .as('org_active_members'),
      ])
      .where('app_user.id', '=', userId)
      .executeTakeFirst(),
    getSettings(db),
  ]);
  if (!user) throw new DomainError<GetProfileError>('profile_not_found', undefined, 404);

  const [totals, adoption, posts] = await Promise.all([
    db
      .selectFrom('post')
      .select([
        sql<number>`count(*)::int`.as('post_count'),
        sql<number>`coalesce(sum(post.vote_count), 0)::int`.as('votes'),
        sql<number>`coalesce(max(post.vote_count), 0)::int`.as('max_votes'),
      ])
      .where('post.author_id', '=', user.id)
      .where('post.hidden_at', 'is', null)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom(creditedAdoptedPosts(db).as('credit'))
      .select([
        sql<number>`count(*)::int`.as('adopted'),
        sql<number>`(count(*) FILTER (WHERE credit.status = 'shipped'))::int`.as('shipped'),
      ])
      .where('credit.user_id', '=', user.id)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('post')
      .select([
        'post.id',
        'post.title',
        'post.type',
        'post.status',
        'post.vote_count',
        sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('created_day'),
      ])
      .where('post.author_id', '=', user.id)
      .where('post.hidden_at', 'is', null)
      .orderBy('post.created_at', 'desc')
      .orderBy('post.id', 'desc')
      .limit(PROFILE_POST_LIMIT)
      .execute(),
  ]);

  const badges: ProfileBadge[] = [];
  if (totals.post_count >= 1) badges.push('first_post');
  if (totals.max_votes >= HEARD_VOTES) badges.push('heard');
  badges.push(...adoptionBadges(adoption));

  const showTier = user.org_tier !== null && (user.org_active_members ?? 0) >= settings.anonymityThreshold;
  return {
    id: user.id,
    pseudonym: pseudonymFor(user, locale),
    orgTier: showTier ? user.org_tier : null,
    // Votes received, plus the points adopted posts earn (the leaderboard's measure).
    reputation: totals.votes + adoptionPoints(adoption),
    badges,
    posts: posts.map((row) => ({
      id: row.id,
      title: row.title,
      type: row.type,
      status: row.status,
      voteCount: row.vote_count,
      createdDay: row.created_day,
    })),
  };
}
