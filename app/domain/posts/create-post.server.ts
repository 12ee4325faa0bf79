import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { DomainError } from '../errors.js';
import { hotRank } from './hot-rank.js';
import { PostBodySchema, PostImpactShape, PostTitleSchema, PostTypeSchema } from './post-input.js';

export const CreatePostInputSchema = z.object({
  type: PostTypeSchema,
  productAreaId: z.string().min(1).max(64),
  title: PostTitleSchema,
  body: PostBodySchema,
  ...PostImpactShape,
  /** Random, from the form: the same form sent twice is one post. */
  submissionKey: z.string().min(8).max(64),
});
export type CreatePostInput = z.input<typeof CreatePostInputSchema>;

export type CreatePostError = 'unknown_area';

/** The author, as createPost needs them. */
export interface PostAuthor {
  id: string;
}

/**
 * Publishes a member's post and makes them follow it, in one transaction.
 * Sending the same submission key again returns the post it created.
 */
export async function createPost(
  db: Kysely<Database>,
  author: PostAuthor,
  input: CreatePostInput,
): Promise<{ postId: string; created: boolean }> {
  const value = CreatePostInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const area = await trx
      .selectFrom('product_area')
      .select('id')
      .where('id', '=', value.productAreaId)
      .where('archived_at', 'is', null)
      .executeTakeFirst();
    if (!area) throw new DomainError<CreatePostError>('unknown_area', 'productAreaId');

    const now = new Date();
    const inserted = await trx
      .insertInto('post')
      .values({
        id: randomId(),
        author_id: author.id,
        type: value.type,
        product_area_id: area.id,
        title: value.title,
        body: value.body,
        body_html: renderMarkdown(value.body),
        impact_hours_per_week: value.impactHoursPerWeek ?? null,
        impact_sites: value.impactSites ?? null,
        impact_note: value.impactNote ?? null,
        merged_into_id: null,
        triaged_at: null,
        hidden_at: null,
        hidden_reason: null,
        submission_key: value.submissionKey,
        hot_rank: hotRank(0, now),
        created_at: now,
        updated_at: now,
      })
      .onConflict((oc) => oc.constraint('post_submission_unique').doNothing())
      .returning('id')
      .executeTakeFirst();

    if (!inserted) {
      const existing = await trx
        .selectFrom('post')
        .select('id')
        .where('author_id', '=', author.id)
        .where('submission_key', '=', value.submissionKey)
        .executeTakeFirstOrThrow();
      return { postId: existing.id, created: false };
    }
    await trx
      .insertInto('follow')
      .values({ post_id: inserted.id, user_id: author.id })
      .onConflict((oc) => oc.columns(['post_id', 'user_id']).doNothing())
      .execute();
    return { postId: inserted.id, created: true };
  });
}
