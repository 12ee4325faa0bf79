import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { renderMarkdown } from '../content/markdown.server.js';
import { DomainError } from '../errors.js';
import { PostBodySchema, PostImpactShape, PostTitleSchema } from './post-input.js';

export const EditPostInputSchema = z.object({
  postId: z.string().min(1).max(64),
  title: PostTitleSchema,
  body: PostBodySchema,
  ...PostImpactShape,
});
export type EditPostInput = z.input<typeof EditPostInputSchema>;

export type EditPostError = 'not_found' | 'forbidden' | 'already_triaged';

/** Whether the author may still edit: until a triager has looked at it. */
export function isEditable(post: { triaged_at: Date | null; status: string; hidden_at: Date | null }): boolean {
  return post.triaged_at === null && post.status === 'open' && post.hidden_at === null;
}

/**
 * The author rewrites their post until it is triaged; the version it replaces
 * is kept in post_revision (staff see the history) in the same transaction.
 */
export async function editPost(db: Kysely<Database>, actor: { id: string }, input: EditPostInput): Promise<void> {
  const value = EditPostInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const post = await trx
      .selectFrom('post')
      .select([
        'id',
        'author_id',
        'title',
        'body',
        'impact_hours_per_week',
        'impact_sites',
        'impact_note',
        'triaged_at',
        'status',
        'hidden_at',
      ])
      .where('id', '=', value.postId)
      // Locked, so a triage that lands meanwhile waits for this edit or refuses it.
      .forUpdate()
      .executeTakeFirst();
    if (!post) throw new DomainError<EditPostError>('not_found', undefined, 404);
    if (post.author_id !== actor.id) throw new DomainError<EditPostError>('forbidden', undefined, 403);
    if (!isEditable(post)) throw new DomainError<EditPostError>('already_triaged', undefined, 409);

    await trx
      .insertInto('post_revision')
      .values({
        id: randomId(),
        post_id: post.id,
        title: post.title,
        body: post.body,
        impact_hours_per_week: post.impact_hours_per_week,
        impact_sites: post.impact_sites,
        impact_note: post.impact_note,
      })
      .execute();
    await trx
      .updateTable('post')
      .set({
        title: value.title,
        body: value.body,
        body_html: renderMarkdown(value.body),
        impact_hours_per_week: value.impactHoursPerWeek ?? null,
        impact_sites: value.impactSites ?? null,
        impact_note: value.impactNote ?? null,
        updated_at: new Date(),
      })
      .where('id', '=', post.id)
      .execute();
  });
}

export interface PostForEdit {
  id: string;
  type: string;
  title: string;
  body: string;
  impactHoursPerWeek: number | null;
  impactSites: number | null;
  impactNote: string | null;
  editable: boolean;
}

/** The author's own post, as the edit form shows it; not found for anyone else's is a 403. */
export async function getPostForEdit(db: Kysely<Database>, actor: { id: string }, postId: string): Promise<PostForEdit> {
  const post = await db
    .selectFrom('post')
    .select([
      'id',
      'author_id',
      'type',
      'title',
      'body',
      'impact_hours_per_week',
      'impact_sites',
      'impact_note',
      'triaged_at',
      'status',
      'hidden_at',
    ])
    .where('id', '=', postId)
    .executeTakeFirst();
  if (!post) throw new DomainError<EditPostError>('not_found', undefined, 404);
  if (post.author_id !== actor.id) throw new DomainError<EditPostError>('forbidden', undefined, 403);
  return {
    id: post.id,
    type: post.type,
    title: post.title,
    body: post.body,
    impactHoursPerWeek: post.impact_hours_per_week,
    impactSites: post.impact_sites,
    impactNote: post.impact_note,
    editable: isEditable(post),
  };
}
