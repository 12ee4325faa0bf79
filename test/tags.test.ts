// Tags: the managed list (product admins), what triagers are offered, the
// badges on posts and feed rows, and the feed filter with exact keyset pages.
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../app/domain/errors.js';
import { type FeedRow, listFeed, type ListFeedInput } from '../app/domain/posts/list-feed.server.js';
import { archiveTag } from '../app/domain/tags/archive-tag.server.js';
import { createTag, type CreateTagInput } from '../app/domain/tags/create-tag.server.js';
import { listActiveTags, listTagsForAdmin, listTagsOfPosts } from '../app/domain/tags/list-tags.server.js';
import { updateTag } from '../app/domain/tags/update-tag.server.js';
import { bulkTriage } from '../app/domain/triage/bulk-triage.server.js';
import { getTriagePanel } from '../app/domain/triage/get-triage-panel.server.js';
import { triagePost } from '../app/domain/triage/triage-post.server.js';
import en from '../app/locales/en.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import * as feedRoute from '../app/routes/posts._index.js';
import * as tagsRoute from '../app/routes/triage.tags.js';
import { type CreatedUser, createPostRow, createProductArea } from '../db/factories.js';
import type { Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let areaId: string;
let productAdmin: CreatedUser;
let triager: CreatedUser;
let author: CreatedUser;

const db = () => app.services.db;
const as = (user: CreatedUser, roles: Role[]) => ({ id: user.id, orgId: null, roles });
const admin = () => as(productAdmin, ['product_admin']);
const triage = () => as(triager, ['triager']);

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'tag-area', nameEn: 'Tagged', nameZh: '标签区' });
  productAdmin = await makeUser(app, { roles: ['product_admin'] });
  triager = await makeUser(app, { roles: ['triager'] });
  author = await makeUser(app);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

function tagInput(overrides: Partial<CreateTagInput> = {}): CreateTagInput {
  return { slug: `tag-${Math.random().toString(36).slice(2, 8)}`, nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber', ...overrides };
}

async function call(
  handler: Handler,
  path: string,
  user: CreatedUser | null,
  init: { form?: Record<string, string | string[]>; params?: Record<string, string> } = {},
): Promise<{ status: number; location?: string | null; data?: any }> {
  const cookie = user ? await sessionCookieFor(app, user.id) : undefined;
  const request = makeRequest(path, { form: init.form, cookie, method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: init.params ?? {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

async function auditOf(tagId: string) {
  return db().selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('subject_id', '=', tagId).orderBy('id').execute();
}

async function expectDomainError(run: Promise<unknown>, code: string, status?: number) {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject(status === undefined ? { code } : { code, status });
}

describe('the managed list', () => {
  it('lets product admins create, rename, recolour, archive and restore a tag, each audited', async () => {
    const create = await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, {
      form: { intent: 'create', slug: ' Needs-Logs ', nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber' },
    });
    expect(create).toMatchObject({ status: 302, location: '/triage/tags' });
    const tag = await db().selectFrom('tag').selectAll().where('slug', '=', 'needs-logs').executeTakeFirstOrThrow();
    expect(tag).toMatchObject({ name_en: 'Needs logs', name_zh: '需要日志', color: 'amber', archived_at: null });

    const update = await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, {
      form: { intent: 'update', tagId: tag.id, nameEn: 'Logs needed', nameZh: '需要日志', color: 'teal' },
    });
    expect(update.status).toBe(302);
    expect((await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, { form: { intent: 'archive', tagId: tag.id } })).status).toBe(302);
    expect((await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, { form: { intent: 'restore', tagId: tag.id } })).status).toBe(302);

    expect((await auditOf(tag.id)).map((row) => [row.action, row.actor_id, row.before, row.after])).toEqual([
      ['tag.create', productAdmin.id, null, { slug: 'needs-logs', nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber' }],
      [
        'tag.update',
        productAdmin.id,
        { nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber' },
        { nameEn: 'Logs needed', nameZh: '需要日志', color: 'teal' },
      ],
      ['tag.archive', productAdmin.id, { archived: false }, { archived: true }],
      ['tag.restore', productAdmin.id, { archived: true }, { archived: false }],
    ]);
    // Saving the same values again changes and audits nothing.
    await updateTag(db(), admin(), { tagId: tag.id, nameEn: 'Logs needed', nameZh: '需要日志', color: 'teal' });
    expect(await auditOf(tag.id)).toHaveLength(4);

    const page = await call(tagsRoute.loader as Handler, '/triage/tags', productAdmin);
    expect(page.data.tags).toContainEqual({
      id: tag.id,
      slug: 'needs-logs',
      nameEn: 'Logs needed',
      nameZh: '需要日志',
      color: 'teal',
      archived: false,
      postCount: 0,
    });
  });

  it('refuses a taken or malformed short name and an unknown colour with a form message', async () => {
    await createTag(db(), admin(), tagInput({ slug: 'taken' }));
    const taken = await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, {
      form: { intent: 'create', slug: 'taken', nameEn: 'A', nameZh: '甲', color: 'blue' },
    });
    expect(taken.status).toBe(400);
    expect(taken.data.result.error.slug).toEqual(['triage.tags.errors.slug_taken']);
    const malformed = await call(tagsRoute.action as Handler, '/triage/tags', productAdmin, {
      form: { intent: 'create', slug: 'no spaces!', nameEn: '', nameZh: '甲', color: 'chartreuse' },
    });
    expect(malformed.status).toBe(400);
    expect(malformed.data.result.error).toMatchObject({
      slug: ['triage.tags.errors.slug_invalid'],
      nameEn: ['common.errors.required'],
      color: ['triage.tags.errors.color_invalid'],
    });
    expect(en.triage.tags.errors.slug_taken).toMatch(/already uses/);
    await expectDomainError(createTag(db(), admin(), tagInput({ slug: 'taken' })), 'slug_taken', 409);
  });

  it('is for product admins only: triagers use tags but do not change the list', async () => {
    await expectDomainError(createTag(db(), triage(), tagInput()), 'forbidden', 403);
    const { tagId } = await createTag(db(), admin(), tagInput());
    await expectDomainError(updateTag(db(), triage(), { tagId, nameEn: 'X', nameZh: '乙', color: 'red' }), 'forbidden', 403);
    await expectDomainError(archiveTag(db(), triage(), { tagId }), 'forbidden', 403);
    await expectDomainError(listTagsForAdmin(db(), triage()), 'forbidden', 403);
    expect((await call(tagsRoute.loader as Handler, '/triage/tags', triager)).status).toBe(403);
    expect((await call(tagsRoute.action as Handler, '/triage/tags', triager, { form: { intent: 'archive', tagId } })).status).toBe(403);
  });
});

describe('archived tags', () => {
  it('are no longer offered, stay on the posts that have them, and cannot be given', async () => {
    const { tagId: kept } = await createTag(db(), admin(), tagInput({ nameEn: 'Zz kept', color: 'violet' }));
    const { tagId: retired } = await createTag(db(), admin(), tagInput({ nameEn: 'Zz retired', nameZh: '已退役', color: 'slate' }));
    const postId = await createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: 'Has both tags' });
    let panel = await getTriagePanel(db(), triage(), postId, 'en');
    await triagePost(db(), triage(), {
      postId,
      expectedVersion: panel.version,
      productAreaId: areaId,
      tagIds: [kept, retired],
      assigneeId: null,
      status: 'open',
    });
    await archiveTag(db(), admin(), { tagId: retired });

    expect((await listActiveTags(db(), 'en')).map((tag) => tag.id)).not.toContain(retired);
    panel = await getTriagePanel(db(), triage(), postId, 'en');
    expect(panel.tags.map((tag) => tag.id)).not.toContain(retired);
    expect(panel.tagIds).toEqual([kept]);
    expect(panel.archivedTags.map((tag) => tag.id)).toEqual([retired]);

    // Saving the panel (which never names the archived tag) keeps it on the post.
    await triagePost(db(), triage(), {
      postId,
      expectedVersion: panel.version,
      productAreaId: areaId,
      tagIds: [],
      assigneeId: null,
      status: 'open',
    });
    expect((await listTagsOfPosts(db(), [postId], 'en')).get(postId)!.map((tag) => tag.id)).toEqual([retired]);

    // It cannot be given again, on a post or in bulk.
    panel = await getTriagePanel(db(), triage(), postId, 'en');
    const other = await createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: 'Untagged' });
    await expectDomainError(
      triagePost(db(), triage(), { postId: other, expectedVersion: 1, productAreaId: areaId, tagIds: [retired], assigneeId: null, status: 'open' }),
      'unknown_tag',
    );
    await expectDomainError(
      bulkTriage(db(), triage(), { posts: [{ postId: other, expectedVersion: 1 }], action: { kind: 'tag', tagId: retired } }),
      'unknown_tag',
    );

    // The post page shows its badges (archived ones too), named in the reader's language.
    const page = await call(postRoute.loader as Handler, `/posts/${postId}`, null, { params: { postId } });
    expect(page.data.tags).toEqual([{ id: retired, slug: expect.any(String), name: 'Zz retired', color: 'slate' }]);
  });
});

describe('the feed by tag', () => {
  let tagArea: string;
  let tagSlug: string;
  let tagged: string[];

  beforeAll(async () => {
    tagArea = await createProductArea(db(), { slug: 'feed-tag-area', nameEn: 'Feed tags', nameZh: '标签信息流' });
    tagSlug = 'feed-filter';
    const { tagId } = await createTag(db(), admin(), tagInput({ slug: tagSlug, nameEn: 'Filter me', nameZh: '筛选我', color: 'green' }));
    const { tagId: second } = await createTag(db(), admin(), tagInput({ nameEn: 'Second', color: 'pink' }));
    const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + (n % 5), 8, 0, 0));
    const all: string[] = [];
    for (let index = 0; index < 14; index += 1) {
      const id = await createPostRow(db(), { authorId: author.id, productAreaId: tagArea, title: `Tag feed ${index}`, createdAt: day(index) });
      // Equal sort values for many rows: ties must still page exactly.
      await db().updateTable('post').set({ weighted_score: index % 3, org_count: index % 2, hot_rank: index % 4 }).where('id', '=', id).execute();
      all.push(id);
    }
    tagged = all.filter((_, index) => index % 3 !== 0);
    const posts = await db().selectFrom('post').select(['id', 'version']).where('id', 'in', tagged).execute();
    await bulkTriage(db(), triage(), {
      posts: posts.map((post) => ({ postId: post.id, expectedVersion: post.version })),
      action: { kind: 'tag', tagId },
    });
    // A second tag on some of them must not make a post appear twice.
    const again = await db().selectFrom('post').select(['id', 'version']).where('id', 'in', tagged.slice(0, 4)).execute();
    await bulkTriage(db(), triage(), {
      posts: again.map((post) => ({ postId: post.id, expectedVersion: post.version })),
      action: { kind: 'tag', tagId: second },
    });
  });

  async function allPages(input: ListFeedInput): Promise<FeedRow[]> {
    const rows: FeedRow[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await listFeed(db(), null, { ...input, productAreaId: tagArea, tag: tagSlug, after, limit: 3 });
      rows.push(...result.posts);
      if (!result.nextCursor) return rows;
      after = result.nextCursor;
    }
    throw new Error('did not end');
  }

  it.each(['newest', 'trending', 'top', 'orgs'] as const)('returns each tagged post exactly once, page by page, by %s', async (sort) => {
    const rows = await allPages({ sort });
    const ids = rows.map((row) => row.id);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...tagged].sort());
    for (const row of rows) expect(row.tags.map((tag) => tag.name)).toContain('Filter me');
  });

  it('pages back to the same rows', async () => {
    const first = await listFeed(db(), null, { productAreaId: tagArea, tag: tagSlug, sort: 'newest', limit: 4 });
    const second = await listFeed(db(), null, { productAreaId: tagArea, tag: tagSlug, sort: 'newest', limit: 4, after: first.nextCursor! });
    const back = await listFeed(db(), null, { productAreaId: tagArea, tag: tagSlug, sort: 'newest', limit: 4, before: second.prevCursor! });
    expect(back.posts.map((row) => row.id)).toEqual(first.posts.map((row) => row.id));
  });

  it('filters by ?tag= on the feed page, names tags in the reader’s language, and shows an unknown tag as no match', async () => {
    const page = await call(feedRoute.loader as Handler, `/posts?area=${tagArea}&tag=${tagSlug}&sort=newest`, null);
    expect(page.status).toBe(200);
    expect(page.data.filters.tag).toBe(tagSlug);
    expect(page.data.posts.length).toBeGreaterThan(0);
    expect(page.data.tags.map((tag: { slug: string }) => tag.slug)).toContain(tagSlug);

    const zh = await listFeed(db(), null, { productAreaId: tagArea, tag: tagSlug, sort: 'newest', limit: 1, locale: 'zh-CN' });
    expect(zh.posts[0]!.tags.map((tag) => tag.name)).toContain('筛选我');

    const unknown = await call(feedRoute.loader as Handler, `/posts?tag=no-such-tag`, null);
    expect(unknown.status).toBe(200);
    expect(unknown.data.posts).toEqual([]);
  });
});
