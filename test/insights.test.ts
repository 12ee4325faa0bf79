import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { createElement, type ReactElement } from 'react';
import { renderToString } from 'react-dom/server';
import { I18nextProvider } from 'react-i18next';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BarChart } from '../app/components/charts/bar-chart.js';
import { ColumnChart } from '../app/components/charts/column-chart.js';
import { LineChart } from '../app/components/charts/line-chart.js';
import { DomainError } from '../app/domain/errors.js';
import { csvCell, toCsv } from '../app/utils/csv.js';
import { getInsightsDashboard, weekStarts } from '../app/domain/insights/get-insights-dashboard.server.js';
import { exportPriority, listPriority, type ListPriorityInput } from '../app/domain/insights/list-priority.server.js';
import { breakdownByOrg, groupOrgs, orgIdsForFilter, type OrgPopulation } from '../app/domain/insights/org-breakdown.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import en from '../app/locales/en.js';
import zhCN from '../app/locales/zh-CN.js';
import * as dashboardRoute from '../app/routes/insights._index.js';
import * as csvRoute from '../app/routes/insights.priority[.]csv.js';
import * as priorityRoute from '../app/routes/insights.priority.js';
import { randomId } from '../app/utils/crypto.server.js';
import { getI18n } from '../app/utils/i18n.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { PostStatus, PostType, Role, ValueTier } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

const DAY = 86_400_000;
const HOUR = 3_600_000;

interface Customer {
  orgId: string;
  name: string;
  members: CreatedUser[];
}

async function makeCustomer(on: TestApp, name: string, valueTier: ValueTier, activeMembers: number): Promise<Customer> {
  const orgId = await makeOrg(on, { name, valueTier });
  const members: CreatedUser[] = [];
  for (let index = 0; index < activeMembers; index += 1) members.push(await makeUser(on, { orgId }));
  return { orgId, name, members };
}

async function voteAs(on: TestApp, postId: string, voters: CreatedUser[]) {
  for (const voter of voters) {
    const { org_id: orgId } = await on.services.db.selectFrom('app_user').select('org_id').where('id', '=', voter.id).executeTakeFirstOrThrow();
    await toggleVote(on.services.db, { id: voter.id, orgId, roles: [] }, { postId });
  }
}

const asActor = (user: CreatedUser, roles: Role[] = []) => ({ id: user.id, orgId: null, roles });

/** A staff account that reads the portal in Chinese. */
async function makeChineseStaff(on: TestApp, roles: Role[]): Promise<CreatedUser> {
  const user = await makeUser(on, { roles });
  await on.services.db.updateTable('app_user').set({ locale: 'zh-CN' }).where('id', '=', user.id).execute();
  return user;
}

/** Runs a loader as `user` and returns its status and data (or the Response it gave). */
async function callLoader(
  on: TestApp,
  handler: Handler,
  path: string,
  user: CreatedUser | null,
  headers: Record<string, string> = {},
): Promise<{ status: number; data?: any; response?: Response }> {
  const cookie = user ? await sessionCookieFor(on, user.id) : undefined;
  const request = makeRequest(path, { cookie, headers });
  const { response, value } = await settle(() => handler({ request, context: loadContext(on), params: {} }));
  if (response) return { status: response.status, response };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** Every real identity the tests made: none may reach a page, its data or an export. */
function secretsOf(users: CreatedUser[], customers: Customer[]): string[] {
  return [
    ...users.flatMap((user) => [user.email, user.email.split('@')[0]!]),
    ...customers.flatMap((customer) => [customer.name, customer.orgId]),
    'Test Person',
  ];
}

function render(element: ReactElement, locale: 'en' | 'zh-CN' = 'en'): string {
  return renderToString(createElement(I18nextProvider, { i18n: getI18n(locale) }, element));
}

// ---------------------------------------------------------------------------
// The priority view and its export: one database, each test in an area of its own.

let app: TestApp;
let admin: CreatedUser;
let triager: CreatedUser;
let productAdmin: CreatedUser;
let author: CreatedUser;
const customers = {} as Record<'strategic' | 'major' | 'standard' | 'small', Customer>;
const everyone = () => [admin, triager, productAdmin, ...Object.values(customers).flatMap((customer) => customer.members)];
const db = () => app.services.db;
const staff = () => asActor(triager, ['triager']);

beforeAll(async () => {
  app = await createTestApp();
  admin = await makeUser(app, { roles: ['admin'] });
  triager = await makeUser(app, { roles: ['triager'] });
  productAdmin = await makeUser(app, { roles: ['product_admin'] });
  // k = 5: three customers at or above it, one below.
  customers.strategic = await makeCustomer(app, 'Insights Strategic Telecom', 'strategic', 5);
  customers.major = await makeCustomer(app, 'Insights Major Mobile', 'major', 6);
  customers.standard = await makeCustomer(app, 'Insights Standard Networks', 'standard', 5);
  customers.small = await makeCustomer(app, 'Insights Tiny Carrier', 'strategic', 2);
  // Members who do not count toward k: one not verified, one disabled.
  await makeUser(app, { orgId: customers.small.orgId, verified: false });
  const disabled = await makeUser(app, { orgId: customers.small.orgId });
  await db().updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
  author = customers.standard.members[0]!;
}, 120_000);
afterAll(async () => {
  await app?.close();
});

let areaCounter = 0;
/** A product area of its own, so a test's filter sees only its own posts. */
async function newArea(): Promise<string> {
  areaCounter += 1;
  return createProductArea(db(), { slug: `insights-${areaCounter}`, nameEn: `Insights area ${areaCounter}`, nameZh: `洞察领域${areaCounter}` });
}

function newPost(
  areaId: string,
  title: string,
  options: { type?: PostType; status?: PostStatus; createdAt?: Date; hours?: number; sites?: number } = {},
): Promise<string> {
  return createPostRow(db(), {
    authorId: author.id,
    productAreaId: areaId,
    title,
    type: options.type,
    status: options.status,
    createdAt: options.createdAt,
    impactHoursPerWeek: options.hours,
    impactSites: options.sites,
  });
}

const vote = (postId: string, voters: CreatedUser[]) => voteAs(app, postId, voters);
const titles = async (input: ListPriorityInput) => (await listPriority(db(), staff(), input)).rows.map((row) => row.title);

/** Records a merge of `sourceId` into `targetId` as the merge use-case leaves it. */
async function mergeInto(sourceId: string, targetId: string): Promise<string> {
  const mergeId = randomId();
  await db()
    .insertInto('post_merge')
    .values({ id: mergeId, source_post_id: sourceId, target_post_id: targetId, source_status_before: 'open', merged_by: triager.id })
    .execute();
  await db().updateTable('post').set({ status: 'merged', merged_into_id: targetId, triaged_at: new Date() }).where('id', '=', sourceId).execute();
  return mergeId;
}

describe('priority score', () => {
  it('weighs each vote by its voter’s org tier with the weights in settings now, and re-ranks at once when they change', async () => {
    const areaId = await newArea();
    const mixed = await newPost(areaId, 'Mixed tiers');
    const manyStandard = await newPost(areaId, 'Many standard');
    const twoMajor = await newPost(areaId, 'Two major');
    await vote(mixed, [customers.strategic.members[0]!, customers.major.members[0]!, customers.standard.members[1]!]);
    await vote(manyStandard, customers.standard.members.slice(1, 5));
    await vote(twoMajor, customers.major.members.slice(0, 2));

    const before = await listPriority(db(), staff(), { productAreaId: areaId });
    expect(before.rows.map((row) => [row.title, row.score, row.votes, row.orgs, row.rank])).toEqual([
      ['Mixed tiers', 5 + 3 + 1, 3, 3, 1],
      ['Two major', 3 + 3, 2, 1, 2],
      ['Many standard', 4 * 1, 4, 1, 3],
    ]);
    expect(before.weights).toEqual({ strategic: 5, major: 3, standard: 1 });
    expect(before.total).toBe(3);

    await updateSettings(db(), admin.id, { tierWeightStandard: 10 });
    try {
      const after = await listPriority(db(), staff(), { productAreaId: areaId });
      expect(after.rows.map((row) => [row.title, row.score, row.rank])).toEqual([
        ['Many standard', 40, 1],
        ['Mixed tiers', 5 + 3 + 10, 2],
        ['Two major', 6, 3],
      ]);
      // The post's cached counter still has the old weights: the view does not read it.
      const cached = await db().selectFrom('post').select('weighted_score').where('id', '=', manyStandard).executeTakeFirstOrThrow();
      expect(cached.weighted_score).toBe(4);
    } finally {
      await updateSettings(db(), admin.id, { tierWeightStandard: 1 });
    }
  });

  it('counts vendor staff (no org) at the standard weight without adding an org, like the post’s own counters', async () => {
    const areaId = await newArea();
    const postId = await newPost(areaId, 'Staff said me too');
    await vote(postId, [customers.major.members[2]!]);
    await toggleVote(db(), staff(), { postId });
    const [row] = (await listPriority(db(), staff(), { productAreaId: areaId })).rows;
    const cached = await db().selectFrom('post').select(['weighted_score', 'vote_count', 'org_count']).where('id', '=', postId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ score: 3 + 1, votes: 2, orgs: 1 });
    expect(cached).toEqual({ weighted_score: row!.score, vote_count: row!.votes, org_count: row!.orgs });
  });

  it('gives tied scores the same rank', async () => {
    const areaId = await newArea();
    const first = await newPost(areaId, 'Tie A');
    const second = await newPost(areaId, 'Tie B');
    await newPost(areaId, 'No votes');
    await vote(first, [customers.major.members[3]!]);
    await vote(second, [customers.major.members[4]!]);
    const rows = (await listPriority(db(), staff(), { productAreaId: areaId })).rows;
    expect(rows.map((row) => row.rank)).toEqual([1, 1, 3]);
  });

  it('is only for triagers and product admins', async () => {
    for (const roles of [['admin'], ['finance_admin'], []] as Role[][]) {
      const run = listPriority(db(), asActor(admin, roles), {});
      await expect(run).rejects.toBeInstanceOf(DomainError);
      await expect(run).rejects.toMatchObject({ code: 'forbidden', status: 403 });
      await expect(exportPriority(db(), asActor(admin, roles), {})).rejects.toMatchObject({ status: 403 });
    }
    await expect(listPriority(db(), asActor(productAdmin, ['product_admin']), {})).resolves.toBeTruthy();
  });
});

describe('priority filters', () => {
  let areaId: string;
  let tagId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    areaId = await newArea();
    ids.request = await newPost(areaId, 'Open request', { type: 'request' });
    ids.complaint = await newPost(areaId, 'Complaint under review', { type: 'complaint', status: 'under_review' });
    ids.planned = await newPost(areaId, 'Planned request', { status: 'planned' });
    ids.progress = await newPost(areaId, 'Request in progress', { status: 'in_progress' });
    ids.shipped = await newPost(areaId, 'Shipped request', { status: 'shipped' });
    ids.declined = await newPost(areaId, 'Declined request', { status: 'declined' });
    ids.hidden = await newPost(areaId, 'Hidden request');
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'spam' }).where('id', '=', ids.hidden).execute();
    ids.duplicate = await newPost(areaId, 'Merged duplicate');
    await mergeInto(ids.duplicate, ids.request);
    tagId = randomId();
    await db().insertInto('tag').values({ id: tagId, slug: `insights-tag-${areaCounter}`, name_en: 'Alarms', name_zh: '告警' }).execute();
    await db().insertInto('post_tag').values([{ post_id: ids.complaint, tag_id: tagId }, { post_id: ids.shipped, tag_id: tagId }]).execute();
    // Scores set the order: request 15, complaint 9, planned 3, in progress 1.
    await vote(ids.request, customers.strategic.members.slice(0, 3));
    await vote(ids.complaint, customers.major.members.slice(0, 3));
    await vote(ids.planned, customers.major.members.slice(3, 4));
    await vote(ids.progress, customers.standard.members.slice(1, 2));
    await vote(ids.shipped, customers.strategic.members);
  });

  it('shows the open statuses by default, never a hidden or merged post', async () => {
    expect(await titles({ productAreaId: areaId })).toEqual(['Open request', 'Complaint under review', 'Planned request', 'Request in progress']);
    expect(await titles({ productAreaId: areaId, statuses: [] })).toHaveLength(4);
  });

  it('filters by status, type, tag and product area', async () => {
    expect(await titles({ productAreaId: areaId, statuses: ['shipped', 'declined'] })).toEqual(['Shipped request', 'Declined request']);
    expect(await titles({ productAreaId: areaId, type: 'complaint' })).toEqual(['Complaint under review']);
    expect(await titles({ productAreaId: areaId, tagId })).toEqual(['Complaint under review']);
    expect(await titles({ productAreaId: areaId, tagId, statuses: [...['open', 'shipped'] as const] })).toEqual(['Shipped request']);
    expect(await titles({ productAreaId: await newArea() })).toEqual([]);
  });

  it('counts only the chosen customer group’s votes and lists only the posts that group voted for', async () => {
    const strategic = await listPriority(db(), staff(), { productAreaId: areaId, orgGroup: 'strategic' });
    expect(strategic.rows.map((row) => [row.title, row.score, row.votes, row.orgs])).toEqual([['Open request', 15, 3, 1]]);
    const major = await listPriority(db(), staff(), { productAreaId: areaId, orgGroup: 'major' });
    expect(major.rows.map((row) => [row.title, row.score, row.votes])).toEqual([
      ['Complaint under review', 9, 3],
      ['Planned request', 3, 1],
    ]);
  });

  it('reads the filters from the address, ignoring unknown values', async () => {
    const { status, data } = await callLoader(
      app,
      priorityRoute.loader as Handler,
      `/insights/priority?area=${areaId}&status=shipped&status=bogus&status=declined&type=nonsense&sort=votes&dir=up`,
      triager,
    );
    expect(status).toBe(200);
    expect(data.query).toMatchObject({ statuses: ['shipped', 'declined'], area: areaId, sort: 'votes', dir: 'desc' });
    expect(data.query.type).toBeUndefined();
    expect(data.page.rows.map((row: { title: string }) => row.title)).toEqual(['Shipped request', 'Declined request']);
  });
});

describe('priority sorting and pages', () => {
  let areaId: string;

  beforeAll(async () => {
    areaId = await newArea();
    const now = Date.now();
    // score / votes / orgs / hours / sites / age differ so that each order is different.
    const a = await newPost(areaId, 'A', { hours: 10, sites: 1, createdAt: new Date(now - 3 * DAY) });
    const b = await newPost(areaId, 'B', { hours: 2, sites: 500, createdAt: new Date(now - 30 * DAY) });
    const c = await newPost(areaId, 'C', { createdAt: new Date(now - 10 * DAY) });
    const d = await newPost(areaId, 'D', { hours: 40, createdAt: new Date(now - 1 * DAY) });
    await newPost(areaId, 'E', { sites: 20, createdAt: new Date(now - 60 * DAY) });
    await vote(a, [customers.strategic.members[0]!, customers.major.members[0]!]); // 8, 2 votes, 2 orgs
    await vote(b, customers.standard.members.slice(0, 4)); // 4, 4 votes, 1 org
    await vote(c, [customers.strategic.members[1]!]); // 5, 1 vote, 1 org
    await vote(d, [customers.major.members[1]!, customers.standard.members[1]!, customers.strategic.members[2]!]); // 9, 3 votes, 3 orgs
    // E: no votes.
  });

  const ORDERS: Array<[ListPriorityInput['sort'], 'asc' | 'desc', string[]]> = [
    ['score', 'desc', ['D', 'A', 'C', 'B', 'E']],
    ['score', 'asc', ['E', 'B', 'C', 'A', 'D']],
    ['votes', 'desc', ['B', 'D', 'A', 'C', 'E']],
    ['orgs', 'desc', ['D', 'A', 'C', 'B', 'E']],
    ['hours', 'desc', ['D', 'A', 'B', 'E', 'C']],
    ['sites', 'desc', ['B', 'E', 'A', 'D', 'C']],
    ['age', 'desc', ['E', 'B', 'C', 'A', 'D']],
    ['age', 'asc', ['D', 'A', 'C', 'B', 'E']],
  ];

  it.each(ORDERS)('sorts by %s %s', async (sort, dir, expected) => {
    const rows = (await listPriority(db(), staff(), { productAreaId: areaId, sort, dir })).rows;
    // Ties (orgs: A, C, B all 1… ) fall back to the post id, so compare only where values differ.
    if (sort === 'orgs') {
      expect(rows.map((row) => row.orgs)).toEqual([3, 2, 1, 1, 0]);
      expect([rows[0]!.title, rows[1]!.title, rows[4]!.title]).toEqual(['D', 'A', 'E']);
    } else if (sort === 'hours') {
      expect(rows.map((row) => row.impactHours)).toEqual([40, 10, 2, null, null]);
    } else if (sort === 'sites') {
      expect(rows.map((row) => row.impactSites)).toEqual([500, 20, 1, null, null]);
    } else {
      expect(rows.map((row) => row.title)).toEqual(expected);
    }
    // The rank is always the place by score, whatever the order shown.
    const rankOf = Object.fromEntries(rows.map((row) => [row.title, row.rank]));
    expect(rankOf).toEqual({ D: 1, A: 2, C: 3, B: 4, E: 5 });
  });

  it('pages by cursor, in bounded pages, with no post twice or left out', async () => {
    for (const [sort, dir] of ORDERS.map(([sort, dir]) => [sort, dir] as const)) {
      const whole = await titles({ productAreaId: areaId, sort, dir });
      const seen: string[] = [];
      let after: string | undefined;
      for (let pages = 0; pages < 5; pages += 1) {
        const page = await listPriority(db(), staff(), { productAreaId: areaId, sort, dir, limit: 2, after });
        expect(page.rows.length).toBeLessThanOrEqual(2);
        expect(page.total).toBe(5);
        seen.push(...page.rows.map((row) => row.title));
        if (!page.nextCursor) break;
        after = page.nextCursor;
      }
      expect(seen, `${sort} ${dir}`).toEqual(whole);
    }
  });

  it('ignores a cursor made for another order or tampered with', async () => {
    const first = await listPriority(db(), staff(), { productAreaId: areaId, sort: 'votes', limit: 2 });
    const other = await listPriority(db(), staff(), { productAreaId: areaId, sort: 'age', limit: 2, after: first.nextCursor! });
    expect(other.rows.map((row) => row.title)).toEqual(['E', 'B']);
    const tampered = await listPriority(db(), staff(), { productAreaId: areaId, limit: 2, after: 'not-a-cursor' });
    expect(tampered.rows.map((row) => row.title)).toEqual(['D', 'A']);
  });

  it('adds the impact of duplicates merged into a post to its own, and stops when the merge is undone', async () => {
    const area = await newArea();
    const target = await newPost(area, 'Target', { hours: 5 });
    const withImpact = await newPost(area, 'Duplicate with impact', { hours: 7, sites: 30 });
    const withoutImpact = await newPost(area, 'Duplicate without impact');
    const mergeId = await mergeInto(withImpact, target);
    await mergeInto(withoutImpact, target);
    const [row] = (await listPriority(db(), staff(), { productAreaId: area })).rows;
    expect(row).toMatchObject({ title: 'Target', impactHours: 12, impactSites: 30 });

    await db().updateTable('post_merge').set({ undone_at: new Date(), undone_by: triager.id }).where('id', '=', mergeId).execute();
    const [after] = (await listPriority(db(), staff(), { productAreaId: area })).rows;
    expect(after).toMatchObject({ title: 'Target', impactHours: 5, impactSites: null });
  });
});

describe('org breakdowns and k-anonymity', () => {
  const population = (sizes: Array<[string, ValueTier, number]>): OrgPopulation[] =>
    sizes.map(([orgId, tier, activeMembers]) => ({ orgId, tier, activeMembers }));

  it('puts an org in its tier only with at least k active members, the rest in "other"', () => {
    const groups = groupOrgs(population([['a', 'strategic', 5], ['b', 'major', 4], ['c', 'major', 9], ['d', 'standard', 0]]), 5);
    expect(Object.fromEntries(groups.groupOf)).toEqual({ a: 'strategic', b: 'other', c: 'major', d: 'other' });
    expect(groups.membersIn).toEqual({ strategic: 5, major: 9, standard: 0, other: 4 });
  });

  it('refuses a filter whose group, or whose remainder, is fewer than k people — but not an empty one', () => {
    const groups = groupOrgs(population([['a', 'strategic', 5], ['b', 'major', 6], ['small', 'standard', 2]]), 5);
    expect(() => orgIdsForFilter(groups, 'other')).toThrow(expect.objectContaining({ code: 'org_group_too_small', field: 'org', status: 400 }));
    expect(orgIdsForFilter(groups, 'strategic')).toEqual(['a']);
    // Nobody in the standard tier: an empty group singles no one out.
    expect(orgIdsForFilter(groups, 'standard')).toEqual([]);

    const lopsided = groupOrgs(population([['a', 'strategic', 12], ['small', 'major', 3]]), 5);
    expect(() => orgIdsForFilter(lopsided, 'strategic')).toThrow(expect.objectContaining({ code: 'org_group_remainder_too_small', status: 400 }));
  });

  it('names orgs by tier only, sums the small ones as "other", and folds named rows in until "other" stands for k people', () => {
    const groups = groupOrgs(
      population([['big-s', 'strategic', 8], ['big-m', 'major', 5], ['mid-m', 'major', 6], ['small', 'standard', 2]]),
      5,
    );
    const rows = [
      { orgId: 'big-s', metrics: { weighted: 50, votes: 10 } },
      { orgId: 'big-m', metrics: { weighted: 30, votes: 10 } },
      { orgId: 'mid-m', metrics: { weighted: 9, votes: 3 } },
      { orgId: 'small', metrics: { weighted: 2, votes: 2 } },
    ];
    const breakdown = breakdownByOrg(groups, rows, { rankBy: 'weighted', limit: 10 });
    // "other" would be the 2 people of 'small' alone: the smallest named org joins it.
    expect(breakdown).toEqual({
      rows: [
        { key: 'strategic-1', tier: 'strategic', ordinal: 1, metrics: { weighted: 50, votes: 10 } },
        { key: 'major-1', tier: 'major', ordinal: 1, metrics: { weighted: 30, votes: 10 } },
      ],
      other: { metrics: { weighted: 11, votes: 5 } },
    });
    expect(JSON.stringify(breakdown)).not.toMatch(/big-|mid-|small/);

    // Past the limit, orgs are summed into "other" too.
    const limited = breakdownByOrg(groups, rows.slice(0, 3), { rankBy: 'weighted', limit: 1 });
    expect(limited.rows.map((row) => row.key)).toEqual(['strategic-1']);
    expect(limited.other).toEqual({ metrics: { weighted: 39, votes: 13 } });
  });

  it('shows nothing when all customers together are fewer than k people', () => {
    const groups = groupOrgs(population([['a', 'strategic', 2], ['b', 'major', 2]]), 5);
    expect(breakdownByOrg(groups, [{ orgId: 'a', metrics: { votes: 4 } }], { rankBy: 'votes', limit: 10 })).toEqual({ rows: [], other: null });
  });

  it('refuses the priority view filtered to a group of fewer than k people, in the domain and over HTTP (page and CSV)', async () => {
    // 'Other' holds only the small org: 2 active members (the unverified and the disabled do not count).
    const run = listPriority(db(), staff(), { orgGroup: 'other' });
    await expect(run).rejects.toBeInstanceOf(DomainError);
    await expect(run).rejects.toMatchObject({ code: 'org_group_too_small', field: 'org', status: 400 });
    await expect(exportPriority(db(), staff(), { orgGroup: 'other' })).rejects.toMatchObject({ code: 'org_group_too_small' });

    const page = await callLoader(app, priorityRoute.loader as Handler, '/insights/priority?org=other', triager);
    expect(page.status).toBe(400);
    expect(page.data).toMatchObject({ refusal: 'org_group_too_small', page: null, k: 5 });
    expect(en.insights.errors.org_group_too_small).toContain('{{k}}');

    const csv = await callLoader(app, csvRoute.loader as Handler, '/insights/priority.csv?org=other', triager);
    expect(csv.status).toBe(400);
    expect(csv.response!.headers.get('Content-Type')).toMatch(/^text\/plain/);
    expect(await csv.response!.text()).toBe(`${en.insights.errors.org_group_too_small.replace('{{k}}', '5')}\n`);
  });

  it('refuses a filter whose remainder is fewer than k people, and allows it again once it is not', async () => {
    // Only the strategic customer and the small org keep active members: everyone outside
    // "strategic customers" is then the small org's 2 people.
    const paused = [...customers.major.members, ...customers.standard.members].map((member) => member.id);
    await db().updateTable('app_user').set({ disabled_at: new Date() }).where('id', 'in', paused).execute();
    try {
      await expect(listPriority(db(), staff(), { orgGroup: 'strategic' })).rejects.toMatchObject({ code: 'org_group_remainder_too_small' });
      const chineseTriager = await makeChineseStaff(app, ['triager']);
      const page = await callLoader(app, priorityRoute.loader as Handler, '/insights/priority?org=strategic', chineseTriager);
      expect(page.status).toBe(400);
      expect(page.data.refusal).toBe('org_group_remainder_too_small');
      const csv = await callLoader(app, csvRoute.loader as Handler, '/insights/priority.csv?org=strategic', chineseTriager);
      expect(csv.status).toBe(400);
      expect(await csv.response!.text()).toContain(zhCN.insights.errors.org_group_remainder_too_small.replace('{{k}}', '5'));
    } finally {
      await db().updateTable('app_user').set({ disabled_at: null }).where('id', 'in', paused).execute();
    }
    await expect(listPriority(db(), staff(), { orgGroup: 'strategic' })).resolves.toBeTruthy();
  });

  it('puts no real name, email, org name or org id in the priority page’s data', async () => {
    const areaId = await newArea();
    const postId = await newPost(areaId, 'Everyone voted');
    await vote(postId, Object.values(customers).flatMap((customer) => customer.members));
    for (const path of ['/insights/priority', `/insights/priority?area=${areaId}&org=strategic`, '/insights/priority?org=other']) {
      const { data } = await callLoader(app, priorityRoute.loader as Handler, path, productAdmin);
      const json = JSON.stringify(data);
      for (const secret of secretsOf(everyone(), Object.values(customers))) expect(json, `${secret} at ${path}`).not.toContain(secret);
    }
  });
});

describe('CSV export', () => {
  it('quotes by RFC 4180 and defuses cells a spreadsheet would run as a formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 6 12')).toBe("'+33 6 12");
    expect(csvCell('-2 dB')).toBe("'-2 dB");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('\tindent')).toBe("'\tindent");
    expect(csvCell('\rreturn')).toBe(`"'\rreturn"`);
    expect(csvCell('=HYPERLINK("http://evil.example","x")')).toBe(`"'=HYPERLINK(""http://evil.example"",""x"")"`);
    expect(csvCell(-3)).toBe('-3');
    expect(csvCell(null)).toBe('');
    expect(toCsv(['a', 'b'], [[1, 'x'], [null, '中文']])).toBe('\uFEFFa,b\r\n1,x\r\n,中文\r\n');
  });

  it('downloads the same filtered, sorted list, dated, with a BOM, pseudonyms only and formulas defused', async () => {
    const areaId = await newArea();
    const formula = await newPost(areaId, '=HYPERLINK("http://evil.example","Click")', { hours: 3 });
    const quoted = await newPost(areaId, 'Alarms, "storms" and\nrestarts', { sites: 12 });
    const chinese = await newPost(areaId, '批量修改基站参数时支持回滚');
    await vote(formula, customers.strategic.members.slice(0, 2));
    await vote(quoted, customers.major.members.slice(0, 1));

    const path = `/insights/priority.csv?area=${areaId}&sort=votes`;
    const { status, response } = await callLoader(app, csvRoute.loader as Handler, path, triager);
    expect(status).toBe(200);
    const today = new Date().toISOString().slice(0, 10);
    expect(response!.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response!.headers.get('Content-Disposition')).toBe(`attachment; filename="candor-priority-${today}.csv"`);
    expect(response!.headers.get('Cache-Control')).toContain('no-store');
    const bytes = new Uint8Array(await response!.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = await response!.text();
    const lines = text.replace(/^\uFEFF/, '').split('\r\n');
    expect(lines[0]).toBe(
      'Rank,Post ID,Title,Type,Product area,Status,Author (pseudonym),Score,Votes,Organisations,Impact hours/week,Impact sites,Posted,Age (days),Link',
    );
    // Same order as the page asked for (votes), whole list, then a final line break.
    const page = await listPriority(db(), staff(), { productAreaId: areaId, sort: 'votes' });
    expect(page.rows.map((row) => row.id)).toEqual([formula, quoted, chinese]);
    expect(text).toContain(`1,${formula},"'=HYPERLINK(""http://evil.example"",""Click"")",Feature request,`);
    expect(text).toContain(`"Alarms, ""storms"" and\nrestarts"`);
    expect(text).toContain('批量修改基站参数时支持回滚');
    expect(text).toContain(`,${author.pseudonym},`);
    expect(text).toContain(`http://localhost:3000/posts/${chinese}`);
    expect(text.endsWith('\r\n')).toBe(true);
    for (const secret of secretsOf(everyone(), Object.values(customers))) expect(text).not.toContain(secret);
  });

  it('writes the headings, names and pseudonyms in Chinese for a Chinese reader', async () => {
    const areaId = await newArea();
    await newPost(areaId, 'Chinese export', { type: 'complaint' });
    const chineseAdmin = await makeChineseStaff(app, ['product_admin']);
    const { response } = await callLoader(app, csvRoute.loader as Handler, `/insights/priority.csv?area=${areaId}`, chineseAdmin);
    const text = await response!.text();
    const { pseudonym_zh: pseudonymZh } = await db().selectFrom('app_user').select('pseudonym_zh').where('id', '=', author.id).executeTakeFirstOrThrow();
    expect(text).toContain(`${zhCN.insights.csv.rank},${zhCN.insights.csv.id},${zhCN.insights.csv.title}`);
    expect(text).toContain(`,${zhCN.posts.types.complaint},`);
    expect(text).toContain(`,${pseudonymZh},`);
  });

  it('puts nothing from an org below k into the export, even filtered by group', async () => {
    const areaId = await newArea();
    const postId = await newPost(areaId, 'Small org cares');
    await vote(postId, customers.small.members);
    const { response } = await callLoader(app, csvRoute.loader as Handler, `/insights/priority.csv?area=${areaId}&org=major`, triager);
    const text = (await response!.text()).replace(/^\uFEFF/, '');
    // Only the small org voted: the major group has no post here, so only the heading row.
    expect(text.split('\r\n').filter(Boolean)).toHaveLength(1);
  });
});

// ---------------------------------------------------------------------------
// The dashboard: a database of its own, with posts placed in known weeks.

describe('dashboard', () => {
  let board: TestApp;
  let boardAdmin: CreatedUser;
  let boardTriager: CreatedUser;
  const boardCustomers: Customer[] = [];
  let weeks: Date[];
  const posts: Array<{ key: string; area: string; type: PostType; createdAt: Date; hidden?: boolean }> = [];
  const areaIds: Record<string, string> = {};
  let seeded: Promise<void> | undefined;

  beforeAll(async () => {
    board = await createTestApp();
    boardAdmin = await makeUser(board, { roles: ['product_admin'] });
    boardTriager = await makeUser(board, { roles: ['triager'] });
    areaIds.alarms = await createProductArea(board.services.db, { slug: 'alarms', nameEn: 'Alarms', nameZh: '告警', position: 1 });
    areaIds.billing = await createProductArea(board.services.db, { slug: 'billing', nameEn: 'Billing', nameZh: '计费', position: 2 });
    areaIds.radio = await createProductArea(board.services.db, { slug: 'radio', nameEn: 'Radio', nameZh: '无线', position: 3 });
    areaIds.archived = await createProductArea(board.services.db, { slug: 'old', nameEn: 'Retired area', nameZh: '旧领域', position: 4 });
    await board.services.db.updateTable('product_area').set({ archived_at: new Date() }).where('id', '=', areaIds.archived).execute();
    weeks = weekStarts(new Date());
  }, 120_000);
  afterAll(async () => {
    await board?.close();
  });

  const dashboardOf = (input: { inflowDays?: 30 | 90 } = {}) =>
    getInsightsDashboard(board.services.db, asActor(boardTriager, ['triager']), input);

  /** Moves a post's status at a given time, as the status-change use-case records it. */
  async function moveStatus(postId: string, from: PostStatus, to: PostStatus, at: Date) {
    await board.services.db
      .insertInto('post_status_change')
      .values({ id: randomId(), post_id: postId, from_status: from, to_status: to, actor_id: boardTriager.id, note: null, created_at: at })
      .execute();
    await board.services.db
      .updateTable('post')
      .set({ status: to, triaged_at: sql<Date>`coalesce(triaged_at, ${at}::timestamptz)` })
      .where('id', '=', postId)
      .execute();
  }

  const at = (week: number, days: number, hours = 0) => new Date(weeks[week]!.getTime() + days * DAY + hours * HOUR);

  /** The posts of the tests below, placed in known weeks (W0 … W11, W11 this week). */
  function seed(): Promise<void> {
    seeded ??= (async () => {
      const big = await makeCustomer(board, 'Board Strategic Telecom', 'strategic', 5);
      const mid = await makeCustomer(board, 'Board Major Mobile', 'major', 5);
      const tiny = await makeCustomer(board, 'Board Tiny Carrier', 'standard', 2);
      boardCustomers.push(big, mid, tiny);
      const authorId = big.members[0]!.id;
      const create = async (key: string, area: string, type: PostType, createdAt: Date, status?: PostStatus) => {
        posts.push({ key, area, type, createdAt });
        return createPostRow(board.services.db, { authorId, productAreaId: areaIds[area]!, title: key, type, createdAt, status });
      };
      const p1 = await create('old open', 'alarms', 'request', new Date(weeks[0]!.getTime() - 8 * 7 * DAY));
      const p2 = await create('journey', 'alarms', 'complaint', at(6, 1));
      await moveStatus(p2, 'open', 'under_review', at(8, 1));
      await moveStatus(p2, 'under_review', 'planned', at(10, 1));
      // Shipped when made, with no recorded change: it counts as shipped from its week on.
      await create('shipped without history', 'billing', 'request', at(9, 2), 'shipped');
      const p4 = await create('fast triage', 'alarms', 'request', at(9, 1));
      await moveStatus(p4, 'open', 'under_review', at(9, 1, 6));
      const p5 = await create('late untriaged', 'alarms', 'request', at(7, 5, 12));
      const p6 = await create('triaged late', 'alarms', 'request', at(7, 1));
      await moveStatus(p6, 'open', 'declined', at(7, 3, 12));
      const p7 = await create('hidden', 'alarms', 'complaint', at(7, 1));
      posts.find((post) => post.key === 'hidden')!.hidden = true;
      await board.services.db.updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'spam' }).where('id', '=', p7).execute();
      const p8 = await create('just now', 'billing', 'complaint', new Date(Math.max(weeks[11]!.getTime(), Date.now() - HOUR)));
      const p9 = await create('two months', 'billing', 'request', at(3, 2));

      // Votes on open posts: the strategic customer 5 × 5, the major 2 × 3, the tiny org 2 × 1.
      await voteAs(board, p1, big.members);
      await voteAs(board, p2, mid.members.slice(0, 2));
      await voteAs(board, p4, tiny.members);
      // Not counted: a vote on a shipped post, and vendor staff (no org).
      const shipped = await board.services.db.selectFrom('post').select('id').where('title', '=', 'shipped without history').executeTakeFirstOrThrow();
      await board.services.db.insertInto('vote').values({ post_id: shipped.id, voter_id: big.members[1]!.id }).execute();
      await toggleVote(board.services.db, asActor(boardTriager, ['triager']), { postId: p1 });
      void [p5, p8, p9];
    })();
    return seeded;
  }

  it('shows empty charts when there is nothing yet', async () => {
    const empty = await dashboardOf();
    expect(empty.weeks).toHaveLength(12);
    expect(empty.statusOverTime.every((series) => series.counts.every((count) => count === 0))).toBe(true);
    expect(empty.triageTime.medianHours.every((hours) => hours === null)).toBe(true);
    expect(empty.slaBreaches).toMatchObject({ overdueNow: 0, slaHours: 48 });
    expect(empty.slaBreaches.counts.every((count) => count === 0)).toBe(true);
    expect(empty.inflow.areas.map((area) => [area.name, area.complaints + area.requests])).toEqual([
      ['Alarms', 0],
      ['Billing', 0],
      ['Radio', 0],
    ]);
    expect(empty.demand).toEqual({ rows: [], other: null, k: 5 });
  });

  it('covers the last 12 weeks, Monday to Monday, this week last', async () => {
    const { weeks: shown } = await dashboardOf();
    expect(new Date(`${shown[11]}T00:00:00Z`).getUTCDay()).toBe(1);
    const thisMonday = new Date(`${shown[11]}T00:00:00Z`).getTime();
    expect(Date.now() - thisMonday).toBeLessThan(7 * DAY);
    expect(Date.now()).toBeGreaterThanOrEqual(thisMonday);
    expect(shown[0]).toBe(new Date(thisMonday - 11 * 7 * DAY).toISOString().slice(0, 10));
  });

  it('counts posts by status at the end of each week, from creation and the recorded changes', async () => {
    await seed();
    const { statusOverTime } = await dashboardOf();
    const series = Object.fromEntries(statusOverTime.map((one) => [one.status, one.counts]));
    expect(series).toEqual({
      open: [1, 1, 1, 2, 2, 2, 3, 4, 3, 3, 3, 4],
      under_review: [0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 1, 1],
      planned: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1],
      in_progress: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
      shipped: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1],
      declined: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1],
    });
  });

  it('gives the median hours to triage of the posts triaged each week', async () => {
    await seed();
    const { triageTime } = await dashboardOf();
    // Week 7: 60 h; week 8: 14 days; week 9: 0 h (shipped when made) and 6 h → 3 h.
    expect(triageTime.medianHours).toEqual([null, null, null, null, null, null, null, 60, 336, 3, null, null]);
    expect(triageTime.triaged).toEqual([0, 0, 0, 0, 0, 0, 0, 1, 1, 2, 0, 0]);
  });

  it('counts SLA breaches by the week the deadline passed, and the posts overdue now', async () => {
    await seed();
    const { slaBreaches } = await dashboardOf();
    expect(slaBreaches.counts).toEqual([0, 0, 0, 1, 0, 0, 1, 1, 1, 0, 0, 0]);
    // Untriaged for more than 48 hours: 'old open', 'late untriaged', 'two months' (not the hidden one).
    expect(slaBreaches.overdueNow).toBe(3);

    await updateSettings(board.services.db, boardAdmin.id, { triageSlaHours: 24 * 30 });
    try {
      // With a 30-day SLA, only deadlines that have passed count.
      const lenient = await dashboardOf();
      expect(lenient.slaBreaches.slaHours).toBe(720);
      expect(lenient.slaBreaches.overdueNow).toBeLessThan(3);
    } finally {
      await updateSettings(board.services.db, boardAdmin.id, { triageSlaHours: 48 });
    }
  });

  it('counts the inflow of the last 30 or 90 days by product area and type, without hidden posts or archived areas', async () => {
    await seed();
    for (const days of [30, 90] as const) {
      const { inflow } = await dashboardOf({ inflowDays: days });
      expect(inflow.days).toBe(days);
      const since = Date.now() - days * DAY;
      const expected = ['alarms', 'billing', 'radio'].map((area) => {
        const recent = posts.filter((post) => post.area === area && !post.hidden && post.createdAt.getTime() >= since);
        return {
          name: area[0]!.toUpperCase() + area.slice(1),
          complaints: recent.filter((post) => post.type === 'complaint').length,
          requests: recent.filter((post) => post.type === 'request').length,
        };
      });
      expect(inflow.areas.map(({ name, complaints, requests }) => ({ name, complaints, requests })).sort((a, b) => a.name.localeCompare(b.name))).toEqual(
        expected.sort((a, b) => a.name.localeCompare(b.name)),
      );
      // Busiest first.
      const totals = inflow.areas.map((area) => area.complaints + area.requests);
      expect([...totals].sort((a, b) => b - a)).toEqual(totals);
    }
  });

  it('shows demand by customer tier, folding the org below k with the smallest named one so "other" stands for k people', async () => {
    await seed();
    const { demand } = await dashboardOf();
    expect(demand).toEqual({
      rows: [{ key: 'strategic-1', tier: 'strategic', ordinal: 1, metrics: { weighted: 25, votes: 5 } }],
      // The major customer (6 from 2 votes) and the tiny org (2 from 2 votes): 7 people together.
      other: { metrics: { weighted: 8, votes: 4 } },
      k: 5,
    });
  });

  it('puts no real name, email, org name or org id in the dashboard’s data', async () => {
    await seed();
    for (const path of ['/insights', '/insights?days=90', '/insights?days=7']) {
      const { status, data } = await callLoader(board, dashboardRoute.loader as Handler, path, boardAdmin);
      expect(status).toBe(200);
      const json = JSON.stringify(data);
      const users = [boardAdmin, boardTriager, ...boardCustomers.flatMap((customer) => customer.members)];
      for (const secret of secretsOf(users, boardCustomers)) expect(json, `${secret} at ${path}`).not.toContain(secret);
    }
  });

  describe('pages over HTTP', () => {
    let web: TestWebServer;
    let cookie: string;

    beforeAll(async () => {
      await seed();
      web = await startTestWebServer(board);
      cookie = await sessionCookieFor(board, boardAdmin.id);
    }, 120_000);
    afterAll(async () => {
      await web?.close();
    });

    const get = (path: string, headers: Record<string, string> = {}) => fetch(`${web.baseUrl}${path}`, { headers: { Cookie: cookie, ...headers } });

    it('renders the dashboard with five accessible charts, each with a table', async () => {
      const response = await get('/insights');
      expect(response.status).toBe(200);
      const html = await response.text();
      expect(html.match(/<svg[^>]*role="img"/g)).toHaveLength(5);
      expect(html.match(/<details class="chart__table">/g)).toHaveLength(5);
      for (const title of [
        en.insights.dashboard.status.title,
        en.insights.dashboard.triage.title,
        en.insights.dashboard.sla.title,
        en.insights.dashboard.inflow.title,
        en.insights.dashboard.demand.title,
      ]) {
        expect(html).toMatch(new RegExp(`<title id="[^"]+">${title}</title>`));
      }
      expect(html).toContain('Strategic customer 1');
      expect(html).toContain(en.insights.dashboard.demand.other);
      expect(html).not.toContain('Board ');
    });

    it('renders the dashboard in Chinese', async () => {
      const chinese = await makeChineseStaff(board, ['triager']);
      const html = await (await get('/insights', { Cookie: await sessionCookieFor(board, chinese.id) })).text();
      expect(html).toContain('<html lang="zh-CN"');
      expect(html).toContain(zhCN.insights.dashboard.status.title);
      expect(html).toContain(zhCN.insights.charts.showTable);
      expect(html).toContain('战略客户 1');
    });

    it('marks the sorted column with aria-sort and links each numeric heading to its order', async () => {
      const html = await (await get('/insights/priority?sort=votes')).text();
      expect(html).toMatch(/<th scope="col" aria-sort="descending"><a[^>]*href="\/insights\/priority\?sort=votes&amp;dir=asc"/);
      expect(html.match(/aria-sort=/g)).toHaveLength(1);
      expect(html).toContain('href="/insights/priority?sort=age"');
      expect(html).toContain('href="/insights/priority.csv?sort=votes"');
    });

    it('shows a refused filter on the page with 400 and its message', async () => {
      const response = await get('/insights/priority?org=other');
      expect(response.status).toBe(400);
      const html = await response.text();
      expect(html).toContain(en.insights.errors.org_group_too_small.replace('{{k}}', '5').replace(/"/g, '&quot;').slice(0, 60));
      expect(html).toContain('aria-invalid="true"');
    });

    it('downloads the CSV with the session, pseudonyms only', async () => {
      const response = await get('/insights/priority.csv?status=open&status=under_review&status=planned&status=shipped');
      expect(response.status).toBe(200);
      const text = await response.text();
      expect(text).toContain('old open');
      const { pseudonym } = await board.services.db.selectFrom('app_user').select('pseudonym').where('id', '=', boardCustomers[0]!.members[0]!.id).executeTakeFirstOrThrow();
      expect(text).toContain(pseudonym);
      expect(text).not.toContain('Board ');
      expect(text).not.toContain('@example.com');
    });
  });
});

describe('charts', () => {
  it('draws a line chart as an image with a title, a description, direct labels, markers and a table', () => {
    const html = render(
      createElement(LineChart, {
        title: 'Posts by status',
        description: 'Open 12, Shipped 3',
        categories: ['Mar 2', 'Mar 9', 'Mar 16'],
        categoryHeader: 'Week',
        series: [
          { key: 'open', label: 'Open', values: [4, 9, 12] },
          { key: 'shipped', label: 'Shipped', values: [0, 1, 3] },
        ],
      }),
    );
    const [, titleId, descId] = /<svg[^>]*role="img"[^>]*aria-labelledby="([^"]+)" aria-describedby="([^"]+)"/.exec(html) ?? [];
    expect(titleId).toBeTruthy();
    expect(html).toContain(`<title id="${titleId}">Posts by status</title>`);
    expect(html).toContain(`<desc id="${descId}">Open 12, Shipped 3</desc>`);
    // Each line ends in its name and last value, written out.
    expect(html).toMatch(/>Open(<!-- -->)? <tspan class="chart__value">12<\/tspan>/);
    expect(html).toContain('<tspan class="chart__value">3</tspan>');
    // Series differ by more than colour: a dash pattern and a marker shape.
    expect(html).toContain('stroke-dasharray="6 3"');
    expect(html).toMatch(/<circle[^>]*r="4"/);
    expect(html).toMatch(/<rect[^>]*width="8" height="8"/);
    expect(html).toContain('<summary>Show as table</summary>');
    expect(html).toMatch(/<th scope="row">Mar 16<\/th><td class="numeric">12<\/td><td class="numeric">3<\/td>/);
  });

  it('draws columns with their values, a dash for a week without one, and nothing but the message when empty', () => {
    const html = render(
      createElement(ColumnChart, {
        title: 'Median time to triage',
        description: 'Hours',
        categories: ['W1', 'W2'],
        categoryHeader: 'Week',
        valueHeader: 'Median hours',
        values: [12.5, null],
      }),
      'zh-CN',
    );
    expect(html).toContain('role="img"');
    expect(html).toContain('>12.5</text>');
    expect(html).toContain('>–</text>');
    expect(html).toContain(`<summary>${zhCN.insights.charts.showTable}</summary>`);

    const empty = render(
      createElement(ColumnChart, {
        title: 'Breaches',
        description: 'None',
        empty: 'No breaches.',
        categories: ['W1'],
        categoryHeader: 'Week',
        valueHeader: 'Breaches',
        values: [0],
      }),
    );
    expect(empty).toContain('<p class="empty-state">No breaches.</p>');
    expect(empty).not.toContain('<svg');
  });

  it('fills stacked bar segments with patterns, shows them in a legend, and writes each total', () => {
    const html = render(
      createElement(BarChart, {
        title: 'Inflow',
        description: 'Alarms 7',
        rows: [{ key: 'alarms', label: 'Alarms and monitoring', values: [3, 4] }],
        categoryHeader: 'Area',
        segmentLabels: ['Complaint', 'Feature request'],
        totalHeader: 'Total',
      }),
    );
    const patternId = /<pattern id="([^"]+)"/.exec(html)?.[1];
    expect(patternId).toBeTruthy();
    expect(html.match(new RegExp(`fill="url\\(#${patternId}\\)"`, 'g'))!.length).toBeGreaterThanOrEqual(2);
    expect(html).toContain('class="chart__legend"');
    expect(html).toContain('>7</text>');
    expect(html).toMatch(/<th scope="row">Alarms and monitoring<\/th><td class="numeric">3<\/td><td class="numeric">4<\/td><td class="numeric">7<\/td>/);
  });
});
