import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../app/domain/errors.js';
import { archiveProductArea } from '../app/domain/posts/archive-product-area.server.js';
import { createPost, type CreatePostInput } from '../app/domain/posts/create-post.server.js';
import { createProductArea as createArea } from '../app/domain/posts/create-product-area.server.js';
import { editPost } from '../app/domain/posts/edit-post.server.js';
import { findSimilarPosts } from '../app/domain/posts/find-similar-posts.server.js';
import { type FeedRow, listFeed, type ListFeedInput } from '../app/domain/posts/list-feed.server.js';
import { listProductAreas, listProductAreasForAdmin } from '../app/domain/posts/list-product-areas.server.js';
import { renameProductArea } from '../app/domain/posts/rename-product-area.server.js';
import { searchPosts } from '../app/domain/posts/search-posts.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import * as areasRoute from '../app/routes/admin_.areas.js';
import * as editRoute from '../app/routes/posts.$postId_.edit.js';
import * as feedRoute from '../app/routes/posts._index.js';
import * as composeRoute from '../app/routes/posts.new.js';
import * as similarRoute from '../app/routes/similar-posts.js';
import * as searchRoute from '../app/routes/search.js';
import { type CreatedUser, createPostRow, createProductArea } from '../db/factories.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
let member: CreatedUser;
let other: CreatedUser;
let productAdmin: CreatedUser;
let orgId: string;
let alarms: string;
let api: string;

beforeAll(async () => {
  app = await createTestApp();
  orgId = await makeOrg(app, { name: 'Zephyrine Telecom', valueTier: 'major', domains: ['zephyrine.example'] });
  member = await makeUser(app, { orgId });
  other = await makeUser(app, { orgId });
  productAdmin = await makeUser(app, { roles: ['product_admin'] });
  alarms = await createProductArea(app.services.db, { slug: 'alarms', nameEn: 'Alarms', nameZh: '告警' });
  api = await createProductArea(app.services.db, { slug: 'open-api', nameEn: 'Open API', nameZh: '开放接口' });
});
afterAll(async () => {
  await app?.close();
});

const db = () => app.services.db;

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Outcome {
  status: number;
  location?: string | null;
  data?: any;
}

async function call(
  handler: Handler,
  path: string,
  as: CreatedUser | null,
  init: { form?: Record<string, string | string[]>; params?: Record<string, string> } = {},
): Promise<Outcome> {
  const cookie = as ? await sessionCookieFor(app, as.id) : undefined;
  const request = makeRequest(path, { form: init.form, cookie, method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: init.params ?? {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

function postInput(overrides: Partial<CreatePostInput> = {}): CreatePostInput {
  return {
    type: 'request',
    productAreaId: alarms,
    title: 'A perfectly ordinary request',
    body: 'Please make it better.',
    submissionKey: randomId(),
    ...overrides,
  };
}

function composeForm(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    intent: 'post',
    type: 'complaint',
    productAreaId: alarms,
    title: 'Alarm list freezes when filtering',
    body: 'Filtering a long alarm list freezes the client for a minute.',
    submissionKey: randomId(),
    ...overrides,
  };
}

async function countPosts(authorId: string): Promise<number> {
  const row = await db()
    .selectFrom('post')
    .select((eb) => eb.fn.countAll<string>().as('n'))
    .where('author_id', '=', authorId)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

async function hide(postId: string) {
  await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'test' }).where('id', '=', postId).execute();
}

describe('creating a post', () => {
  it('publishes the post with sanitised HTML and makes the author follow it', async () => {
    const { postId, created } = await createPost(db(), member, postInput({ body: 'Hi <script>alert(1)</script> **bold**' }));
    expect(created).toBe(true);
    const post = await db()
      .selectFrom('post')
      .select(['body_html', 'status', 'hot_rank', 'triaged_at'])
      .where('id', '=', postId)
      .executeTakeFirstOrThrow();
    expect(post.body_html).toContain('<strong>bold</strong>');
    expect(post.body_html).not.toContain('<script>');
    expect(post.status).toBe('open');
    expect(post.triaged_at).toBeNull();
    const follow = await db().selectFrom('follow').select('user_id').where('post_id', '=', postId).execute();
    expect(follow).toEqual([{ user_id: member.id }]);
  });

  it('returns the first post when the same form is sent twice, and creates no second one', async () => {
    const author = await makeUser(app, { orgId });
    const input = postInput({ title: 'Sent twice' });
    const [first, second] = await Promise.all([createPost(db(), author, input), createPost(db(), author, input)]);
    expect(first.postId).toBe(second.postId);
    expect([first.created, second.created].sort()).toEqual([false, true]);
    expect(await countPosts(author.id)).toBe(1);

    // Through the form too: the same hidden key twice is one post.
    const form = composeForm({ title: 'Sent twice through the form' });
    const one = await call(composeRoute.action, '/posts/new', author, { form });
    const two = await call(composeRoute.action, '/posts/new', author, { form });
    expect(one.status).toBe(302);
    expect(two.location).toBe(one.location);
    expect(await countPosts(author.id)).toBe(2);
  });

  it.each([
    ['an empty title', { title: '   ' }, 'title', 'common.errors.required'],
    ['an oversized title', { title: 'x'.repeat(201) }, 'title', 'common.errors.tooLong?max=200'],
    ['an empty body', { body: '' }, 'body', 'common.errors.required'],
    ['an oversized body', { body: 'y'.repeat(20_001) }, 'body', 'common.errors.tooLong?max=20000'],
    ['no type', { type: 'rant' }, 'type', 'posts.errors.typeRequired'],
    ['negative hours', { impactHoursPerWeek: '-1' }, 'impactHoursPerWeek', 'posts.errors.range?max=10000'],
    ['an unknown area', { productAreaId: 'nosucharea' }, 'productAreaId', 'posts.errors.unknown_area'],
  ])('refuses %s with a clear message and creates nothing', async (_name, overrides, field, message) => {
    const author = await makeUser(app, { orgId });
    const outcome = await call(composeRoute.action, '/posts/new', author, { form: composeForm(overrides) });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error[field]).toEqual([message]);
    expect(await countPosts(author.id)).toBe(0);
  });

  it('refuses an archived area as unknown', async () => {
    const old = await createProductArea(db(), { slug: 'retired', nameEn: 'Retired', nameZh: '已停用' });
    await archiveProductArea(db(), { id: productAdmin.id, orgId: null, roles: ['product_admin'] }, { areaId: old });
    await expect(createPost(db(), member, postInput({ productAreaId: old }))).rejects.toEqual(
      new DomainError('unknown_area', 'productAreaId'),
    );
  });

  it('limits posts per member per hour with a clear message', async () => {
    const author = await makeUser(app, { orgId });
    await updateSettings(db(), productAdmin.id, { postsPerHour: 2 });
    try {
      for (const title of ['First of many', 'Second of many']) {
        expect((await call(composeRoute.action, '/posts/new', author, { form: composeForm({ title }) })).status).toBe(302);
      }
      const third = await call(composeRoute.action, '/posts/new', author, { form: composeForm({ title: 'Third' }) });
      expect(third.status).toBe(429);
      expect(third.data.result.error['']).toEqual([expect.stringMatching(/^posts\.compose\.rateLimited\?minutes=\d+$/)]);
      expect(await countPosts(author.id)).toBe(2);
      // Someone else is not limited by it.
      expect((await call(composeRoute.action, '/posts/new', other, { form: composeForm() })).status).toBe(302);
    } finally {
      await updateSettings(db(), productAdmin.id, { postsPerHour: 10 });
    }
  });

  it('warns about identifying text, naming it, and posts only after “post anyway”', async () => {
    const author = await makeUser(app, { orgId });
    const form = composeForm({
      title: 'Zephyrine Telecom loses alarms',
      body: 'Site SHA01 drops alarms, see INC0012345 or mail me at me@zephyrine.example',
    });
    const warned = await call(composeRoute.action, '/posts/new', author, { form });
    expect(warned.status).toBe(400);
    expect(warned.data.warnings).toEqual(['email', 'org', 'ticket', 'site']);
    expect(warned.data.result.error['']).toEqual(['posts.compose.confirmNeeded']);
    expect(await countPosts(author.id)).toBe(0);
    // The org's name is never part of what the server sends back, other than the member's own text.
    expect(JSON.stringify(warned.data.warnings)).not.toContain('Zephyrine');

    const preview = await call(composeRoute.action, '/posts/new', author, { form: { ...form, intent: 'preview' } });
    expect(preview.status).toBe(200);
    expect(preview.data.warnings).toEqual(['email', 'org', 'ticket', 'site']);
    expect(preview.data.previewHtml).toContain('<p>');

    const posted = await call(composeRoute.action, '/posts/new', author, { form: { ...form, intent: 'post-anyway' } });
    expect(posted.status).toBe(302);
    expect(await countPosts(author.id)).toBe(1);
  });

  it('sends neither the org name nor a real name to the compose page', async () => {
    const page = await call(composeRoute.loader, '/posts/new', member);
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.data)).not.toContain('Zephyrine');
    expect(page.data.submissionKey).toMatch(/^[a-z2-7]{24}$/);
  });

  it('previews sanitised Markdown without posting, with no errors for unfinished fields', async () => {
    const author = await makeUser(app, { orgId });
    const outcome = await call(composeRoute.action, '/posts/new', author, {
      form: { intent: 'preview', title: '', body: '# Head\n<img src=x onerror=alert(1)> [x](javascript:alert(1))', submissionKey: 'key-kept-123' },
    });
    expect(outcome.status).toBe(200);
    expect(outcome.data.result.error).toBeUndefined();
    expect(outcome.data.submissionKey).toBe('key-kept-123');
    expect(outcome.data.previewHtml).toContain('<h3>Head</h3>');
    expect(outcome.data.previewHtml).not.toMatch(/<img|href="javascript/);
    expect(outcome.data.previewHtml).toContain('&lt;img');
    expect(await countPosts(author.id)).toBe(0);
  });
});

describe('editing a post', () => {
  it('lets the author edit until triage, keeping the previous version', async () => {
    const { postId } = await createPost(db(), member, postInput({ title: 'Original title', body: 'Original body' }));
    await editPost(db(), member, { postId, title: 'Better title', body: 'Better **body**', impactHoursPerWeek: 4 });
    const post = await db()
      .selectFrom('post')
      .select(['title', 'body_html', 'impact_hours_per_week'])
      .where('id', '=', postId)
      .executeTakeFirstOrThrow();
    expect(post).toEqual({ title: 'Better title', body_html: '<p>Better <strong>body</strong></p>\n', impact_hours_per_week: 4 });
    const revisions = await db().selectFrom('post_revision').select(['title', 'body']).where('post_id', '=', postId).execute();
    expect(revisions).toEqual([{ title: 'Original title', body: 'Original body' }]);

    await db().updateTable('post').set({ triaged_at: new Date(), status: 'under_review' }).where('id', '=', postId).execute();
    await expect(editPost(db(), member, { postId, title: 'Too late', body: 'Too late' })).rejects.toMatchObject({
      code: 'already_triaged',
    });
    const refused = await call(editRoute.action, `/posts/${postId}/edit`, member, {
      form: { title: 'Too late', body: 'Too late' },
      params: { postId },
    });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error['']).toEqual(['posts.errors.already_triaged']);
    const page = await call(editRoute.loader, `/posts/${postId}/edit`, member, { params: { postId } });
    expect(page.data.post.editable).toBe(false);
    expect(await db().selectFrom('post_revision').select('id').where('post_id', '=', postId).execute()).toHaveLength(1);
  });

  it('answers 403 to anyone but the author and 404 for no such post', async () => {
    const { postId } = await createPost(db(), member, postInput({ title: 'Mine only' }));
    for (const handler of [editRoute.loader, editRoute.action]) {
      const outcome = await call(handler as Handler, `/posts/${postId}/edit`, other, {
        params: { postId },
        form: handler === editRoute.action ? { title: 'Hijacked', body: 'Hijacked' } : undefined,
      });
      expect(outcome.status).toBe(403);
    }
    expect((await call(editRoute.loader, '/posts/nosuchpost/edit', member, { params: { postId: 'nosuchpost' } })).status).toBe(404);
    const saved = await call(editRoute.action, `/posts/${postId}/edit`, member, {
      params: { postId },
      form: { title: 'Mine, edited', body: 'Still mine' },
    });
    expect(saved).toMatchObject({ status: 302, location: `/posts/${postId}` });
  });
});

describe('similar posts', () => {
  let merged: string;
  let declined: string;
  let hidden: string;
  beforeAll(async () => {
    const author = await makeUser(app, { orgId });
    const make = (title: string, status?: 'merged' | 'declined' | 'shipped') =>
      createPostRow(db(), { authorId: author.id, productAreaId: alarms, title, status });
    await make('Export alarms to CSV');
    merged = await make('CSV export of alarms times out', 'merged');
    declined = await make('Alarm CSV export should include severity', 'declined');
    hidden = await make('Export alarms to CSV please');
    await hide(hidden);
    await make('Dark mode for the topology view');
    await make('数据库连接超时导致告警丢失');
    await make('告警风暴时界面卡死', 'shipped');
    await make('北向接口文档缺少示例');
  });

  it('finds English posts with a similar title, closed ones with their status, never hidden ones', async () => {
    const similar = await findSimilarPosts(db(), member, { title: 'export alarms csv' });
    const titles = similar.map((post) => post.title);
    expect(titles[0]).toBe('Export alarms to CSV');
    expect(similar).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: merged, status: 'merged' }),
        expect.objectContaining({ id: declined, status: 'declined' }),
      ]),
    );
    expect(similar.map((post) => post.id)).not.toContain(hidden);
    expect(titles).not.toContain('Dark mode for the topology view');
    expect(similar.length).toBeLessThanOrEqual(5);
  });

  it('finds Chinese posts, which have no word spaces', async () => {
    const timeouts = await findSimilarPosts(db(), member, { title: '连接超时' });
    expect(timeouts.map((post) => post.title)).toEqual(['数据库连接超时导致告警丢失']);
    const storms = await findSimilarPosts(db(), member, { title: '告警风暴导致界面卡死' });
    expect(storms[0]).toMatchObject({ title: '告警风暴时界面卡死', status: 'shipped' });
    expect(storms.map((post) => post.title)).not.toContain('北向接口文档缺少示例');
  });

  it('returns at most five and nothing for a too-short title', async () => {
    for (let index = 0; index < 7; index += 1) {
      await createPostRow(db(), { authorId: member.id, productAreaId: api, title: `Webhook retries ${index}` });
    }
    expect(await findSimilarPosts(db(), member, { title: 'Webhook retries' })).toHaveLength(5);
    expect(await findSimilarPosts(db(), member, { title: 'W' })).toEqual([]);
  });

  it('serves suggestions as JSON to signed-in members only', async () => {
    const outcome = await call(similarRoute.loader, `/similar-posts?title=${encodeURIComponent('连接超时')}`, member);
    expect(outcome.data.posts).toEqual([
      expect.objectContaining({ title: '数据库连接超时导致告警丢失', status: 'open', voteCount: 0 }),
    ]);
    expect(Object.keys(outcome.data.posts[0]).sort()).toEqual(['id', 'status', 'title', 'type', 'voteCount']);
    expect((await call(similarRoute.loader, '/similar-posts?title=x', null)).status).toBe(302);
  });
});

describe('the feed', () => {
  let feedArea: string;
  let author: CreatedUser;
  beforeAll(async () => {
    feedArea = await createProductArea(db(), { slug: 'feed-area', nameEn: 'Feed area', nameZh: '信息流' });
    author = await makeUser(app, { orgId });
  });

  async function addPost(input: {
    title: string;
    type?: 'complaint' | 'request';
    status?: 'open' | 'planned';
    createdAt?: Date;
    counters?: { vote_count?: number; weighted_score?: number; org_count?: number; hot_rank?: number; comment_count?: number };
  }) {
    const id = await createPostRow(db(), {
      authorId: author.id,
      productAreaId: feedArea,
      title: input.title,
      type: input.type,
      status: input.status,
      createdAt: input.createdAt,
    });
    if (input.counters) await db().updateTable('post').set(input.counters).where('id', '=', id).execute();
    return id;
  }

  async function allPages(input: ListFeedInput, between?: (page: number) => Promise<void>): Promise<FeedRow[]> {
    const rows: FeedRow[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await listFeed(db(), member, { ...input, productAreaId: feedArea, after, limit: input.limit ?? 3 });
      rows.push(...result.posts);
      if (!result.nextCursor) return rows;
      after = result.nextCursor;
      await between?.(page);
    }
    throw new Error('did not end');
  }

  it('sorts by each order, ties broken by id, and filters by type, status and area', async () => {
    const day = (n: number) => new Date(Date.UTC(2026, 1, n, 10, 30, 15, 123));
    const a = await addPost({ title: 'A', type: 'complaint', createdAt: day(1), counters: { weighted_score: 9, org_count: 1, hot_rank: 5 } });
    const b = await addPost({ title: 'B', createdAt: day(2), counters: { weighted_score: 3, org_count: 4, hot_rank: 7 } });
    const c = await addPost({ title: 'C', status: 'planned', createdAt: day(3), counters: { weighted_score: 3, org_count: 2, hot_rank: 6 } });
    const hiddenPost = await addPost({ title: 'Hidden', createdAt: day(4), counters: { weighted_score: 99, org_count: 99, hot_rank: 99 } });
    await hide(hiddenPost);
    const ids = async (input: ListFeedInput) => (await allPages(input)).map((row) => row.id);
    const tie = [b, c].sort().reverse();
    expect(await ids({ sort: 'top' })).toEqual([a, ...tie]);
    expect(await ids({ sort: 'orgs' })).toEqual([b, c, a]);
    expect(await ids({ sort: 'trending' })).toEqual([b, c, a]);
    expect(await ids({ sort: 'newest' })).toEqual([c, b, a]);
    expect(await ids({ sort: 'newest', type: 'complaint' })).toEqual([a]);
    expect(await ids({ sort: 'newest', status: 'planned' })).toEqual([c]);
    const other = await listFeed(db(), member, { productAreaId: api, sort: 'newest', limit: 100 });
    expect(other.posts.map((row) => row.id)).not.toContain(a);

    const row = (await listFeed(db(), member, { productAreaId: feedArea, sort: 'newest', limit: 1, locale: 'zh-CN' })).posts[0]!;
    expect(row).toEqual({
      id: c,
      title: 'C',
      type: 'request',
      status: 'planned',
      voteCount: 0,
      orgCount: 2,
      commentCount: 0,
      createdDay: '2026-02-03',
      areaName: '信息流',
      tags: [],
    });
    await db().deleteFrom('follow').where('post_id', 'in', [a, b, c, hiddenPost]).execute();
    await db().deleteFrom('post').where('id', 'in', [a, b, c, hiddenPost]).execute();
  });

  it('shows only the day a post was made, never the exact time', async () => {
    await addPost({ title: 'Dated', createdAt: new Date(Date.UTC(2026, 2, 9, 23, 59, 58, 999)) });
    const page = await listFeed(db(), member, { productAreaId: feedArea, sort: 'newest', limit: 100 });
    for (const row of page.posts) {
      expect(row.createdDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(Object.values(row).some((value) => value instanceof Date)).toBe(false);
    }
    const served = await call(feedRoute.loader, `/posts?area=${feedArea}&sort=newest`, member);
    const json = JSON.stringify(served.data);
    expect(json).toContain('"createdDay":"2026-03-09"');
    expect(json).not.toMatch(/\d{2}:\d{2}:\d{2}/);
    expect(json).not.toContain(author.id);
  });

  it.each(['newest', 'trending', 'top', 'orgs'] as const)(
    'pages through every post exactly once by %s while posts are added between pages',
    async (sort) => {
      const start = await allPages({ sort, limit: 100 });
      // Same sort values for many rows: ties must still page correctly.
      for (let index = 0; index < 10; index += 1) {
        await addPost({ title: `Paged ${sort} ${index}`, counters: { weighted_score: index % 3, org_count: index % 2 } });
      }
      const before = await allPages({ sort, limit: 100 });
      expect(before.length).toBe(start.length + 10);
      let added = 0;
      const seen = await allPages({ sort, limit: 3 }, async () => {
        added += 1;
        await addPost({
          title: `Added meanwhile ${sort} ${added}`,
          counters: { weighted_score: added % 3, org_count: added % 2, hot_rank: 1e6 + added },
        });
      });
      const seenIds = seen.map((row) => row.id);
      expect(new Set(seenIds).size).toBe(seenIds.length);
      for (const row of before) expect(seenIds).toContain(row.id);
    },
  );

  it('pages back with the newer link to the same rows', async () => {
    const first = await listFeed(db(), member, { productAreaId: feedArea, sort: 'newest', limit: 4 });
    const second = await listFeed(db(), member, { productAreaId: feedArea, sort: 'newest', limit: 4, after: first.nextCursor! });
    expect(second.prevCursor).not.toBeNull();
    const back = await listFeed(db(), member, { productAreaId: feedArea, sort: 'newest', limit: 4, before: second.prevCursor! });
    expect(back.posts.map((row) => row.id)).toEqual(first.posts.map((row) => row.id));
    expect(back.prevCursor).toBeNull();
    expect(first.prevCursor).toBeNull();
  });

  it('ignores a tampered cursor or filter instead of failing', async () => {
    for (const query of ['after=garbage', 'after=WzEsMl0', 'sort=sideways&type=rant&status=nope', `after=${Buffer.from('["x","y"]').toString('base64url')}&sort=top`]) {
      const outcome = await call(feedRoute.loader, `/posts?${query}`, member);
      expect(outcome.status, query).toBe(200);
    }
    expect((await call(feedRoute.loader, '/posts', null)).status).toBe(200);
  });
});

describe('search', () => {
  let exact: string;
  let inBody: string;
  let chinese: string;
  let hiddenPost: string;
  beforeAll(async () => {
    const author = await makeUser(app, { orgId });
    const make = (title: string, body: string) => createPostRow(db(), { authorId: author.id, productAreaId: api, title, body });
    exact = await make('Topology map renders slowly', 'With 5000 nodes the map takes a minute.');
    inBody = await make('Performance of the client', 'Opening the topology map renders nothing for a minute when large.');
    chinese = await make('拓扑图加载缓慢', '节点超过五千个时，拓扑图需要一分钟才能显示。');
    await make('拓扑图颜色不清晰', '建议使用高对比度配色。');
    hiddenPost = await make('Topology map renders slowly too', 'Hidden duplicate.');
    await hide(hiddenPost);
  });

  it('ranks a title match above a body match, and never returns hidden posts', async () => {
    const { results } = await searchPosts(db(), member, { query: 'topology map' });
    const ids = results.map((result) => result.id);
    expect(ids).toContain(exact);
    expect(ids).toContain(inBody);
    expect(ids.indexOf(exact)).toBeLessThan(ids.indexOf(inBody));
    expect(ids).not.toContain(hiddenPost);
  });

  it('highlights matches as text segments in the title and a body snippet', async () => {
    const [top] = (await searchPosts(db(), member, { query: 'Topology map' })).results;
    expect(top!.title).toEqual([
      { text: 'Topology', match: true },
      { text: ' ', match: false },
      { text: 'map', match: true },
      { text: ' renders slowly', match: false },
    ]);
    const body = (await searchPosts(db(), member, { query: 'topology' })).results.find((result) => result.id === inBody)!;
    expect(body.snippet.filter((segment) => segment.match).map((segment) => segment.text)).toEqual(['topology']);
  });

  it('finds and ranks Chinese text', async () => {
    const { results } = await searchPosts(db(), member, { query: '拓扑图加载', locale: 'zh-CN' });
    expect(results[0]!.id).toBe(chinese);
    expect(results[0]!.title.filter((segment) => segment.match).map((segment) => segment.text)).toEqual(['拓扑图加载']);
    expect(results[0]!.areaName).toBe('开放接口');
    const both = (await searchPosts(db(), member, { query: '拓扑图' })).results;
    expect(both.map((result) => result.title.map((segment) => segment.text).join(''))).toEqual(
      expect.arrayContaining(['拓扑图加载缓慢', '拓扑图颜色不清晰']),
    );
    expect((await searchPosts(db(), member, { query: '一分钟' })).results.map((result) => result.id)).toContain(chinese);
  });

  it('treats LIKE wildcards literally and answers the page for empty, odd or long queries', async () => {
    expect((await searchPosts(db(), member, { query: '%_%' })).results).toEqual([]);
    for (const q of ['', '%25', 'x'.repeat(500), '<script>']) {
      const outcome = await call(searchRoute.loader, `/search?q=${encodeURIComponent(q)}`, member);
      expect(outcome.status, q).toBe(200);
    }
    const page = await call(searchRoute.loader, `/search?q=${encodeURIComponent('topology')}`, member);
    expect(page.data.results.length).toBeGreaterThan(0);
    expect(JSON.stringify(page.data)).not.toMatch(/\d{2}:\d{2}:\d{2}/);
  });
});

describe('product areas', () => {
  const actor = () => ({ id: productAdmin.id, orgId: null, roles: ['product_admin' as const] });

  it('lets product admins create, rename and archive areas, each audited', async () => {
    const { areaId } = await createArea(db(), actor(), { slug: 'Billing', nameEn: 'Billing', nameZh: '计费' });
    await renameProductArea(db(), actor(), { areaId, nameEn: 'Billing & invoices', nameZh: '计费与发票' });
    expect((await listProductAreas(db(), 'zh-CN')).map((area) => area.name)).toContain('计费与发票');
    await archiveProductArea(db(), actor(), { areaId });
    expect((await listProductAreas(db(), 'en')).map((area) => area.id)).not.toContain(areaId);
    expect((await listProductAreasForAdmin(db(), actor())).find((area) => area.id === areaId)).toMatchObject({
      slug: 'billing',
      archived: true,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['action', 'actor_id'])
      .where('subject_id', '=', areaId)
      .orderBy('id')
      .execute();
    expect(audit.map((row) => row.action)).toEqual(['product_area.create', 'product_area.rename', 'product_area.archive']);
    expect(audit.every((row) => row.actor_id === productAdmin.id)).toBe(true);
  });

  it('refuses a taken or malformed short name with a form message', async () => {
    const taken = await call(areasRoute.action, '/admin/areas', productAdmin, {
      form: { intent: 'create', slug: 'alarms', nameEn: 'Again', nameZh: '再次' },
    });
    expect(taken.status).toBe(400);
    expect(taken.data.result.error).toEqual({ slug: ['posts.errors.slug_taken'] });
    const malformed = await call(areasRoute.action, '/admin/areas', productAdmin, {
      form: { intent: 'create', slug: 'no spaces!', nameEn: 'X', nameZh: 'X' },
    });
    expect(malformed.status).toBe(400);
    const created = await call(areasRoute.action, '/admin/areas', productAdmin, {
      form: { intent: 'create', slug: 'inventory', nameEn: 'Inventory', nameZh: '资源' },
    });
    expect(created).toMatchObject({ status: 302, location: '/admin/areas' });
  });

  it('is for product admins only', async () => {
    expect((await call(areasRoute.loader, '/admin/areas', member)).status).toBe(403);
    await expect(createArea(db(), { id: member.id, orgId, roles: [] }, { slug: 'x', nameEn: 'X', nameZh: 'X' })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });
});
