// Finance pages for pools and the reward policy, through their loaders and
// actions as the browser calls them: balances, creating and topping up a pool
// (money typed as text, a double submit counted once), the burn-down, and
// publishing policy versions.
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { burnDown } from '../app/domain/pools/get-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { getCurrentPolicy } from '../app/domain/rewards/current-policy.server.js';
import { DEFAULT_POLICY_RULES } from '../app/domain/rewards/policy.js';
import { publishPolicy } from '../app/domain/rewards/publish-policy.server.js';
import en from '../app/locales/en.js';
import zhCN from '../app/locales/zh-CN.js';
import * as policyRoute from '../app/routes/finance.policy.js';
import * as poolRoute from '../app/routes/finance.pools_.$poolId.js';
import * as poolsRoute from '../app/routes/finance.pools.js';
import { randomId } from '../app/utils/crypto.server.js';
import { getT, translateMessage } from '../app/utils/i18n.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;
type Outcome = { status: number; location?: string | null; data?: any };

let app: TestApp;
let world: RewardWorld;
let adminCookie: string;
let approverCookie: string;
const year = new Date().getUTCFullYear();

const db = () => app.services.db;

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app, 1_000_000_00n);
  await db().updateTable('app_user').set({ staff_display_name: 'Felix (Finance lead)' }).where('id', '=', world.financeAdmin.id).execute();
  adminCookie = await sessionCookieFor(app, world.financeAdmin.id);
  approverCookie = await sessionCookieFor(app, world.approver.id);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

async function call(
  handler: Handler,
  path: string,
  cookie: string,
  options: { form?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<Outcome> {
  const request = makeRequest(path, { form: options.form, cookie, method: options.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: options.params ?? {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** A message key as an English reader sees it (a missing key stays a key, which the tests catch). */
const t = (message: string) => translateMessage(getT('en'), message);

const createForm = (overrides: Record<string, string> = {}) => ({
  name: `Pool ${randomId().slice(0, 6)}`,
  currency: 'CNY',
  budget: '2,000,000.00',
  periodStart: `${year}-01-01`,
  periodEnd: `${year}-12-31`,
  ...overrides,
});

async function poolCount(): Promise<number> {
  return (await db().selectFrom('pool').select('id').execute()).length;
}

describe('pools', () => {
  it('lists each pool with available, reserved, spent and remaining budget from the ledger', async () => {
    await makeApprovedReward(app, world);
    const outcome = await call(poolsRoute.loader as Handler, '/finance/pools', approverCookie);
    expect(outcome.status).toBe(200);
    const pool = outcome.data.pools.find((one: { id: string }) => one.id === world.poolId);
    // A request adopted under the default policy: ¥10,000.00 reserved from ¥1,000,000.00.
    expect(pool).toMatchObject({
      currency: 'CNY',
      state: 'open',
      budgetMinor: '100000000',
      availableMinor: '99000000',
      reservedMinor: '1000000',
      spentMinor: '0',
      remainingMinor: '99000000',
    });
    expect(await getPoolBalances(db(), world.poolId)).toMatchObject({ available: pool.availableMinor, reserved: pool.reservedMinor, spent: pool.spentMinor });
    // An approver sees the pools but is not offered the create form.
    expect(outcome.data.canManage).toBe(false);
    expect((await call(poolsRoute.loader as Handler, '/finance/pools', adminCookie)).data.canManage).toBe(true);
  });

  it('creates a pool from a budget typed as money, with its audit row', async () => {
    const form = createForm({ name: 'Operator complaint reward FY2026', budget: '2,000,000.00' });
    const outcome = await call(poolsRoute.action as Handler, '/finance/pools', adminCookie, { form });
    expect(outcome.status).toBe(302);
    const poolId = outcome.location!.split('/').at(-1)!;
    expect(outcome.location).toBe(`/finance/pools/${poolId}`);
    const pool = await db().selectFrom('pool').select(['name', 'currency', 'budget_minor', 'period_start', 'period_end']).where('id', '=', poolId).executeTakeFirstOrThrow();
    expect(pool).toEqual({ name: form.name, currency: 'CNY', budget_minor: '200000000', period_start: `${year}-01-01`, period_end: `${year}-12-31` });
    const audit = await db().selectFrom('audit_log').select('action').where('subject_id', '=', poolId).execute();
    expect(audit.map((row) => row.action)).toEqual(['pool.create']);
  });

  it.each([
    ['letters for an amount', { budget: 'two million' }, 'budget', 'finance.errors.amount_invalid'],
    ['too many decimals', { budget: '1,000.005' }, 'budget', 'finance.errors.amount_too_precise?currency=CNY&digits=2'],
    ['a zero budget', { budget: '0.00' }, 'budget', 'finance.errors.amount_zero'],
    ['an end before the start', { periodStart: `${year}-06-01`, periodEnd: `${year}-05-31` }, 'periodEnd', 'finance.pools.errors.period_end_before_start'],
    ['an unknown currency', { currency: 'XYZ' }, 'currency', 'finance.pools.errors.currency_invalid'],
    ['no name', { name: '' }, 'name', 'common.errors.required'],
  ])('refuses %s with a message on the field, creating nothing', async (_name, overrides, field, message) => {
    const before = await poolCount();
    const outcome = await call(poolsRoute.action as Handler, '/finance/pools', adminCookie, { form: createForm(overrides) });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error[field]).toEqual([message]);
    expect(t(message)).not.toMatch(/\{\{|finance\./);
    expect(await poolCount()).toBe(before);
  });

  it('says how many decimals the currency takes', () => {
    expect(t('finance.errors.amount_too_precise?currency=CNY&digits=2')).toBe('Use at most 2 decimal places for CNY.');
  });

  it('refuses an approver who tries to create or top up a pool', async () => {
    const before = await poolCount();
    expect((await call(poolsRoute.action as Handler, '/finance/pools', approverCookie, { form: createForm() })).status).toBe(403);
    const topUp = await call(poolRoute.action as Handler, `/finance/pools/${world.poolId}`, approverCookie, {
      form: { amount: '1.00', reason: 'no', submissionKey: randomId() },
      params: { poolId: world.poolId },
    });
    expect(topUp.status).toBe(403);
    expect(await poolCount()).toBe(before);
  });

  it('tops up once when the same form is sent twice', async () => {
    const before = await getPoolBalances(db(), world.poolId);
    const page = await call(poolRoute.loader as Handler, `/finance/pools/${world.poolId}`, adminCookie, { params: { poolId: world.poolId } });
    const form = { amount: '50,000.50', reason: 'Q2 budget release', submissionKey: page.data.submissionKey };
    const sends = await Promise.all(
      [1, 2].map(() => call(poolRoute.action as Handler, `/finance/pools/${world.poolId}`, adminCookie, { form, params: { poolId: world.poolId } })),
    );
    expect(sends.map((send) => send.status)).toEqual([302, 302]);
    const after = await getPoolBalances(db(), world.poolId);
    expect(BigInt(after.available) - BigInt(before.available)).toBe(5_000_050n);
    const audits = await db().selectFrom('audit_log').select('after').where('action', '=', 'pool.top_up').where('subject_id', '=', world.poolId).execute();
    expect(audits.filter((row) => (row.after as { reason?: string }).reason === 'Q2 budget release')).toHaveLength(1);

    // The next form has a fresh key, and the top-up is listed with its reason and who made it.
    const reloaded = await call(poolRoute.loader as Handler, `/finance/pools/${world.poolId}`, adminCookie, { params: { poolId: world.poolId } });
    expect(reloaded.data.submissionKey).not.toBe(page.data.submissionKey);
    expect(reloaded.data.topUps[0]).toMatchObject({ amountMinor: '5000050', reason: 'Q2 budget release', by: 'Felix (Finance lead)' });
  });

  it('refuses a top-up with a bad amount or no reason, moving nothing', async () => {
    const before = await getPoolBalances(db(), world.poolId);
    const bad = await call(poolRoute.action as Handler, `/finance/pools/${world.poolId}`, adminCookie, {
      form: { amount: '12.345', reason: 'budget', submissionKey: randomId() },
      params: { poolId: world.poolId },
    });
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.amount).toEqual(['finance.errors.amount_too_precise?currency=CNY&digits=2']);
    const noReason = await call(poolRoute.action as Handler, `/finance/pools/${world.poolId}`, adminCookie, {
      form: { amount: '100.00', reason: '  ', submissionKey: randomId() },
      params: { poolId: world.poolId },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.data.result.error.reason).toEqual(['finance.pools.errors.reason_required']);
    expect(await getPoolBalances(db(), world.poolId)).toEqual(before);
  });

  it('refuses to top up a closed pool with a message, and answers 404 for an unknown pool', async () => {
    const { location } = await call(poolsRoute.action as Handler, '/finance/pools', adminCookie, { form: createForm() });
    const poolId = location!.split('/').at(-1)!;
    await db().updateTable('pool').set({ closed_at: new Date() }).where('id', '=', poolId).execute();
    const closed = await call(poolRoute.action as Handler, `/finance/pools/${poolId}`, adminCookie, {
      form: { amount: '100.00', reason: 'late', submissionKey: randomId() },
      params: { poolId },
    });
    expect(closed.status).toBe(409);
    expect(closed.data.result.error['']).toEqual(['finance.pools.errors.pool_closed']);
    const listed = await call(poolsRoute.loader as Handler, '/finance/pools', approverCookie);
    expect(listed.data.pools.find((one: { id: string }) => one.id === poolId).state).toBe('closed');

    expect((await call(poolRoute.loader as Handler, '/finance/pools/nosuchpool', adminCookie, { params: { poolId: 'nosuchpool' } })).status).toBe(404);
    const unknown = await call(poolRoute.action as Handler, '/finance/pools/nosuchpool', adminCookie, {
      form: { amount: '1.00', reason: 'x', submissionKey: randomId() },
      params: { poolId: 'nosuchpool' },
    });
    expect(unknown.status).toBe(404);
  });

  it('lists a top-up by a finance admin without a display name under the team fallback', async () => {
    const other = await makeUser(app, { roles: ['finance_admin'] });
    await topUpPool(db(), { id: other.id, orgId: null, roles: ['finance_admin'] }, { poolId: world.poolId, amountMinor: 100n, reason: 'rounding', submissionKey: randomId() });
    const page = await call(poolRoute.loader as Handler, `/finance/pools/${world.poolId}`, approverCookie, { params: { poolId: world.poolId } });
    expect(page.data.topUps[0]).toMatchObject({ amountMinor: '100', reason: 'rounding', by: null });
  });

  it('draws the burn-down over the period from the ledger, with an even-spending target', async () => {
    const page = await call(poolRoute.loader as Handler, `/finance/pools/${world.poolId}`, approverCookie, { params: { poolId: world.poolId } });
    const weeks: Array<{ weekStart: string; remainingMinor: string | null; targetMinor: string }> = page.data.burnDown;
    // Every week of the year: the first from the period's first day, each after it from a Monday.
    expect(weeks.length).toBeGreaterThanOrEqual(52);
    expect(weeks[0]!.weekStart).toBe(`${year}-01-01`);
    expect(weeks.slice(1).every((week) => new Date(`${week.weekStart}T00:00:00Z`).getUTCDay() === 1)).toBe(true);
    expect(weeks[0]!.targetMinor).not.toBe('0');
    expect(weeks.at(-1)!.targetMinor).toBe('0');
    // This week's point is the pool's remaining budget now.
    const current = weeks.filter((week) => week.remainingMinor !== null).at(-1)!;
    expect(current.remainingMinor).toBe(page.data.pool.remainingMinor);
  });

  it('counts commitments in the week they were made and leaves weeks to come empty', () => {
    // A period from a Wednesday: its first week starts that day, the others on Mondays.
    expect(burnDown('700', '2026-01-07', '2026-01-13', '2026-01-01', []).map((week) => week.weekStart)).toEqual(['2026-01-07', '2026-01-12']);
    const weeks = burnDown('1000000', '2026-01-05', '2026-02-01', '2026-01-14', [
      { week: '2026-01-05', total: '100000' },
      { week: '2026-01-12', total: '250000' },
    ]);
    expect(weeks).toEqual([
      { weekStart: '2026-01-05', remainingMinor: '900000', targetMinor: '750000' },
      { weekStart: '2026-01-12', remainingMinor: '650000', targetMinor: '500000' },
      { weekStart: '2026-01-19', remainingMinor: null, targetMinor: '250000' },
      { weekStart: '2026-01-26', remainingMinor: null, targetMinor: '0' },
    ]);
  });
});

describe('reward policy', () => {
  const policyForm = (basedOnVersion: number, overrides: Record<string, string> = {}) => ({
    basedOnVersion: String(basedOnVersion),
    complaintFixedDefault: '2,000.00',
    complaintFixedMax: '10,000.00',
    requestAdoptedDefault: '12,000.00',
    requestAdoptedMax: '30,000.00',
    requestShippedDefault: '20,000.00',
    requestShippedMax: '100,000.00',
    impactMin: '100',
    impactMax: '250',
    coauthorShare: '25',
    note: 'Adopted requests are worth more this year.',
    ...overrides,
  });

  it('shows the policy in force to an approver, who cannot publish', async () => {
    const outcome = await call(policyRoute.loader as Handler, '/finance/policy', approverCookie);
    expect(outcome.status).toBe(200);
    expect(outcome.data.canPublish).toBe(false);
    expect(outcome.data.current.rules.tiers.request_adopted).toEqual(expect.objectContaining({ defaultMinor: expect.any(String) }));
    const version = outcome.data.current.version;
    const refused = await call(policyRoute.action as Handler, '/finance/policy', approverCookie, { form: policyForm(version) });
    expect(refused.status).toBe(403);
    expect((await getCurrentPolicy(db())).version).toBe(version);
  });

  it('publishes the next version with who and why, and the history lists it', async () => {
    const before = await getCurrentPolicy(db());
    const outcome = await call(policyRoute.action as Handler, '/finance/policy', adminCookie, { form: policyForm(before.version) });
    expect(outcome).toMatchObject({ status: 302, location: '/finance/policy' });
    const current = await getCurrentPolicy(db());
    expect(current.version).toBe(before.version + 1);
    expect(current.rules).toEqual({
      currency: 'CNY',
      tiers: {
        complaint_fixed: { defaultMinor: '200000', maxMinor: '1000000' },
        request_adopted: { defaultMinor: '1200000', maxMinor: '3000000' },
        request_shipped: { defaultMinor: '2000000', maxMinor: '10000000' },
      },
      impactPercent: { min: 100, max: 250 },
      coauthorSharePercent: 25,
    });
    const audit = await db().selectFrom('audit_log').select(['action', 'actor_id']).where('subject_id', '=', current.id).execute();
    expect(audit).toEqual([{ action: 'policy.publish', actor_id: world.financeAdmin.id }]);
    const page = await call(policyRoute.loader as Handler, '/finance/policy', approverCookie);
    expect(page.data.versions[0]).toMatchObject({ version: current.version, note: 'Adopted requests are worth more this year.', by: 'Felix (Finance lead)' });
    expect(page.data.versions.at(-1)).toMatchObject({ version: 1 });
  });

  it.each([
    ['a default above its maximum', { complaintFixedDefault: '20,000.00' }, 'complaintFixedDefault', 'finance.policy.errors.default_above_max'],
    ['a lowest multiplier above the highest', { impactMin: '300', impactMax: '200' }, 'impactMax', 'finance.policy.errors.min_above_max'],
    ['a share above 100%', { coauthorShare: '120' }, 'coauthorShare', 'finance.policy.errors.percent_range?min=0&max=100'],
    ['a fraction of a fen', { requestShippedMax: '100,000.001' }, 'requestShippedMax', 'finance.errors.amount_too_precise?currency=CNY&digits=2'],
    ['no note', { note: '' }, 'note', 'finance.policy.errors.note_required'],
  ])('refuses %s on its field and publishes nothing', async (_name, overrides, field, message) => {
    const before = await getCurrentPolicy(db());
    const outcome = await call(policyRoute.action as Handler, '/finance/policy', adminCookie, { form: policyForm(before.version, overrides) });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error[field]).toEqual([message]);
    expect(t(message)).not.toMatch(/\{\{|finance\./);
    expect((await getCurrentPolicy(db())).version).toBe(before.version);
  });

  it('refuses to publish over a version the admin has not seen', async () => {
    const before = await getCurrentPolicy(db());
    const stale = await call(policyRoute.action as Handler, '/finance/policy', adminCookie, { form: policyForm(before.version - 1) });
    expect(stale.status).toBe(409);
    expect(stale.data.result.error['']).toEqual(['finance.policy.errors.policy_changed_meanwhile']);
    expect((await getCurrentPolicy(db())).version).toBe(before.version);
  });

  it('numbers concurrent publications without a gap or a duplicate', async () => {
    const before = await getCurrentPolicy(db());
    const results = await Promise.allSettled(
      [1, 2, 3].map(() => publishPolicy(db(), world.financeAdmin, { rules: DEFAULT_POLICY_RULES, note: 'race', basedOnVersion: before.version })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason.code)).toEqual([
      'policy_changed_meanwhile',
      'policy_changed_meanwhile',
    ]);
    expect((await getCurrentPolicy(db())).version).toBe(before.version + 1);
  });

  it('lets only a finance admin publish, and checks the rules again in the use-case', async () => {
    const current = await getCurrentPolicy(db());
    const approver: Actor = world.approver;
    await expect(publishPolicy(db(), approver, { rules: DEFAULT_POLICY_RULES, note: 'x', basedOnVersion: current.version })).rejects.toMatchObject({
      code: 'forbidden',
    });
    const broken = { ...DEFAULT_POLICY_RULES, impactPercent: { min: 300, max: 100 } };
    await expect(publishPolicy(db(), world.financeAdmin, { rules: broken, note: 'x', basedOnVersion: current.version })).rejects.toThrow();
    expect((await getCurrentPolicy(db())).version).toBe(current.version);
  });
});

describe('finance messages', () => {
  it('has every finance message in Chinese too', () => {
    const keys = (tree: object, prefix = ''): string[] =>
      Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : keys(value as object, `${prefix}${key}.`)));
    expect(keys(zhCN.finance)).toEqual(keys(en.finance));
  });
});
