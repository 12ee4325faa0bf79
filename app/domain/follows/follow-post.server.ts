import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { isModerator, type PostActionError } from '../posts/get-post.server.js';

/**
 * Follows a post, to hear of its status changes and replies. Authors and
 * voters follow automatically; following twice is the same as once. A hidden
 * post can be followed only by those who can see it.
 */
export async function followPost(db: Kysely<Database>, actor: Actor, postId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const post = await trx
      .selectFrom('post')
      .select(['author_id', 'hidden_at'])
      .where('id', '=', postId)
      .executeTakeFirst();
    if (!post) throw new DomainError<PostActionError>('post_not_found', undefined, 404);
    if (post.hidden_at && post.author_id !== actor.id && !isModerator(actor)) {
      throw new DomainError<PostActionError>('post_not_found', undefined, 404);
    }
    await trx
      .insertInto('follow')
      .values({ post_id: postId, user_id: actor.id })
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
      .execute();
  });
}
