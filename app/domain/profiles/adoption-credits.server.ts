import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { ADOPTED_STATUSES } from './reputation.js';

/**
 * (user_id, post_id, status) for every visible adopted post and each person
 * it credits: its author, and the authors of duplicates merged into it (who
 * share its reward too). A UNION, so each branch can use its own index when
 * the caller filters by user.
 */
export function creditedAdoptedPosts(db: Kysely<Database>) {
  const adopted = [...ADOPTED_STATUSES];
  return db
    .selectFrom('post')
    .select(['post.author_id as user_id', 'post.id as post_id', 'post.status'])
    .where('post.status', 'in', adopted)
    .where('post.hidden_at', 'is', null)
    .union(
      db
        .selectFrom('post_coauthor')
        .innerJoin('post', 'post.id', 'post_coauthor.post_id')
        .select(['post_coauthor.user_id as user_id', 'post.id as post_id', 'post.status'])
        .where('post.status', 'in', adopted)
        .where('post.hidden_at', 'is', null),
    );
}
