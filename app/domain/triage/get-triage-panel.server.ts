import type { Kysely } from 'kysely';
import type { Database, Locale, PostStatus } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import type { TagView } from '../tags/choices.js';
import { listActiveTags, listTagsOfPosts } from '../tags/list-tags.server.js';
import { listTriagers, type TriagerOption } from './list-triagers.server.js';
import { allowedTransitions } from './transitions.js';
import { requireTriager } from './triage-roles.js';

export interface TriagePanel {
  postId: string;
  title: string;
  /** Sent back with the form: the optimistic check. */
  version: number;
  status: PostStatus;
  /** Only the moves the workflow allows from the current status (none once merged). */
  allowedStatuses: readonly PostStatus[];
  productAreaId: string;
  /** Active areas, plus the post's own when it has been archived since. */
  areas: { id: string; name: string }[];
  /** The tags offered: active ones only. */
  tags: TagView[];
  /** Which offered tags the post has. */
  tagIds: string[];
  /** Archived tags the post keeps, shown but no longer offered. */
  archivedTags: TagView[];
  assigneeId: string | null;
  triagers: TriagerOption[];
  triaged: boolean;
}

/** What the triage panel of a post shows and offers (triagers and product admins). */
export async function getTriagePanel(db: Kysely<Database>, actor: Actor, postId: string, locale: Locale): Promise<TriagePanel> {
  requireTriager(actor);
  const zh = locale === 'zh-CN';
  const post = await db
    .selectFrom('post')
    .select(['id', 'title', 'status', 'version', 'product_area_id', 'assignee_id', 'triaged_at'])
    .where('id', '=', postId)
    .executeTakeFirst();
  if (!post) throw new DomainError('post_not_found', undefined, 404);
  const [areas, activeTags, postTags, triagers] = await Promise.all([
    db
      .selectFrom('product_area')
      .select(['id', zh ? 'name_zh as name' : 'name_en as name'])
      .where((eb) => eb.or([eb('archived_at', 'is', null), eb('id', '=', post.product_area_id)]))
      .orderBy('position')
      .orderBy('name_en')
      .execute(),
    listActiveTags(db, locale),
    listTagsOfPosts(db, [post.id], locale),
    listTriagers(db, actor, locale),
  ]);
  // Someone whose triage role was revoked stays selectable on the posts they still hold,
  // so saving the panel does not unassign them as a side effect.
  if (post.assignee_id && !triagers.some((triager) => triager.id === post.assignee_id)) {
    const former = await db
      .selectFrom('app_user')
      .select(['id', (eb) => eb.fn.coalesce('staff_display_name', zh ? 'pseudonym_zh' : 'pseudonym').as('name')])
      .where('id', '=', post.assignee_id)
      .executeTakeFirstOrThrow();
    triagers.push(former);
  }
  const own = postTags.get(post.id) ?? [];
  const offered = new Set(activeTags.map((tag) => tag.id));
  return {
    postId: post.id,
    title: post.title,
    version: post.version,
    status: post.status,
    allowedStatuses: allowedTransitions(post.status),
    productAreaId: post.product_area_id,
    areas,
    tags: activeTags,
    tagIds: own.filter((tag) => offered.has(tag.id)).map((tag) => tag.id),
    archivedTags: own.filter((tag) => !offered.has(tag.id)),
    assigneeId: post.assignee_id,
    triagers,
    triaged: post.triaged_at !== null,
  };
}
