// Triage: the status workflow (every pair of statuses), the optimistic check,
// the post panel and the inbox with its bulk actions, the public timeline, and
// the SLA job with its daily digest. Against a real database; loaders and
// actions are called directly with a Request.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DomainError } from '../app/domain/errors.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { createTag } from '../app/domain/tags/create-tag.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { bulkTriage } from '../app/domain/triage/bulk-triage.server.js';
import { getTriagePanel } from '../app/domain/triage/get-triage-panel.server.js';
import { listStatusTimeline } from '../app/domain/triage/list-status-timeline.server.js';
import { listTriageInbox, type TriageInboxRow } from '../app/domain/triage/list-triage-inbox.server.js';
import { runTriageSla } from '../app/domain/triage/run-triage-sla.server.js';
import { canTransition } from '../app/domain/triage/transitions.js';
import { TriageRefusal } from '../app/domain/triage/triage-refusal.js';
import { triagePost, type TriagePostInput } from '../app/domain/triage/triage-post.server.js';
import en from '../app/locales/en.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import * as triageActionRoute from '../app/routes/posts.$postId_.triage.js';
import * as inboxRoute from '../app/routes/triage._index.js';
import { getT, translateMessage } from '../app/utils/i18n.js';
import type { Mailer } from '../app/utils/mail.server.js';
import { type CreatedUser, createPostRow, createProductArea } from '../db/factories.js';
import { POST_STATUSES, type PostStatus, type Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Person {
  user: CreatedUser;
  roles: Role[];
}

let app: TestApp;
let orgId: string;
let areaId: string;
let otherAreaId: string;
let triager: Person;
let productAdmin: Person;
let member: Person;
const cookies = new Map<string, string>();

const db = () => app.services.db;
const actor = (person: Person) => ({ id: person.user.id, orgId: null, roles: person.roles });
const t = getT('en');

beforeAll(async () => {
  app = await createTestApp();
  orgId = await makeOrg(app, { name: 'Triage Test Org', valueTier: 'major' });
  areaId = await createProductArea(db(), { slug: 'triage-area', nameEn: 'Alarms', nameZh: '告警' });
  otherAreaId = await createProductArea(db(), { slug: 'triage-other', nameEn: 'Billing', nameZh: '计费' });
  triager = await staff(['triager'], 'Tao (Product)');
  productAdmin = await staff(['product_admin'], 'Priya (Product lead)');
  member = { user: await makeUser(app, { orgId, name: 'Memberina Realname' }), roles: [] };
}, 60_000);
afterAll(async () => {
  await app?.close();
});

async function staff(roles: Role[], displayName: string | null = null): Promise<Person> {
  const user = await makeUser(app, { roles });
  if (displayName) await db().updateTable('app_user').set({ staff_display_name: displayName }).where('id', '=', user.id).execute();
  return { user, roles };
}

function newPost(input: { title?: string; status?: PostStatus; createdAt?: Date; area?: string; type?: 'complaint' | 'request' } = {}) {
  return createPostRow(db(), {
    authorId: member.user.id,
    productAreaId: input.area ?? areaId,
    title: input.title ?? `Post ${Math.random().toString(36).slice(2, 8)}`,
    status: input.status,
    createdAt: input.createdAt,
    type: input.type,
  });
}

async function postRow(postId: string) {
  return db()
    .selectFrom('post')
    .select(['status', 'version', 'product_area_id', 'assignee_id', 'triaged_at', 'sla_flagged_at'])
    .where('id', '=', postId)
    .executeTakeFirstOrThrow();
}

/** What a triage change leaves behind for one post: timeline rows, audit rows, outbox events. */
async function traces(postId: string) {
  const [timeline, audit, outbox] = await Promise.all([
    db().selectFrom('post_status_change').selectAll().where('post_id', '=', postId).orderBy('created_at').execute(),
    db().selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('subject_id', '=', postId).orderBy('id').execute(),
    db()
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where(sql<boolean>`payload->>'postId' = ${postId}`)
      .execute(),
  ]);
  return { timeline, audit, outbox };
}

/** The panel as its form would send it, unchanged unless overridden. */
async function panelInput(postId: string, overrides: Partial<TriagePostInput> = {}): Promise<TriagePostInput> {
  const panel = await getTriagePanel(db(), actor(triager), postId, 'en');
  return {
    postId,
    expectedVersion: panel.version,
    productAreaId: panel.productAreaId,
    tagIds: panel.tagIds,
    assigneeId: panel.assigneeId,
    status: panel.status,
    ...overrides,
  };
}

async function expectDomainError(run: Promise<unknown>, code: string, status?: number): Promise<DomainError> {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject(status === undefined ? { code } : { code, status });
  return error as DomainError;
}

async function cookieOf(person: Person | null): Promise<string | undefined> {
  if (!person) return undefined;
  let cookie = cookies.get(person.user.id);
  if (!cookie) {
    cookie = await sessionCookieFor(app, person.user.id);
    cookies.set(person.user.id, cookie);
  }
  return cookie;
}

async function call(
  handler: Handler,
  path: string,
  as: Person | null,
  init: { form?: Record<string, string | string[]>; params?: Record<string, string> } = {},
): Promise<{ status: number; location?: string | null; data?: any }> {
  const request = makeRequest(path, { form: init.form, cookie: await cookieOf(as), method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: init.params ?? {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** The triage panel form of a post, as the browser sends it. */
async function panelForm(postId: string, overrides: Record<string, string | string[]> = {}) {
  const panel = await getTriagePanel(db(), actor(triager), postId, 'en');
  return {
    version: String(panel.version),
    productAreaId: panel.productAreaId,
    tagIds: panel.tagIds,
    status: panel.status,
    assigneeId: panel.assigneeId ?? '',
    ...overrides,
  };
}

function submitPanel(postId: string, form: Record<string, string | string[]>, as: Person = triager) {
  return call(triageActionRoute.action as Handler, `/posts/${postId}/triage`, as, { form, params: { postId } });
}

const messageOf = (outcome: { data?: any }) => {
  const errors = Object.values(outcome.data.result.error as Record<string, string[]>).flat();
  return errors.map((error) => translateMessage(t, error)).join(' ');
};

describe('the status workflow, for every pair of statuses', () => {
  const pairs = POST_STATUSES.flatMap((from) => POST_STATUSES.filter((to) => to !== from).map((to) => [from, to] as const));

  it.each(pairs)('%s → %s', async (from, to) => {
    const postId = await newPost({ status: from });
    const before = await postRow(postId);
    const input = await panelInput(postId, { status: to, note: to === 'declined' ? 'Out of scope for this product.' : undefined });

    if (canTransition(from, to)) {
      const result = await triagePost(db(), actor(triager), input);
      expect(result).toEqual({ changed: true, version: before.version + 1 });
      const after = await postRow(postId);
      expect(after.status).toBe(to);
      expect(after.triaged_at).not.toBeNull();
      const { timeline, audit, outbox } = await traces(postId);
      expect(timeline).toHaveLength(1);
      expect(timeline[0]).toMatchObject({ from_status: from, to_status: to, actor_id: triager.user.id });
      expect(audit.filter((row) => row.action === 'post.status_change')).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actor_id: triager.user.id, before: { status: from }, after: { status: to } });
      expect(outbox).toEqual([{ topic: 'post.status_changed', payload: { postId, changeId: timeline[0]!.id } }]);
      return;
    }

    // Merged is left only by undoing the merge; every other refusal names the move.
    const error = await expectDomainError(
      triagePost(db(), actor(triager), input),
      from === 'merged' ? 'post_merged' : 'transition_not_allowed',
      409,
    );
    expect(error).toBeInstanceOf(TriageRefusal);
    expect((error as TriageRefusal).move).toEqual({ from, to });
    expect(await postRow(postId)).toEqual(before);
    expect(await traces(postId)).toEqual({ timeline: [], audit: [], outbox: [] });

    // The same refusal through the page's action: a 409 with a message naming both statuses.
    const outcome = await submitPanel(postId, await panelForm(postId, { status: to, note: 'A note' }));
    expect(outcome.status).toBe(409);
    const expected =
      from === 'merged'
        ? en.triage.errors.post_merged
        : `A post cannot move from “${t(`posts.statuses.${from}`)}” to “${t(`posts.statuses.${to}`)}”.`;
    expect(messageOf(outcome)).toBe(expected);
    expect(await postRow(postId)).toEqual(before);
  });

  it('changes nothing when the status stays the same', async () => {
    const postId = await newPost({ status: 'planned' });
    const before = await postRow(postId);
    expect(await triagePost(db(), actor(triager), await panelInput(postId))).toEqual({ changed: false, version: before.version });
    expect(await postRow(postId)).toEqual(before);
    expect(await traces(postId)).toEqual({ timeline: [], audit: [], outbox: [] });
  });

  it('refuses to decline without a public note, on the note field, and writes nothing', async () => {
    const postId = await newPost();
    const before = await postRow(postId);
    const error = await expectDomainError(
      triagePost(db(), actor(triager), await panelInput(postId, { status: 'declined', note: '   ' })),
      'note_required',
    );
    expect(error.field).toBe('note');
    const outcome = await submitPanel(postId, await panelForm(postId, { status: 'declined' }));
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error.note).toEqual(['triage.errors.note_required']);
    expect(await postRow(postId)).toEqual(before);
    expect(await traces(postId)).toEqual({ timeline: [], audit: [], outbox: [] });
  });

  it('refuses a note without a status change instead of dropping it', async () => {
    const postId = await newPost();
    await expectDomainError(triagePost(db(), actor(triager), await panelInput(postId, { note: 'Thanks!' })), 'note_without_status');
  });

  it('offers only the allowed moves, and none on a merged post', async () => {
    const open = await getTriagePanel(db(), actor(triager), await newPost(), 'en');
    expect(open.allowedStatuses).toEqual(['under_review', 'planned', 'in_progress', 'shipped', 'declined']);
    const merged = await getTriagePanel(db(), actor(triager), await newPost({ status: 'merged' }), 'en');
    expect(merged.allowedStatuses).toEqual([]);
  });

  it('is for triagers and product admins only', async () => {
    const postId = await newPost();
    for (const someone of [member, await staff(['admin']), await staff(['finance_admin'])]) {
      await expectDomainError(triagePost(db(), actor(someone), await panelInput(postId, { status: 'planned' })), 'forbidden', 403);
    }
    const byProductAdmin = await triagePost(db(), actor(productAdmin), await panelInput(postId, { status: 'planned' }));
    expect(byProductAdmin.changed).toBe(true);
  });
});

describe('the optimistic check', () => {
  it('refuses an edit made from a version that has changed since, and writes nothing', async () => {
    const postId = await newPost();
    const stale = await panelInput(postId);
    await triagePost(db(), actor(productAdmin), { ...stale, productAreaId: otherAreaId });
    const before = await postRow(postId);
    const auditBefore = (await traces(postId)).audit.length;

    const error = await expectDomainError(
      triagePost(db(), actor(triager), { ...stale, status: 'planned', assigneeId: triager.user.id }),
      'changed_meanwhile',
      409,
    );
    expect(error.field).toBeUndefined();
    expect(await postRow(postId)).toEqual(before);
    expect((await traces(postId)).audit).toHaveLength(auditBefore);

    // Through the page: a 409 saying "changed meanwhile, reload", with a reload link.
    const outcome = await submitPanel(postId, { ...(await panelForm(postId)), version: String(stale.expectedVersion), status: 'planned' });
    expect(outcome.status).toBe(409);
    expect(outcome.data.conflict).toBe(true);
    expect(messageOf(outcome)).toBe('This post was changed meanwhile — reload to see the changes.');
    expect(await postRow(postId)).toEqual(before);
  });

  it('lets exactly one of two concurrent edits from the same version win', async () => {
    const postId = await newPost();
    const form = await panelForm(postId);
    const outcomes = await Promise.all([
      submitPanel(postId, { ...form, status: 'planned' }, triager),
      submitPanel(postId, { ...form, productAreaId: otherAreaId, assigneeId: productAdmin.user.id }, productAdmin),
    ]);
    const statuses = outcomes.map((outcome) => outcome.status).sort();
    expect(statuses).toEqual([302, 409]);
    const after = await postRow(postId);
    expect(after.version).toBe(Number(form.version) + 1);
    const winner = outcomes[0]!.status === 302 ? 'status' : 'area';
    if (winner === 'status') {
      expect(after).toMatchObject({ status: 'planned', product_area_id: areaId, assignee_id: null });
    } else {
      expect(after).toMatchObject({ status: 'open', product_area_id: otherAreaId, assignee_id: productAdmin.user.id });
    }
    const { audit, timeline } = await traces(postId);
    expect(audit.map((row) => row.action).sort()).toEqual(winner === 'status' ? ['post.status_change'] : ['post.area_change', 'post.assign']);
    expect(timeline).toHaveLength(winner === 'status' ? 1 : 0);
  });
});

describe('the triage panel', () => {
  it('sets area, tags and assignee with one audit row each, one version bump, and takes the post out of the inbox', async () => {
    const postId = await newPost();
    const { tagId: logs } = await createTag(db(), actor(productAdmin), { slug: 'panel-logs', nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber' });
    const { tagId: ux } = await createTag(db(), actor(productAdmin), { slug: 'panel-ux', nameEn: 'UX', nameZh: '体验', color: 'blue' });
    const before = await postRow(postId);

    const outcome = await submitPanel(postId, await panelForm(postId, { productAreaId: otherAreaId, tagIds: [logs, ux], assigneeId: triager.user.id }));
    expect(outcome).toMatchObject({ status: 302, location: `/posts/${postId}` });
    const after = await postRow(postId);
    expect(after).toMatchObject({ product_area_id: otherAreaId, assignee_id: triager.user.id, version: before.version + 1 });
    expect(after.triaged_at).not.toBeNull();
    const { audit, timeline, outbox } = await traces(postId);
    expect(audit.map((row) => [row.action, row.before, row.after])).toEqual([
      ['post.area_change', { productAreaId: areaId }, { productAreaId: otherAreaId }],
      ['post.tags_change', { tagIds: [] }, { tagIds: [logs, ux].sort() }],
      ['post.assign', { assigneeId: null }, { assigneeId: triager.user.id }],
    ]);
    expect(audit.every((row) => row.actor_id === triager.user.id)).toBe(true);
    expect(timeline).toEqual([]);
    expect(outbox).toEqual([]);

    // Removing a tag is a change of its own.
    await triagePost(db(), actor(triager), await panelInput(postId, { tagIds: [ux] }));
    const last = (await traces(postId)).audit.at(-1)!;
    expect([last.action, last.before, last.after]).toEqual(['post.tags_change', { tagIds: [logs, ux].sort() }, { tagIds: [ux] }]);
  });

  it('keeps a post in the inbox when it is only assigned, and takes it out when marked triaged', async () => {
    const postId = await newPost();
    await triagePost(db(), actor(triager), await panelInput(postId, { assigneeId: productAdmin.user.id }));
    expect((await postRow(postId)).triaged_at).toBeNull();
    const mine = await listTriageInbox(db(), actor(productAdmin), { assignee: 'mine', limit: 100 });
    expect(mine.posts.map((row) => row.id)).toContain(postId);

    await triagePost(db(), actor(productAdmin), await panelInput(postId, { markTriaged: true }));
    expect((await postRow(postId)).triaged_at).not.toBeNull();
    expect((await traces(postId)).audit.map((row) => row.action)).toEqual(['post.assign', 'post.mark_triaged']);
  });

  it('refuses an archived area, an unknown tag and someone who cannot triage, on their fields', async () => {
    const postId = await newPost();
    const archived = await createProductArea(db(), { slug: 'triage-archived', nameEn: 'Old', nameZh: '旧' });
    await db().updateTable('product_area').set({ archived_at: new Date() }).where('id', '=', archived).execute();
    const cases: Array<[Partial<TriagePostInput>, string, string]> = [
      [{ productAreaId: archived }, 'unknown_area', 'productAreaId'],
      [{ tagIds: ['nosuchtag'] }, 'unknown_tag', 'tagIds'],
      [{ assigneeId: member.user.id }, 'unknown_assignee', 'assigneeId'],
    ];
    for (const [overrides, code, field] of cases) {
      const error = await expectDomainError(triagePost(db(), actor(triager), await panelInput(postId, overrides)), code);
      expect(error.field).toBe(field);
    }
    const outcome = await submitPanel(postId, await panelForm(postId, { assigneeId: member.user.id }));
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error.assigneeId).toEqual(['triage.errors.unknown_assignee']);
    expect(await traces(postId)).toEqual({ timeline: [], audit: [], outbox: [] });
  });

  it('answers a malformed form with 400 and an unknown post with 404', async () => {
    const postId = await newPost();
    const malformed = await submitPanel(postId, { version: 'abc', productAreaId: '', status: 'sideways' });
    expect(malformed.status).toBe(400);
    const missing = await call(triageActionRoute.action as Handler, '/posts/nosuchpost/triage', triager, {
      form: await panelForm(postId),
      params: { postId: 'nosuchpost' },
    });
    expect(missing.status).toBe(404);
  });
});

describe('the status timeline', () => {
  it('lists every change oldest first, by staff display name or "Candor", never a member’s name', async () => {
    const postId = await newPost();
    const anonymousStaff = await staff(['triager']);
    await triagePost(db(), actor(triager), await panelInput(postId, { status: 'under_review', note: 'Reproduced in our lab.' }));
    await triagePost(db(), actor(anonymousStaff), await panelInput(postId, { status: 'planned' }));
    // A change with no person behind it, as when a job ships a roadmap item.
    await db().transaction().execute((trx) => applyStatusChanges(trx, null, [{ postId, to: 'shipped' }]));

    const entries = await listStatusTimeline(db(), postId);
    expect(entries.map((entry) => [entry.from, entry.to, entry.by, entry.note])).toEqual([
      ['open', 'under_review', { kind: 'staff', name: 'Tao (Product)' }, 'Reproduced in our lab.'],
      ['under_review', 'planned', { kind: 'staff', name: null }, null],
      ['planned', 'shipped', { kind: 'system' }, null],
    ]);
    expect(entries.every((entry) => !Number.isNaN(Date.parse(entry.at)))).toBe(true);

    // On the post page, for everyone, with no real name and no panel for non-staff.
    const anonymous = await call(postRoute.loader as Handler, `/posts/${postId}`, null, { params: { postId } });
    expect(anonymous.status).toBe(200);
    expect(anonymous.data.timeline).toHaveLength(3);
    expect(anonymous.data.triage).toBeNull();
    const json = JSON.stringify(anonymous.data);
    expect(json).not.toContain('Memberina Realname');
    expect(json).not.toContain(triager.user.email);
    expect(json).not.toContain(triager.user.id);
    const asTriager = await call(postRoute.loader as Handler, `/posts/${postId}`, triager, { params: { postId } });
    expect(asTriager.data.triage).toMatchObject({ postId, status: 'shipped', allowedStatuses: ['in_progress'] });
  });
});

describe('the triage inbox', () => {
  let inboxArea: string;
  beforeAll(async () => {
    inboxArea = await createProductArea(db(), { slug: 'inbox-area', nameEn: 'Inbox area', nameZh: '收件箱' });
  });

  async function allPages(as: Person, input: Parameters<typeof listTriageInbox>[2] = {}): Promise<TriageInboxRow[]> {
    const rows: TriageInboxRow[] = [];
    let after: string | undefined;
    for (let page = 0; page < 100; page += 1) {
      const result = await listTriageInbox(db(), actor(as), { productAreaId: inboxArea, limit: 2, ...input, after });
      rows.push(...result.posts);
      if (!result.nextCursor) return rows;
      after = result.nextCursor;
    }
    throw new Error('did not end');
  }

  it('lists untriaged open posts oldest first, page by page, each once, with filters and the SLA', async () => {
    const hour = 3_600_000;
    const now = Date.now();
    // Same moment for two posts: ties are broken by id.
    const tie = new Date(now - 10 * hour);
    const oldest = await newPost({ area: inboxArea, createdAt: new Date(now - 60 * hour), type: 'complaint', title: 'Oldest' });
    const tied = [await newPost({ area: inboxArea, createdAt: tie }), await newPost({ area: inboxArea, createdAt: tie })].sort();
    const newest = await newPost({ area: inboxArea, createdAt: new Date(now - hour) });
    const triaged = await newPost({ area: inboxArea, createdAt: new Date(now - 5 * hour), status: 'planned' });
    const hidden = await newPost({ area: inboxArea, createdAt: new Date(now - 5 * hour) });
    await db().updateTable('post').set({ hidden_at: new Date() }).where('id', '=', hidden).execute();
    await triagePost(db(), actor(triager), await panelInput(newest, { assigneeId: triager.user.id }));

    const rows = await allPages(triager);
    expect(rows.map((row) => row.id)).toEqual([oldest, ...tied, newest]);
    expect(rows.map((row) => row.id)).not.toContain(triaged);
    expect(rows[0]).toMatchObject({ title: 'Oldest', type: 'complaint', areaName: 'Inbox area', overdue: true, assignee: null });
    expect(rows[0]!.ageHours).toBeGreaterThanOrEqual(59);
    expect(rows[1]!.overdue).toBe(false);
    expect(rows[3]!.assignee).toEqual({ id: triager.user.id, name: 'Tao (Product)' });

    expect((await allPages(triager, { type: 'complaint' })).map((row) => row.id)).toEqual([oldest]);
    expect((await allPages(triager, { assignee: 'mine' })).map((row) => row.id)).toEqual([newest]);
    expect((await allPages(productAdmin, { assignee: 'mine' })).map((row) => row.id)).toEqual([]);
    expect((await allPages(triager, { assignee: 'unassigned' })).map((row) => row.id)).toEqual([oldest, ...tied]);

    // The SLA comes from settings.
    await updateSettings(db(), productAdmin.user.id, { triageSlaHours: 5 });
    try {
      expect((await allPages(triager)).map((row) => row.overdue)).toEqual([true, true, true, false]);
    } finally {
      await updateSettings(db(), productAdmin.user.id, { triageSlaHours: 48 });
    }

    const page = await call(inboxRoute.loader as Handler, `/triage?area=${inboxArea}&assignee=bogus&after=garbage`, triager);
    expect(page.status).toBe(200);
    expect(page.data.posts.map((row: TriageInboxRow) => row.id)).toEqual([oldest, ...tied, newest]);
    expect(JSON.stringify(page.data)).not.toContain('Memberina Realname');
  });

  it('is for triagers and product admins only', async () => {
    await expectDomainError(listTriageInbox(db(), actor(member)), 'forbidden', 403);
    expect((await call(inboxRoute.loader as Handler, '/triage', member)).status).toBe(403);
  });

  describe('bulk actions', () => {
    async function selection(...postIds: string[]) {
      const rows = await db().selectFrom('post').select(['id', 'version']).where('id', 'in', postIds).execute();
      return postIds.map((id) => `${id}:${rows.find((row) => row.id === id)!.version}`);
    }
    const bulk = (form: Record<string, string | string[]>, as: Person = triager) =>
      call(inboxRoute.action as Handler, '/triage?index&assignee=unassigned', as, { form });

    it('sets the status of every selected post through one status change, each with its timeline, audit and outbox rows', async () => {
      const posts = [await newPost({ area: inboxArea }), await newPost({ area: inboxArea }), await newPost({ area: inboxArea })];
      const outcome = await bulk({ intent: 'set-status', post: await selection(...posts), status: 'under_review', note: 'Looking at these.' });
      expect(outcome).toMatchObject({ status: 302, location: '/triage?assignee=unassigned' });
      for (const postId of posts) {
        expect((await postRow(postId)).status).toBe('under_review');
        const { timeline, audit, outbox } = await traces(postId);
        expect(timeline.map((row) => [row.to_status, row.note, row.actor_id])).toEqual([['under_review', 'Looking at these.', triager.user.id]]);
        expect(audit.map((row) => row.action)).toEqual(['post.status_change']);
        expect(outbox).toHaveLength(1);
      }
    });

    it('changes none of the selection when one post blocks, and names that post', async () => {
      const fine = [await newPost({ area: inboxArea }), await newPost({ area: inboxArea })];
      const blocking = await newPost({ area: inboxArea, title: 'Already shipped thing', status: 'shipped' });
      const before = await Promise.all([...fine, blocking].map(postRow));

      const error = await expectDomainError(
        bulkTriage(db(), actor(triager), {
          posts: [...fine, blocking].map((postId, index) => ({ postId, expectedVersion: before[index]!.version })),
          action: { kind: 'status', status: 'under_review' },
        }),
        'transition_not_allowed',
        409,
      );
      expect((error as TriageRefusal).post).toEqual({ id: blocking, title: 'Already shipped thing' });

      const outcome = await bulk({ intent: 'set-status', post: await selection(...fine, blocking), status: 'under_review' });
      expect(outcome.status).toBe(409);
      expect(messageOf(outcome)).toBe('“Already shipped thing” cannot move from “Shipped” to “Under review”, so nothing was changed.');
      expect(outcome.data.selected).toEqual(await selection(...fine, blocking));
      expect(await Promise.all([...fine, blocking].map(postRow))).toEqual(before);
      for (const postId of [...fine, blocking]) expect(await traces(postId)).toEqual({ timeline: [], audit: [], outbox: [] });
    });

    it('refuses a selection with a post changed meanwhile, naming it', async () => {
      const posts = [await newPost({ area: inboxArea }), await newPost({ area: inboxArea, title: 'Moved on' })];
      const stale = await selection(...posts);
      await triagePost(db(), actor(productAdmin), await panelInput(posts[1]!, { assigneeId: productAdmin.user.id }));
      const outcome = await bulk({ intent: 'set-area', post: stale, productAreaId: otherAreaId });
      expect(outcome.status).toBe(409);
      expect(messageOf(outcome)).toBe('“Moved on” was changed meanwhile, so nothing was changed — reload to see the changes.');
      expect((await postRow(posts[0]!)).product_area_id).toBe(inboxArea);
    });

    it('declining a selection needs a note', async () => {
      const posts = [await newPost({ area: inboxArea })];
      const outcome = await bulk({ intent: 'set-status', post: await selection(...posts), status: 'declined', note: '' });
      expect(outcome.status).toBe(400);
      expect(messageOf(outcome)).toBe(en.triage.errors.note_required);
      expect((await postRow(posts[0]!)).status).toBe('open');
    });

    it('sets the area, adds a tag and assigns, each post audited', async () => {
      const posts = [await newPost({ area: inboxArea }), await newPost({ area: inboxArea })];
      const { tagId } = await createTag(db(), actor(productAdmin), { slug: 'bulk-tag', nameEn: 'Bulk', nameZh: '批量', color: 'green' });

      expect((await bulk({ intent: 'assign', post: await selection(...posts), assignee: 'me' })).status).toBe(302);
      for (const postId of posts) {
        // Assigning routes the work: the posts stay in the inbox for their assignee.
        expect(await postRow(postId)).toMatchObject({ assignee_id: triager.user.id, triaged_at: null });
      }
      expect((await bulk({ intent: 'assign', post: await selection(...posts), assignee: productAdmin.user.id })).status).toBe(302);
      expect((await bulk({ intent: 'add-tag', post: await selection(...posts), tagId })).status).toBe(302);
      expect((await bulk({ intent: 'set-area', post: await selection(...posts), productAreaId: otherAreaId })).status).toBe(302);
      for (const postId of posts) {
        const row = await postRow(postId);
        expect(row).toMatchObject({ product_area_id: otherAreaId, assignee_id: productAdmin.user.id });
        expect(row.triaged_at).not.toBeNull();
        const { audit } = await traces(postId);
        expect(audit.map((entry) => [entry.action, entry.after])).toEqual([
          ['post.assign', { assigneeId: triager.user.id }],
          ['post.assign', { assigneeId: productAdmin.user.id }],
          ['post.tag_add', { tagId }],
          ['post.area_change', { productAreaId: otherAreaId }],
        ]);
        const tags = await db().selectFrom('post_tag').select('tag_id').where('post_id', '=', postId).execute();
        expect(tags).toEqual([{ tag_id: tagId }]);
      }
      // Unassigning is a choice too.
      expect((await bulk({ intent: 'assign', post: await selection(...posts), assignee: 'none' })).status).toBe(302);
      expect((await postRow(posts[0]!)).assignee_id).toBeNull();
    });

    it('asks for a selection, and refuses someone who cannot triage as an assignee', async () => {
      const none = await bulk({ intent: 'set-area', productAreaId: otherAreaId });
      expect(none.status).toBe(400);
      expect(messageOf(none)).toBe(en.triage.errors.no_selection);
      const postId = await newPost({ area: inboxArea });
      const wrong = await bulk({ intent: 'assign', post: await selection(postId), assignee: member.user.id });
      expect(wrong.status).toBe(400);
      expect(messageOf(wrong)).toBe(en.triage.errors.unknown_assignee);
      expect((await bulk({ intent: 'set-area', post: await selection(postId), productAreaId: otherAreaId }, member)).status).toBe(403);
    });
  });
});

describe('the triage SLA job', () => {
  const hour = 3_600_000;
  let slaArea: string;
  beforeAll(async () => {
    slaArea = await createProductArea(db(), { slug: 'sla-area', nameEn: 'SLA', nameZh: '时限' });
  });

  function mailsTo(email: string) {
    return db().selectFrom('dev_mail').select(['subject', 'text_body']).where('to_address', '=', email.toLowerCase()).execute();
  }

  it('flags overdue posts once, and sends each triager one digest a day of theirs and the unassigned, even from two runs at once', async () => {
    const first = await staff(['triager']);
    const second = await staff(['product_admin']);
    await db().updateTable('app_user').set({ locale: 'zh-CN' }).where('id', '=', second.user.id).execute();
    const unassigned = await newPost({ area: slaArea, title: 'Waiting for anyone', createdAt: new Date(Date.now() - 72 * hour) });
    const firstOwn = await newPost({ area: slaArea, title: 'Waiting for the first', createdAt: new Date(Date.now() - 50 * hour) });
    const fresh = await newPost({ area: slaArea, title: 'Just posted', createdAt: new Date(Date.now() - hour) });
    await triagePost(db(), actor(first), await panelInput(firstOwn, { assigneeId: first.user.id }));

    const runs = await Promise.all([
      runTriageSla(db(), app.services.vaultKeys, app.services.mailer, TEST_PUBLIC_URL),
      runTriageSla(db(), app.services.vaultKeys, app.services.mailer, TEST_PUBLIC_URL),
    ]);
    expect(runs.reduce((sum, run) => sum + run.flagged, 0)).toBeGreaterThanOrEqual(2);
    expect((await postRow(unassigned)).sla_flagged_at).not.toBeNull();
    expect((await postRow(firstOwn)).sla_flagged_at).not.toBeNull();
    expect((await postRow(fresh)).sla_flagged_at).toBeNull();

    const firstMails = await mailsTo(first.user.email);
    expect(firstMails).toHaveLength(1);
    expect(firstMails[0]!.subject).toBe('Your daily summary');
    expect(firstMails[0]!.text_body).toContain('Waiting for anyone');
    expect(firstMails[0]!.text_body).toContain('Waiting for the first');
    expect(firstMails[0]!.text_body).toContain(`${TEST_PUBLIC_URL}/posts/${firstOwn}`);
    expect(firstMails[0]!.text_body).toContain(`${TEST_PUBLIC_URL}/triage`);
    expect(firstMails[0]!.text_body).not.toContain('Just posted');
    expect(firstMails[0]!.text_body).not.toContain('Memberina Realname');

    // Someone else's assigned post is not in the second person's digest, written in their language.
    const secondMails = await mailsTo(second.user.email);
    expect(secondMails).toHaveLength(1);
    expect(secondMails[0]!.subject).toBe('您的每日摘要');
    expect(secondMails[0]!.text_body).toContain('Waiting for anyone');
    expect(secondMails[0]!.text_body).not.toContain('Waiting for the first');

    const digests = await db().selectFrom('triage_digest').select(['user_id', 'post_count']).where('user_id', 'in', [first.user.id, second.user.id]).execute();
    expect(digests).toHaveLength(2);
    const reads = await db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'vault.read')
      .where('subject_id', '=', first.user.id)
      .execute();
    expect(reads.map((row) => (row.after as { purpose: string }).purpose)).toEqual(['send-mail']);

    // Later the same day: nothing flagged twice, no second digest.
    const again = await runTriageSla(db(), app.services.vaultKeys, app.services.mailer, TEST_PUBLIC_URL);
    expect(again.flagged).toBe(0);
    expect(await mailsTo(first.user.email)).toHaveLength(1);

    // Triage takes a post off the list and clears its flag.
    await triagePost(db(), actor(first), await panelInput(unassigned, { status: 'under_review' }));
    expect((await postRow(unassigned)).sla_flagged_at).toBeNull();
  });

  it('names the count in the subject when neutral subjects are off', async () => {
    const someone = await staff(['triager']);
    await newPost({ area: slaArea, createdAt: new Date(Date.now() - 100 * hour) });
    await updateSettings(db(), productAdmin.user.id, { mailSubjectsNeutral: false });
    try {
      await runTriageSla(db(), app.services.vaultKeys, app.services.mailer, TEST_PUBLIC_URL);
    } finally {
      await updateSettings(db(), productAdmin.user.id, { mailSubjectsNeutral: true });
    }
    const [mail] = await mailsTo(someone.user.email);
    expect(mail!.subject).toMatch(/^Triage: \d+ posts? (is|are) past the SLA$/);
  });

  it('gives the day back when a digest cannot be sent, so the next run sends it', async () => {
    const someone = await staff(['triager']);
    await newPost({ area: slaArea, createdAt: new Date(Date.now() - 100 * hour) });
    const failing: Mailer = {
      ...app.services.mailer,
      send: async () => {
        throw new Error('smtp down');
      },
    };
    await expect(runTriageSla(db(), app.services.vaultKeys, failing, TEST_PUBLIC_URL)).rejects.toThrow(/could not be sent/);
    const claims = await db().selectFrom('triage_digest').select('user_id').where('user_id', '=', someone.user.id).execute();
    expect(claims).toEqual([]);
    await runTriageSla(db(), app.services.vaultKeys, app.services.mailer, TEST_PUBLIC_URL);
    expect(await mailsTo(someone.user.email)).toHaveLength(1);
  });
});
