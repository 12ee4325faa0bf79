import { createCookie, type AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { deleteComment } from '../app/domain/comments/delete-comment.server.js';
import { listComments } from '../app/domain/comments/list-comments.server.js';
import { DomainError } from '../app/domain/errors.js';
import { dismissCase } from '../app/domain/moderation/dismiss-case.server.js';
import { hideContent } from '../app/domain/moderation/hide-content.server.js';
import { listHiddenContent } from '../app/domain/moderation/list-hidden-content.server.js';
import { listModerationQueue } from '../app/domain/moderation/list-moderation-queue.server.js';
import { reportContent } from '../app/domain/moderation/report-content.server.js';
import { restoreContent } from '../app/domain/moderation/restore-content.server.js';
import { listFeed } from '../app/domain/posts/list-feed.server.js';
import { getProfile } from '../app/domain/profiles/get-profile.server.js';
import { searchPosts } from '../app/domain/posts/search-posts.server.js';
import en from '../app/locales/en.js';
import zhCN from '../app/locales/zh-CN.js';
import * as moderationRoute from '../app/routes/moderation.js';
import * as editRoute from '../app/routes/posts.$postId_.edit.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import * as reportRoute from '../app/routes/report.js';
import * as searchRoute from '../app/routes/search.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Outcome {
  status: number;
  location?: string | null;
  flash?: string | null;
  data?: any;
}

let app: TestApp;
let areaId: string;
let orgId: string;
let author: CreatedUser;
let reporters: CreatedUser[];
let member: CreatedUser;
let triager: CreatedUser;
let productAdmin: CreatedUser;

const db = () => app.services.db;
const actor = (user: CreatedUser, roles: Role[] = []) => ({ id: user.id, orgId, roles });
const moderator = () => ({ id: triager.id, orgId: null, roles: ['triager' as const] });

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'moderation', nameEn: 'Moderation area', nameZh: '审核领域' });
  orgId = await makeOrg(app, { name: 'Moderation Org', valueTier: 'major', domains: ['moderation-org.example'] });
  author = await makeUser(app, { orgId });
  member = await makeUser(app, { orgId });
  reporters = [];
  for (let index = 0; index < 12; index += 1) reporters.push(await makeUser(app, { orgId }));
  triager = await makeUser(app, { roles: ['triager'] });
  await db().updateTable('app_user').set({ staff_display_name: 'Mo from Trust' }).where('id', '=', triager.id).execute();
  productAdmin = await makeUser(app, { roles: ['product_admin'] });
}, 120_000);
afterAll(async () => {
  await app?.close();
});

const flashCookie = createCookie('candor_flash');
const cookies = new Map<string, string>();

async function call(
  handler: Handler,
  path: string,
  as: CreatedUser | null,
  init: { form?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<Outcome> {
  let cookie: string | undefined;
  if (as) {
    cookie = cookies.get(as.id) ?? (await sessionCookieFor(app, as.id));
    cookies.set(as.id, cookie);
  }
  const request = makeRequest(path, { form: init.form, cookie, method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: init.params ?? {} }));
  if (response) {
    const setCookie = response.headers.get('Set-Cookie');
    const flash = setCookie?.startsWith('candor_flash=') ? ((await flashCookie.parse(setCookie.split(';')[0]!)) as string) : null;
    return { status: response.status, location: response.headers.get('Location'), flash };
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

function newPost(title = `Post ${Math.random().toString(36).slice(2, 8)}`, body?: string) {
  return createPostRow(db(), { authorId: author.id, productAreaId: areaId, title, body });
}

async function openCases(postId: string, commentId: string | null = null) {
  let query = db()
    .selectFrom('moderation_case')
    .select(['id', 'report_count', 'subject_type'])
    .where('post_id', '=', postId)
    .where('resolved_at', 'is', null);
  query = commentId ? query.where('comment_id', '=', commentId) : query.where('comment_id', 'is', null);
  return query.execute();
}

async function reportRows(caseId: string) {
  return db().selectFrom('report').select(['reporter_id', 'reason', 'note']).where('case_id', '=', caseId).execute();
}

async function commentCount(postId: string): Promise<number> {
  const row = await db().selectFrom('post').select('comment_count').where('id', '=', postId).executeTakeFirstOrThrow();
  return row.comment_count;
}

async function expectDomainError(run: Promise<unknown>, code: string, status?: number) {
  const error = await run.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject(status ? { code, status } : { code });
}

describe('reporting', () => {
  it('collapses three members’ reports of one post into one open case with three reports', async () => {
    const postId = await newPost();
    for (const [index, reporter] of reporters.slice(0, 3).entries()) {
      const outcome = await reportContent(db(), actor(reporter), { postId, reason: index === 0 ? 'spam' : 'abuse', note: `note ${index}` });
      expect(outcome.reported).toBe(true);
    }
    const cases = await openCases(postId);
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ report_count: 3, subject_type: 'post' });
    expect(await reportRows(cases[0]!.id)).toHaveLength(3);
  });

  it('counts the same member reporting twice once, and tells them so instead of failing', async () => {
    const postId = await newPost();
    const reporter = reporters[3]!;
    const first = await call(reportRoute.action as Handler, '/report', reporter, { form: { postId, reason: 'spam' } });
    expect(first).toMatchObject({ status: 302, location: `/posts/${postId}`, flash: 'moderation.flash.reported' });
    const second = await call(reportRoute.action as Handler, '/report', reporter, { form: { postId, reason: 'abuse', note: 'Again' } });
    expect(second).toMatchObject({ status: 302, location: `/posts/${postId}`, flash: 'moderation.flash.alreadyReported' });
    expect(en.moderation.flash.alreadyReported).toMatch(/already reported/);

    const cases = await openCases(postId);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.report_count).toBe(1);
    expect(await reportRows(cases[0]!.id)).toEqual([{ reporter_id: reporter.id, reason: 'spam', note: null }]);

    // The post page then says "reported" to this member only.
    const page = await call(postRoute.loader as Handler, `/posts/${postId}`, reporter, { params: { postId } });
    expect(page.data.ownReports).toEqual({ post: true, commentIds: [] });
    const other = await call(postRoute.loader as Handler, `/posts/${postId}`, member, { params: { postId } });
    expect(other.data.ownReports).toEqual({ post: false, commentIds: [] });
  });

  it('opens exactly one case with ten reports when ten members report at once', async () => {
    const postId = await newPost();
    const ten = reporters.slice(0, 10);
    const outcomes = await Promise.all(ten.map((reporter) => reportContent(db(), actor(reporter), { postId, reason: 'off_topic' })));
    expect(new Set(outcomes.map((outcome) => outcome.caseId)).size).toBe(1);
    const cases = await openCases(postId);
    expect(cases).toHaveLength(1);
    expect(cases[0]!.report_count).toBe(10);
    expect(await reportRows(cases[0]!.id)).toHaveLength(10);
  });

  it('opens a new case for a new report after the moderators dismissed the last one', async () => {
    const postId = await newPost();
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'spam' });
    await dismissCase(db(), moderator(), { caseId, note: 'Looks fine' });
    expect(await openCases(postId)).toHaveLength(0);

    // The same member may report again: it is a new case.
    const again = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'abuse' });
    expect(again).toMatchObject({ reported: true });
    expect(again.caseId).not.toBe(caseId);
    const cases = await openCases(postId);
    expect(cases.map((one) => [one.id, one.report_count])).toEqual([[again.caseId, 1]]);
    const dismissed = await db()
      .selectFrom('moderation_case')
      .select(['resolution', 'resolved_by', 'resolution_note', 'report_count'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(dismissed).toEqual({ resolution: 'dismissed', resolved_by: triager.id, resolution_note: 'Looks fine', report_count: 1 });
    const audit = await db().selectFrom('audit_log').select(['actor_id', 'action']).where('subject_id', '=', caseId).execute();
    expect(audit).toEqual([{ actor_id: triager.id, action: 'moderation.dismiss' }]);
  });

  it('reports a comment as its own case, separate from its post', async () => {
    const postId = await newPost();
    const { id: commentId } = await addComment(db(), actor(member), { postId, body: 'Buy cheap licences at example.com' });
    await reportContent(db(), actor(reporters[1]!), { postId, commentId, reason: 'spam' });
    await reportContent(db(), actor(reporters[2]!), { postId, reason: 'other' });
    expect(await openCases(postId, commentId)).toMatchObject([{ report_count: 1, subject_type: 'comment' }]);
    expect(await openCases(postId)).toMatchObject([{ report_count: 1, subject_type: 'post' }]);
    const page = await call(postRoute.loader as Handler, `/posts/${postId}`, reporters[1]!, { params: { postId } });
    expect(page.data.ownReports).toEqual({ post: false, commentIds: [commentId] });
  });

  it('refuses bad reports with a clear 4xx and changes nothing', async () => {
    const postId = await newPost();
    const otherPostId = await newPost();
    const hiddenPostId = await newPost();
    await hideContent(db(), moderator(), { postId: hiddenPostId, reason: 'Spam' });
    const { id: elsewhere } = await addComment(db(), actor(member), { postId: otherPostId, body: 'Elsewhere' });
    const { id: hiddenComment } = await addComment(db(), actor(member), { postId, body: 'Rude' });
    await hideContent(db(), moderator(), { postId, commentId: hiddenComment, reason: 'Rude' });
    const reporter = reporters[4]!;
    const before = await db().selectFrom('report').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();

    const cases: Array<[string, Record<string, string>, number, string, string]> = [
      ['an unknown reason', { postId, reason: 'boring' }, 400, 'reason', 'moderation.errors.reasonRequired'],
      ['no reason', { postId }, 400, 'reason', 'moderation.errors.reasonRequired'],
      ['an oversized note', { postId, reason: 'other', note: 'x'.repeat(501) }, 400, 'note', 'common.errors.tooLong?max=500'],
      ['an unknown post', { postId: 'nosuchpost', reason: 'spam' }, 404, '', 'moderation.errors.post_not_found'],
      ['a hidden post', { postId: hiddenPostId, reason: 'spam' }, 404, '', 'moderation.errors.post_not_found'],
      ['a comment of another post', { postId, commentId: elsewhere, reason: 'spam' }, 404, '', 'moderation.errors.comment_not_found'],
      ['a hidden comment', { postId, commentId: hiddenComment, reason: 'spam' }, 409, '', 'moderation.errors.comment_hidden'],
    ];
    for (const [name, form, status, field, message] of cases) {
      const outcome = await call(reportRoute.action as Handler, '/report', reporter, { form });
      expect(outcome.status, name).toBe(status);
      expect(outcome.data.result.error[field], name).toEqual([message]);
    }
    // Their own post: the author is told to edit or delete instead.
    const own = await call(reportRoute.action as Handler, '/report', author, { form: { postId, reason: 'spam' } });
    expect(own.status).toBe(400);
    expect(own.data.result.error['']).toEqual(['moderation.errors.own_content']);
    expect(en.moderation.errors.own_content).toMatch(/your own/);

    const after = await db().selectFrom('report').select((eb) => eb.fn.countAll<string>().as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
    expect(await openCases(postId)).toHaveLength(0);
  });

  it('shows the report page for an item, says when it cannot be reported, and 404s for an unknown one', async () => {
    const postId = await newPost('A post to report');
    const { id: commentId } = await addComment(db(), actor(member), { postId, body: 'A comment to report' });
    const page = await call(reportRoute.loader as Handler, `/report?postId=${postId}&commentId=${commentId}`, reporters[5]!);
    expect(page.data.target).toEqual({
      postId,
      commentId,
      postTitle: 'A post to report',
      commentExcerpt: 'A comment to report',
      refusal: null,
    });
    const own = await call(reportRoute.loader as Handler, `/report?postId=${postId}`, author);
    expect(own.data.target.refusal).toBe('own_content');
    expect((await call(reportRoute.loader as Handler, '/report?postId=nosuchpost', member)).status).toBe(404);
    expect((await call(reportRoute.loader as Handler, '/report', member)).status).toBe(404);
    expect((await call(reportRoute.loader as Handler, `/report?postId=${postId}`, null)).location).toMatch(/^\/login/);
  });

  it('limits reports per member per hour with a clear message', async () => {
    const postId = await newPost();
    const eager = await makeUser(app, { orgId });
    for (let index = 0; index < 20; index += 1) {
      const ok = await call(reportRoute.action as Handler, '/report', eager, { form: { postId, reason: 'spam' } });
      expect(ok.status).toBe(302);
    }
    const refused = await call(reportRoute.action as Handler, '/report', eager, { form: { postId, reason: 'spam' } });
    expect(refused.status).toBe(429);
    expect(refused.data.result.error[''][0]).toMatch(/^moderation\.errors\.rateLimited\?minutes=\d+$/);
  });
});

describe('the moderation queue', () => {
  it('lists open cases most reported first, then oldest, with counts by reason and notes, never who reported', async () => {
    await db().updateTable('moderation_case').set({ resolution: 'dismissed', resolved_at: new Date() }).where('resolved_at', 'is', null).execute();
    const once = await newPost('Reported once');
    const thrice = await newPost('Reported thrice');
    const { id: commentId } = await addComment(db(), actor(member), { postId: once, body: 'A **reported** comment' });
    await reportContent(db(), actor(reporters[0]!), { postId: once, reason: 'spam' });
    await reportContent(db(), actor(reporters[0]!), { postId: once, commentId, reason: 'abuse', note: 'Insults the team' });
    for (const [index, reporter] of reporters.slice(1, 4).entries()) {
      await reportContent(db(), actor(reporter), { postId: thrice, reason: index < 2 ? 'spam' : 'identifying', note: index === 2 ? 'Names a site' : undefined });
    }

    const page = await call(moderationRoute.loader as Handler, '/moderation', triager);
    expect(page.status).toBe(200);
    const { cases, nextCursor } = page.data.queue;
    expect(page.data.openCount).toBe(3);
    expect(nextCursor).toBeNull();
    expect(cases.map((entry: any) => [entry.post.title, entry.comment === null ? 'post' : 'comment', entry.reportCount])).toEqual([
      ['Reported thrice', 'post', 3],
      ['Reported once', 'post', 1],
      ['Reported once', 'comment', 1],
    ]);
    expect(cases[0]).toMatchObject({
      reasons: [
        { reason: 'spam', count: 2 },
        { reason: 'identifying', count: 1 },
      ],
      notes: [{ reason: 'identifying', note: 'Names a site' }],
      author: { pseudonym: author.pseudonym },
    });
    expect(cases[0].firstReportedDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(cases[2]).toMatchObject({ excerpt: 'A reported comment', author: { pseudonym: member.pseudonym }, notes: [{ note: 'Insults the team' }] });

    // Reporters are nobody here: no id, pseudonym (either language) or exact time.
    const text = JSON.stringify(page.data);
    const reporterNames = await db()
      .selectFrom('app_user')
      .select(['id', 'pseudonym', 'pseudonym_zh'])
      .where('id', 'in', reporters.slice(0, 4).map((reporter) => reporter.id))
      .execute();
    for (const reporter of reporterNames) {
      expect(text).not.toContain(reporter.id);
      expect(text).not.toContain(reporter.pseudonym);
      expect(text).not.toContain(reporter.pseudonym_zh);
    }
    expect(text).not.toMatch(/T\d{2}:\d{2}:\d{2}/);
  });

  it('pages the queue without repeating or skipping a case', async () => {
    await db().updateTable('moderation_case').set({ resolution: 'dismissed', resolved_at: new Date() }).where('resolved_at', 'is', null).execute();
    const expected: string[] = [];
    for (let index = 0; index < 5; index += 1) {
      const postId = await newPost(`Paged ${index}`);
      for (const reporter of reporters.slice(0, index % 3 === 0 ? 2 : 1)) {
        await reportContent(db(), actor(reporter), { postId, reason: 'spam' });
      }
      expected.push(postId);
    }
    const seen: string[] = [];
    let after: string | undefined;
    for (let pages = 0; pages < 10; pages += 1) {
      const page = await listModerationQueue(db(), moderator(), { after, limit: 2 });
      seen.push(...page.cases.map((entry) => entry.post.id));
      if (!page.nextCursor) break;
      after = page.nextCursor;
      // A report arriving between pages moves nothing already shown.
      if (pages === 0) await reportContent(db(), actor(reporters[6]!), { postId: expected[4]!, reason: 'spam' });
    }
    expect(seen).toHaveLength(5);
    expect(new Set(seen)).toEqual(new Set(expected));
    // A tampered cursor starts from the top instead of failing.
    const tampered = await call(moderationRoute.loader as Handler, '/moderation?after=garbage', triager);
    expect(tampered.status).toBe(200);
  });

  it('hides a reported post from the queue: gone from feed and search, 404 for others, the author sees why and is notified', async () => {
    const postId = await newPost('Zanzibar quokka spam', 'Zanzibar quokka discount codes.');
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'spam' });
    await reportContent(db(), actor(reporters[1]!), { postId, reason: 'spam' });
    expect((await searchPosts(db(), null, { query: 'zanzibar quokka' })).results.map((result) => result.id)).toEqual([postId]);

    const hidden = await call(moderationRoute.action as Handler, '/moderation', triager, {
      form: { intent: 'hide', caseId, reason: 'Advertising is not allowed here.' },
    });
    expect(hidden).toMatchObject({ status: 302, location: '/moderation', flash: 'moderation.flash.hidden' });

    const post = await db().selectFrom('post').select(['hidden_at', 'hidden_reason', 'hidden_by']).where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post).toMatchObject({ hidden_reason: 'Advertising is not allowed here.', hidden_by: triager.id });
    expect(post.hidden_at).not.toBeNull();
    expect(await openCases(postId)).toHaveLength(0);
    const resolved = await db().selectFrom('moderation_case').select(['resolution', 'resolved_by']).where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(resolved).toEqual({ resolution: 'hidden', resolved_by: triager.id });

    // Gone from the feed and search, a 404 for anyone but its author and the moderators.
    const feed = await listFeed(db(), null, { sort: 'newest', limit: 100 });
    expect(feed.posts.map((row) => row.id)).not.toContain(postId);
    expect((await searchPosts(db(), null, { query: 'zanzibar quokka' })).results).toEqual([]);
    const profile = await getProfile(db(), { userId: author.id, locale: 'en' });
    expect(profile.posts.map((row) => row.id)).not.toContain(postId);
    expect((await call(postRoute.loader as Handler, `/posts/${postId}`, member, { params: { postId } })).status).toBe(404);
    expect((await call(postRoute.loader as Handler, `/posts/${postId}`, null, { params: { postId } })).status).toBe(404);
    const own = await call(postRoute.loader as Handler, `/posts/${postId}`, author, { params: { postId } });
    expect(own.data.post.hidden).toEqual({ reason: 'Advertising is not allowed here.' });
    expect(en.post.hidden.toAuthor).toMatch(/hidden/);
    const staff = await call(postRoute.loader as Handler, `/posts/${postId}`, productAdmin, { params: { postId } });
    expect(staff.data.post.hidden).toEqual({ reason: 'Advertising is not allowed here.' });

    const notes = await db()
      .selectFrom('notification')
      .select(['user_id', 'kind', 'post_id', 'data'])
      .where('post_id', '=', postId)
      .execute();
    expect(notes).toEqual([{ user_id: author.id, kind: 'post_hidden', post_id: postId, data: { reason: 'Advertising is not allowed here.' } }]);
    const audit = await db().selectFrom('audit_log').select(['actor_id', 'action', 'after']).where('subject_id', '=', postId).execute();
    expect(audit).toMatchObject([{ actor_id: triager.id, action: 'moderation.hide', after: { hidden: true, resolvedCases: [caseId] } }]);

    // Hidden items are listed for review, then restored with a reason.
    const hiddenList = await call(moderationRoute.loader as Handler, '/moderation?view=hidden', triager);
    expect(hiddenList.data.hidden.items.find((item: any) => item.post.id === postId)).toMatchObject({
      comment: null,
      reason: 'Advertising is not allowed here.',
      hiddenBy: 'Mo from Trust',
      author: { pseudonym: author.pseudonym },
    });
    const restored = await call(moderationRoute.action as Handler, '/moderation?view=hidden', triager, {
      form: { intent: 'restore', postId, reason: 'The author removed the codes.' },
    });
    expect(restored).toMatchObject({ status: 302, location: '/moderation?view=hidden', flash: 'moderation.flash.restored' });
    expect((await searchPosts(db(), null, { query: 'zanzibar quokka' })).results.map((result) => result.id)).toEqual([postId]);
    expect((await call(postRoute.loader as Handler, `/posts/${postId}`, member, { params: { postId } })).status).toBe(200);
    const restoredNote = await db()
      .selectFrom('notification')
      .select(['kind', 'data'])
      .where('post_id', '=', postId)
      .where('kind', '=', 'post_restored')
      .executeTakeFirstOrThrow();
    expect(restoredNote.data).toEqual({ reason: 'The author removed the codes.' });
    const restoreAudit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('subject_id', '=', postId)
      .where('action', '=', 'moderation.restore')
      .executeTakeFirstOrThrow();
    expect(restoreAudit).toEqual({
      before: { hidden: true, reason: 'Advertising is not allowed here.' },
      after: { hidden: false, reason: 'The author removed the codes.' },
    });
  });

  it('dismisses a case, leaving the item as it was', async () => {
    const postId = await newPost();
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'other' });
    const dismissed = await call(moderationRoute.action as Handler, '/moderation', productAdmin, { form: { intent: 'dismiss', caseId } });
    expect(dismissed).toMatchObject({ status: 302, flash: 'moderation.flash.dismissed' });
    const post = await db().selectFrom('post').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post.hidden_at).toBeNull();
    expect(await db().selectFrom('notification').select('id').where('post_id', '=', postId).execute()).toEqual([]);
    // Dealt with already: a second moderator is told, not shown an error page.
    const again = await call(moderationRoute.action as Handler, '/moderation', triager, { form: { intent: 'hide', caseId, reason: 'Late' } });
    expect(again.status).toBe(409);
    expect(again.data).toMatchObject({ intent: 'hide', target: caseId, result: { error: { '': ['moderation.errors.case_resolved'] } } });
  });

  it('lets exactly one of two moderators act when one hides and one dismisses the same case at once', async () => {
    const postId = await newPost();
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'abuse' });
    const other = { id: productAdmin.id, orgId: null, roles: ['product_admin' as const] };
    const [hide, dismiss] = await Promise.allSettled([
      hideContent(db(), moderator(), { caseId, reason: 'Abusive' }),
      dismissCase(db(), other, { caseId }),
    ]);
    expect([hide.status, dismiss.status].sort()).toEqual(['fulfilled', 'rejected']);
    const row = await db().selectFrom('moderation_case').select('resolution').where('id', '=', caseId).executeTakeFirstOrThrow();
    const post = await db().selectFrom('post').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(row.resolution).toBe(hide.status === 'fulfilled' ? 'hidden' : 'dismissed');
    expect(post.hidden_at !== null).toBe(hide.status === 'fulfilled');
  });

  it('refuses bad moderator input with a message on the form and changes nothing', async () => {
    const postId = await newPost();
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'spam' });
    const noReason = await call(moderationRoute.action as Handler, '/moderation', triager, { form: { intent: 'hide', caseId, reason: '  ' } });
    expect(noReason.status).toBe(400);
    expect(noReason.data.result.error.reason).toEqual(['moderation.errors.explainRequired']);
    const longReason = await call(moderationRoute.action as Handler, '/moderation', triager, {
      form: { intent: 'hide', caseId, reason: 'x'.repeat(501) },
    });
    expect(longReason.data.result.error.reason).toEqual(['common.errors.tooLong?max=500']);
    const unknownCase = await call(moderationRoute.action as Handler, '/moderation', triager, {
      form: { intent: 'hide', caseId: 'nosuchcase', reason: 'Spam' },
    });
    expect(unknownCase.status).toBe(404);
    expect(unknownCase.data.result.error['']).toEqual(['moderation.errors.case_not_found']);
    const unknownItem = await call(moderationRoute.action as Handler, '/moderation', triager, {
      form: { intent: 'restore', postId: 'nosuchpost', reason: 'Back' },
    });
    expect(unknownItem.status).toBe(404);
    expect(unknownItem.data.result.error['']).toEqual(['moderation.errors.item_not_found']);
    const notHidden = await call(moderationRoute.action as Handler, '/moderation', triager, {
      form: { intent: 'restore', postId, reason: 'Back' },
    });
    expect(notHidden.status).toBe(409);
    const unknownIntent = await call(moderationRoute.action as Handler, '/moderation', triager, { form: { intent: 'delete', caseId } });
    expect(unknownIntent.status).toBe(400);
    expect(unknownIntent.data.result.error.intent).toEqual(['moderation.errors.unknownAction']);

    expect(await openCases(postId)).toHaveLength(1);
    const post = await db().selectFrom('post').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post.hidden_at).toBeNull();
    for (const key of ['explainRequired', 'case_not_found', 'item_not_found', 'unknownAction'] as const) {
      expect(zhCN.moderation.errors[key]).toMatch(/[\u4e00-\u9fff]/);
    }
  });

  it('answers 403 to members on the queue, its actions, and the post page’s hide and restore', async () => {
    const postId = await newPost();
    const { caseId } = await reportContent(db(), actor(reporters[0]!), { postId, reason: 'spam' });
    expect((await call(moderationRoute.loader as Handler, '/moderation', member)).status).toBe(403);
    expect((await call(moderationRoute.loader as Handler, '/moderation?view=hidden', author)).status).toBe(403);
    const queueHide = await call(moderationRoute.action as Handler, '/moderation', member, { form: { intent: 'hide', caseId, reason: 'Mine now' } });
    expect(queueHide.status).toBe(403);
    const pageHide = await call(postRoute.action as Handler, `/posts/${postId}`, member, {
      form: { intent: 'hide', reason: 'I do not like it' },
      params: { postId },
    });
    expect(pageHide.status).toBe(403);
    const post = await db().selectFrom('post').select('hidden_at').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post.hidden_at).toBeNull();
    expect(await openCases(postId)).toHaveLength(1);
    await expectDomainError(hideContent(db(), actor(member), { postId, reason: 'x' }), 'forbidden', 403);
  });
});

describe('moderating from the post page', () => {
  it('hides and restores a post straight from its page, without any report', async () => {
    const postId = await newPost();
    const page = await call(postRoute.loader as Handler, `/posts/${postId}`, triager, { params: { postId } });
    expect(page.data.canModerate).toBe(true);
    expect((await call(postRoute.loader as Handler, `/posts/${postId}`, member, { params: { postId } })).data.canModerate).toBe(false);

    const hidden = await call(postRoute.action as Handler, `/posts/${postId}`, triager, {
      form: { intent: 'hide', reason: 'Names a customer site' },
      params: { postId },
    });
    expect(hidden).toMatchObject({ status: 302, location: `/posts/${postId}`, flash: 'moderation.flash.hidden' });
    const own = await call(postRoute.loader as Handler, `/posts/${postId}`, author, { params: { postId } });
    expect(own.data.post.hidden).toEqual({ reason: 'Names a customer site' });

    const twice = await call(postRoute.action as Handler, `/posts/${postId}`, triager, {
      form: { intent: 'hide', reason: 'Again' },
      params: { postId },
    });
    expect(twice.status).toBe(400);
    expect(twice.data.result.error['']).toEqual(['moderation.errors.already_hidden']);
    const empty = await call(postRoute.action as Handler, `/posts/${postId}`, triager, { form: { intent: 'restore', reason: '' }, params: { postId } });
    expect(empty.status).toBe(400);
    expect(empty.data.result.error.reason).toEqual(['moderation.errors.explainRequired']);

    const restored = await call(postRoute.action as Handler, `/posts/${postId}`, triager, {
      form: { intent: 'restore', reason: 'Edited by the author' },
      params: { postId },
    });
    expect(restored).toMatchObject({ status: 302, flash: 'moderation.flash.restored' });
    expect((await call(postRoute.loader as Handler, `/posts/${postId}`, member, { params: { postId } })).status).toBe(200);
    const kinds = await db().selectFrom('notification').select('kind').where('post_id', '=', postId).orderBy('created_at').execute();
    expect(kinds.map((row) => row.kind)).toEqual(['post_hidden', 'post_restored']);
  });

  it('hides a comment: others see a placeholder, its author and moderators the reason, and the count follows', async () => {
    const postId = await newPost();
    const { id: rude } = await addComment(db(), actor(member), { postId, body: 'Something rude' });
    await addComment(db(), actor(reporters[0]!), { postId, body: 'Something kind' });
    const { caseId } = await reportContent(db(), actor(reporters[1]!), { postId, commentId: rude, reason: 'abuse' });
    expect(await commentCount(postId)).toBe(2);

    const hidden = await call(postRoute.action as Handler, `/posts/${postId}`, triager, {
      form: { intent: 'hide', commentId: rude, reason: 'Be civil' },
      params: { postId },
    });
    expect(hidden).toMatchObject({ status: 302, location: `/posts/${postId}#comment-${rude}` });
    expect(await commentCount(postId)).toBe(1);
    // The report about it is settled by the same hide.
    const settled = await db().selectFrom('moderation_case').select('resolution').where('id', '=', caseId).executeTakeFirstOrThrow();
    expect(settled.resolution).toBe('hidden');

    const [toOthers] = await listComments(db(), actor(reporters[2]!), postId);
    expect(toOthers).toMatchObject({ state: 'hidden', bodyHtml: null, hiddenReason: null });
    expect(JSON.stringify(toOthers)).not.toContain('rude');
    const [toAuthor] = await listComments(db(), actor(member), postId);
    expect(toAuthor).toMatchObject({ state: 'hidden', hiddenReason: 'Be civil', bodyHtml: '<p>Something rude</p>\n' });
    const [toModerator] = await listComments(db(), moderator(), postId);
    expect(toModerator).toMatchObject({ state: 'hidden', hiddenReason: 'Be civil' });
    const note = await db().selectFrom('notification').select(['user_id', 'kind', 'comment_id', 'data']).where('comment_id', '=', rude).execute();
    expect(note).toEqual([{ user_id: member.id, kind: 'comment_hidden', comment_id: rude, data: { reason: 'Be civil' } }]);

    const restored = await call(postRoute.action as Handler, `/posts/${postId}`, triager, {
      form: { intent: 'restore', commentId: rude, reason: 'Misread it' },
      params: { postId },
    });
    expect(restored.status).toBe(302);
    expect(await commentCount(postId)).toBe(2);
    const [back] = await listComments(db(), null, postId);
    expect(back).toMatchObject({ state: 'visible', bodyHtml: '<p>Something rude</p>\n' });
  });

  it('keeps the comment count to comments everyone can read through hide, delete and restore', async () => {
    const postId = await newPost();
    const { id: first } = await addComment(db(), actor(member), { postId, body: 'One' });
    await addComment(db(), actor(member), { postId, body: 'Two' });
    expect(await commentCount(postId)).toBe(2);
    await hideContent(db(), moderator(), { postId, commentId: first, reason: 'Off topic' });
    expect(await commentCount(postId)).toBe(1);
    // Deleting a hidden comment does not take it out of the count twice...
    await deleteComment(db(), actor(member), { commentId: first });
    expect(await commentCount(postId)).toBe(1);
    // ...and restoring a deleted one does not count it again.
    await restoreContent(db(), moderator(), { postId, commentId: first, reason: 'Fine after all' });
    expect(await commentCount(postId)).toBe(1);
    // A deleted comment cannot be hidden: there is nothing left to show.
    await expectDomainError(hideContent(db(), moderator(), { postId, commentId: first, reason: 'x' }), 'comment_deleted', 409);
    const recount = await db()
      .selectFrom('comment')
      .select((eb) => eb.fn.countAll<string>().as('n'))
      .where('post_id', '=', postId)
      .where('deleted_at', 'is', null)
      .where('hidden_at', 'is', null)
      .executeTakeFirstOrThrow();
    expect(Number(recount.n)).toBe(await commentCount(postId));
  });

  it('lists hidden comments for review beside hidden posts, newest first, paged', async () => {
    const postId = await newPost('Has a hidden comment');
    const { id: commentId } = await addComment(db(), actor(member), { postId, body: 'Hidden words' });
    await hideContent(db(), moderator(), { postId, commentId, reason: 'Identifies a colleague' });
    const hiddenPost = await newPost('Hidden itself');
    await hideContent(db(), moderator(), { postId: hiddenPost, reason: 'Duplicate spam' });

    const first = await listHiddenContent(db(), moderator(), { limit: 1 });
    expect(first.items).toHaveLength(1);
    expect(first.items[0]).toMatchObject({ post: { id: hiddenPost }, comment: null, reason: 'Duplicate spam' });
    const second = await listHiddenContent(db(), moderator(), { limit: 1, after: first.nextCursor! });
    expect(second.items[0]).toMatchObject({ post: { id: postId }, comment: { id: commentId }, excerpt: 'Hidden words' });
    await expectDomainError(listHiddenContent(db(), actor(member)), 'forbidden', 403);
  });
});

describe('editing a post', () => {
  const editForm = (overrides: Record<string, string> = {}) => ({
    intent: 'save',
    title: 'An edited title',
    body: 'An edited body with **bold** text.',
    ...overrides,
  });

  it('previews the Markdown without saving', async () => {
    const postId = await newPost('Before the edit');
    const preview = await call(editRoute.action as Handler, `/posts/${postId}/edit`, author, {
      form: editForm({ intent: 'preview', title: '' }),
      params: { postId },
    });
    expect(preview.status).toBe(200);
    expect(preview.data.previewHtml).toBe('<p>An edited body with <strong>bold</strong> text.</p>\n');
    // A draft is shown as it is: nothing marked as an error yet, and the text is kept.
    expect(preview.data.result.error).toBeUndefined();
    expect(preview.data.result.initialValue).toMatchObject({ body: 'An edited body with **bold** text.' });
    const post = await db().selectFrom('post').select('title').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post.title).toBe('Before the edit');
  });

  it('warns about identifying text and saves only with "Save anyway"', async () => {
    const postId = await newPost('Before the warning');
    const identifying = editForm({ body: 'Ask me at moderation-org.example or ticket INC0012345.' });
    const warned = await call(editRoute.action as Handler, `/posts/${postId}/edit`, author, { form: identifying, params: { postId } });
    expect(warned.status).toBe(400);
    expect(warned.data.warnings).toEqual(expect.arrayContaining(['org', 'ticket']));
    expect(warned.data.result.error['']).toEqual(['posts.edit.confirmNeeded']);
    // The org's name and domains stay on the server; only the kinds found are sent.
    expect(JSON.stringify(warned.data.warnings)).not.toContain('Moderation Org');
    expect((await db().selectFrom('post').select('body').where('id', '=', postId).executeTakeFirstOrThrow()).body).not.toContain('INC0012345');

    const saved = await call(editRoute.action as Handler, `/posts/${postId}/edit`, author, {
      form: { ...identifying, intent: 'save-anyway' },
      params: { postId },
    });
    expect(saved).toMatchObject({ status: 302, location: `/posts/${postId}` });
    expect((await db().selectFrom('post').select('body').where('id', '=', postId).executeTakeFirstOrThrow()).body).toContain('INC0012345');
    expect(en.posts.edit.saveAnyway).toBe('Save anyway');

    // Plain text saves at once.
    const plain = await call(editRoute.action as Handler, `/posts/${postId}/edit`, author, { form: editForm(), params: { postId } });
    expect(plain.status).toBe(302);
  });

  it('cannot edit a hidden post', async () => {
    const postId = await newPost();
    await hideContent(db(), moderator(), { postId, reason: 'Spam' });
    const page = await call(editRoute.loader as Handler, `/posts/${postId}/edit`, author, { params: { postId } });
    expect(page.data.post.editable).toBe(false);
    const refused = await call(editRoute.action as Handler, `/posts/${postId}/edit`, author, { form: editForm(), params: { postId } });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error['']).toEqual(['posts.errors.already_triaged']);
  });
});

describe('search pages', () => {
  it('pages through every match once, in relevance order, even when a post is added between pages', async () => {
    const expected = new Set<string>();
    for (let index = 0; index < 45; index += 1) {
      // Titles that match to different degrees, and many ties of equal relevance.
      const title = index % 3 === 0 ? `Xylograph batch ${index}` : `Batch ${index} about the xylograph export`;
      expected.add(await newPost(title, `Body ${index}`));
    }
    const seen: string[] = [];
    let after: string | null = null;
    let pages = 0;
    do {
      const path: string = `/search?q=xylograph${after ? `&after=${encodeURIComponent(after)}` : ''}`;
      const page = await call(searchRoute.loader as Handler, path, null);
      expect(page.status).toBe(200);
      expect(page.data.results.length).toBeLessThanOrEqual(20);
      seen.push(...page.data.results.map((result: { id: string }) => result.id));
      after = page.data.nextCursor;
      pages += 1;
      if (pages === 1) await newPost('Xylograph added meanwhile');
    } while (after && pages < 10);
    expect(pages).toBe(3);
    expect(seen.length).toBe(new Set(seen).size);
    for (const id of expected) expect(seen).toContain(id);

    // The same pages through the domain, in order: relevance never rises.
    const first = await searchPosts(db(), null, { query: 'xylograph', limit: 10 });
    const second = await searchPosts(db(), null, { query: 'xylograph', limit: 10, after: first.nextCursor! });
    expect(second.results.map((result) => result.id)).not.toEqual(expect.arrayContaining([first.results[0]!.id]));
    // A tampered cursor starts from the top.
    const tampered = await call(searchRoute.loader as Handler, '/search?q=xylograph&after=WyJ4Il0', null);
    expect(tampered.status).toBe(200);
    expect(tampered.data.results.length).toBe(20);
  });
});
