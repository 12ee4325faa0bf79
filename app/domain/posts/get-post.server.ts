import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database, PostStatus, PostType, RoadmapStatus, Role, ValueTier } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { getSettings } from '../settings/settings.server.js';

/** Who may see hidden posts and comments, and why they were hidden. */
export const MODERATOR_ROLES: readonly Role[] = ['triager', 'product_admin'];

export function isModerator(actor: Pick<Actor, 'roles'> | null): boolean {
  return Boolean(actor?.roles.some((role) => MODERATOR_ROLES.includes(role)));
}

export interface PostPage {
  id: string;
  type: PostType;
  status: PostStatus;
  title: string;
  bodyHtml: string;
  impactHoursPerWeek: number | null;
  impactSites: number | null;
  impactNote: string | null;
  productArea: { nameEn: string; nameZh: string };
  /** Pseudonyms only; the org appears as its value tier, and only above the anonymity threshold. */
  author: { id: string; pseudonym: string; pseudonymZh: string; orgTier: ValueTier | null };
  /** 'YYYY-MM-DD' in UTC: public timestamps of member actions are day-level. */
  createdDay: string;
  voteCount: number;
  weightedScore: number;
  orgCount: number;
  commentCount: number;
  /** The post this one was merged into, with its title when that post is visible. */
  mergedInto: { id: string; title: string | null } | null;
  /** The roadmap item the post is linked to, if any. */
  roadmapItem: { id: string; title: string; status: RoadmapStatus } | null;
  /** Set only for the author and moderators; everyone else gets not-found for a hidden post. */
  hidden: { reason: string | null } | null;
  viewer: { hasVoted: boolean; isFollowing: boolean; isAuthor: boolean; canEdit: boolean };
}

export type GetPostError = 'post_not_found';

/**
 * A post as its page shows it. A hidden post exists only for its author (who
 * sees why) and moderators; for anyone else it is not found, like an unknown id.
 * Never returns who voted or who follows; the only user id is the author's
 * (opaque and random), for the link to their public profile.
 */
export async function getPost(db: Kysely<Database>, viewer: Actor | null, postId: string): Promise<PostPage> {
  const viewerId = viewer?.id ?? '';
  const [row, settings] = await Promise.all([
    db
      .selectFrom('post')
      .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
      .innerJoin('app_user as author', 'author.id', 'post.author_id')
      .leftJoin('org', 'org.id', 'author.org_id')
      .leftJoin('post as target', 'target.id', 'post.merged_into_id')
      .leftJoin('roadmap_item', 'roadmap_item.id', 'post.roadmap_item_id')
      .select((eb) => [
        'post.id',
        'post.author_id',
        'post.type',
        'post.status',
        'post.title',
        'post.body_html',
        'post.impact_hours_per_week',
        'post.impact_sites',
        'post.impact_note',
        'post.merged_into_id',
        'roadmap_item.id as roadmap_item_id',
        'roadmap_item.title as roadmap_item_title',
        'roadmap_item.status as roadmap_item_status',
        'post.triaged_at',
        'post.hidden_at',
        'post.hidden_reason',
        'post.vote_count',
        'post.weighted_score',
        'post.org_count',
        'post.comment_count',
        sql<string>`to_char(post.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('created_day'),
        'product_area.name_en as area_name_en',
        'product_area.name_zh as area_name_zh',
        'author.pseudonym',
        'author.pseudonym_zh',
        'org.value_tier as org_tier',
        eb
          .selectFrom('app_user as colleague')
          .select(sql<number>`count(*)::int`.as('n'))
          .whereRef('colleague.org_id', '=', 'author.org_id')
          .where('colleague.disabled_at', 'is', null)
          .where('colleague.email_verified_at', 'is not', null)
          .as('org_active_members'),
        sql<string | null>`CASE WHEN target.hidden_at IS NULL THEN target.title END`.as('target_title'),
        eb.exists(eb.selectFrom('vote').select('vote.post_id').whereRef('vote.post_id', '=', 'post.id').where('vote.voter_id', '=', viewerId)).as('has_voted'),
        eb
          .exists(eb.selectFrom('follow').select('follow.post_id').whereRef('follow.post_id', '=', 'post.id').where('follow.user_id', '=', viewerId))
          .as('is_following'),
      ])
      .where('post.id', '=', postId)
      .executeTakeFirst(),
    getSettings(db),
  ]);
  if (!row) throw new DomainError<GetPostError>('post_not_found', undefined, 404);
  const isAuthor = viewer !== null && row.author_id === viewer.id;
  if (row.hidden_at && !isAuthor && !isModerator(viewer)) {
    throw new DomainError<GetPostError>('post_not_found', undefined, 404);
  }
  const showTier = row.org_tier !== null && (row.org_active_members ?? 0) >= settings.anonymityThreshold;
  return {
    id: row.id,
    type: row.type,
    status: row.status,
    title: row.title,
    bodyHtml: row.body_html,
    impactHoursPerWeek: row.impact_hours_per_week,
    impactSites: row.impact_sites,
    impactNote: row.impact_note,
    productArea: { nameEn: row.area_name_en, nameZh: row.area_name_zh },
    author: { id: row.author_id, pseudonym: row.pseudonym, pseudonymZh: row.pseudonym_zh, orgTier: showTier ? row.org_tier : null },
    createdDay: row.created_day,
    voteCount: row.vote_count,
    weightedScore: row.weighted_score,
    orgCount: row.org_count,
    commentCount: row.comment_count,
    mergedInto: row.merged_into_id ? { id: row.merged_into_id, title: row.target_title } : null,
    roadmapItem:
      row.roadmap_item_id && row.roadmap_item_title && row.roadmap_item_status
        ? { id: row.roadmap_item_id, title: row.roadmap_item_title, status: row.roadmap_item_status }
        : null,
    hidden: row.hidden_at ? { reason: row.hidden_reason } : null,
    viewer: {
      hasVoted: Boolean(row.has_voted),
      isFollowing: Boolean(row.is_following),
      isAuthor,
      // Until triaged, so staff never triage a moving target.
      canEdit: isAuthor && row.triaged_at === null,
    },
  };
}

export type PostActionError = 'post_not_found' | 'post_hidden' | 'post_merged';

/**
 * Locks a post for a member's action on it (vote, comment) and refuses one
 * that is hidden or merged: actions go to the post it was merged into.
 * The lock orders concurrent votes and comments on one post, so the
 * counters recomputed after them are never stale.
 */
export async function lockPostForAction(
  trx: Transaction<Database>,
  postId: string,
): Promise<{ id: string; createdAt: Date }> {
  const post = await trx
    .selectFrom('post')
    .select(['id', 'status', 'merged_into_id', 'hidden_at', 'created_at'])
    .where('id', '=', postId)
    .forUpdate()
    .executeTakeFirst();
  if (!post) throw new DomainError<PostActionError>('post_not_found', undefined, 404);
  if (post.hidden_at) throw new DomainError<PostActionError>('post_hidden');
  if (post.status === 'merged' || post.merged_into_id) throw new DomainError<PostActionError>('post_merged');
  return { id: post.id, createdAt: post.created_at };
}
