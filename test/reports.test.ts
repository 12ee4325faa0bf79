// Payout reports: every figure is a sum of ledger entries (settlements less
// their reversals), the per-month, per-area and per-group breakdowns add up
// to the total, customer groups follow the anonymity rule, each row links to
// exactly the ledger transactions behind it, and the CSV carries the same
// exact decimals. Also the money settings on /admin/settings.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { foldSmallGroups, groupOrgs, type OrgPopulation } from '../app/domain/insights/org-breakdown.server.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { exportBatch, markBatchSent, reconcileBatchPayment } from '../app/domain/payouts/batches.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import { PAID_TRANSACTION_KINDS } from '../app/domain/reports/ledger-query.js';
import { listLedger } from '../app/domain/reports/list-ledger.server.js';
import { getPaidReport } from '../app/domain/reports/paid-report.server.js';
import { monthOf, parseReportQuery } from '../app/domain/reports/report-query.js';
import { getSettings } from '../app/domain/settings/settings.server.js';
import en from '../app/locales/en.js';
import * as adminSettingsRoute from '../app/routes/admin.settings.js';
import * as ledgerRoute from '../app/routes/finance.ledger.js';
import * as reportsCsvRoute from '../app/routes/finance.reports[.]csv.js';
import * as reportsRoute from '../app/routes/finance.reports.js';
import { csvCell } from '../app/utils/csv.js';
import { encodeCursor } from '../app/utils/cursor.server.js';
import type { ValueTier } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
/** Three customers: strategic with 8 members, major with 6, and a small one of 1 (below k = 5). */
let strategic: RewardWorld;
let major: RewardWorld;
let small: RewardWorld;
const orgNames: string[] = [];
const thisMonth = monthOf(new Date());
/** The payment paid and then returned by the bank. */
let recalledPaymentId: string;

const db = () => app.services.db;

/** A customer with its own pool, area and tier, `paid` rewards paid through a bank batch, and `members` active members in all. */
async function customer(tier: ValueTier, areaName: string, paid: number, members: number): Promise<{ world: RewardWorld; paymentIds: string[] }> {
  const world = await makeRewardWorld(app, 1_000_000_00n);
  await db().updateTable('org').set({ value_tier: tier }).where('id', '=', world.orgId).execute();
  await db().updateTable('product_area').set({ name_en: areaName, name_zh: `${areaName}（中文）` }).where('id', '=', world.areaId).execute();
  orgNames.push((await db().selectFrom('org').select('name').where('id', '=', world.orgId).executeTakeFirstOrThrow()).name);
  const paymentIds: string[] = [];
  for (let index = 0; index < paid; index += 1) {
    const { rewardId } = await makeApprovedReward(app, world);
    await runPayout({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) }, rewardId);
    paymentIds.push((await db().selectFrom('payment').select('id').where('reward_id', '=', rewardId).executeTakeFirstOrThrow()).id);
  }
  for (let index = paid; index < members; index += 1) await makeUser(app, { orgId: world.orgId });
  return { world, paymentIds };
}

beforeAll(async () => {
  app = await createTestApp();
  const a = await customer('strategic', 'Core network', 2, 8);
  const b = await customer('major', 'Radio', 3, 6);
  const c = await customer('standard', 'Billing', 1, 1);
  [strategic, major, small] = [a.world, b.world, c.world];
  const finance = strategic.financeAdmin;
  const batch = await db().selectFrom('payment_batch').select('id').where('status', '=', 'open').executeTakeFirstOrThrow();
  await exportBatch(db(), finance, { batchId: batch.id });
  await markBatchSent(db(), finance, { batchId: batch.id });
  for (const paymentId of [...a.paymentIds, ...b.paymentIds, ...c.paymentIds]) {
    await reconcileBatchPayment(db(), finance, { batchId: batch.id, paymentId, outcome: 'paid' });
  }
  // The bank recalls one of the major customer's payments after it was paid.
  recalledPaymentId = b.paymentIds[0]!;
  await reconcileBatchPayment(db(), finance, { batchId: batch.id, paymentId: recalledPaymentId, outcome: 'returned', reason: 'Recalled' });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function call(handler: Handler, path: string, as: Pick<Actor, 'id'>, form?: Record<string, string>) {
  const request = makeRequest(path, { form, cookie: await sessionCookieFor(app, as.id) });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
  if (response) return { status: response.status, response, data: undefined as any };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: any; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, response: undefined };
  }
  return { status: 200, data: value as any, response: undefined };
}

/** What the ledger says was paid: paid_out entries of settlements and their reversals. */
async function paidOutInLedger(): Promise<string> {
  const { rows } = await sql<{ total: string }>`
    SELECT coalesce(sum(e.amount_minor), 0)::text AS total
      FROM ledger_entry e
      JOIN ledger_account a ON a.id = e.account_id
      JOIN ledger_transaction t ON t.id = e.transaction_id
     WHERE a.kind = 'paid_out' AND t.kind IN ('settle', 'reverse_settle')`.execute(db());
  return rows[0]!.total;
}

const sum = (values: string[]) => values.reduce((total, value) => total + BigInt(value), 0n).toString();

describe('paid report', () => {
  it('totals equal the paid-out entries in the ledger, and every breakdown adds up to them', async () => {
    const report = await getPaidReport(db(), strategic.approver, { from: thisMonth, to: thisMonth, locale: 'en' });
    // Six settled, one recalled: five payments of 10,000.00 gross, 2,000.00 withheld, 8,000.00 net.
    expect(report.totals).toEqual([{ currency: 'CNY', payments: 5, grossMinor: '5000000', withheldMinor: '1000000', netMinor: '4000000' }]);
    expect(report.totals[0]!.netMinor).toBe(await paidOutInLedger());
    for (const rows of [report.months, report.areas, report.groups]) {
      expect(sum(rows.map((row) => row.netMinor))).toBe('4000000');
      expect(sum(rows.map((row) => row.grossMinor))).toBe('5000000');
      expect(rows.reduce((total, row) => total + row.payments, 0)).toBe(5);
      for (const row of rows) expect(BigInt(row.grossMinor) - BigInt(row.withheldMinor)).toBe(BigInt(row.netMinor));
    }
    expect(report.months).toEqual([{ month: thisMonth, currency: 'CNY', payments: 5, grossMinor: '5000000', withheldMinor: '1000000', netMinor: '4000000' }]);
    expect(report.areas.map((row) => [row.areaName, row.payments, row.netMinor])).toEqual([
      ['Billing', 1, '800000'],
      ['Core network', 2, '1600000'],
      ['Radio', 2, '1600000'],
    ]);
  });

  it('shows every month of the period, quiet ones as zero', async () => {
    const year = thisMonth.slice(0, 4);
    const report = await getPaidReport(db(), strategic.approver, { from: `${year}-01`, to: `${year}-12`, locale: 'zh-CN' });
    expect(report.months.map((row) => row.month)).toEqual(Array.from({ length: 12 }, (_, index) => `${year}-${String(index + 1).padStart(2, '0')}`));
    expect(report.months.filter((row) => row.netMinor !== '0').map((row) => row.month)).toEqual([thisMonth]);
    expect(report.areas.map((row) => row.areaName)).toContain('Radio（中文）');
    const lastYear = await getPaidReport(db(), strategic.approver, { from: `${Number(year) - 1}-01`, to: `${Number(year) - 1}-12`, locale: 'en' });
    expect(lastYear.totals).toEqual([]);
  });

  it('groups customers by tier only when each group stands for at least k people, folding the rest into “other”', async () => {
    const report = await getPaidReport(db(), strategic.approver, { from: thisMonth, to: thisMonth, locale: 'en' });
    // The small customer (1 member) alone would single its member out, so the
    // smallest tier (major, 6) is counted with it: other = 7 people.
    expect(report.groups.map((row) => [row.group, row.payments, row.netMinor])).toEqual([
      ['strategic', 2, '1600000'],
      ['other', 3, '2400000'],
    ]);
    expect(report.groupsWithheld).toBe(false);
    const json = JSON.stringify(report);
    for (const name of orgNames) expect(json).not.toContain(name);
    for (const world of [strategic, major, small]) expect(json).not.toContain(world.orgId);
  });

  it('folds tiers as the anonymity module says, and hides everything when all customers are fewer than k', () => {
    const population = (members: Array<[ValueTier, number]>): OrgPopulation[] =>
      members.map(([tier, activeMembers], index) => ({ orgId: `org-${index}`, tier, activeMembers }));
    const folded = (members: Array<[ValueTier, number]>) => foldSmallGroups(groupOrgs(population(members), 5));
    // Nobody in "other": nothing to fold.
    expect(folded([['strategic', 5], ['major', 9]]).membersIn).toEqual({ strategic: 5, major: 9, standard: 0, other: 0 });
    // "Other" of 2 takes in the smallest tier.
    const two = folded([['strategic', 20], ['major', 6], ['standard', 2]]);
    expect(two.membersIn).toEqual({ strategic: 20, major: 0, standard: 0, other: 8 });
    expect(two.groupOf.get('org-1')).toBe('other');
    // Other already at k: left alone.
    expect(folded([['strategic', 20], ['standard', 3], ['major', 2]]).membersIn).toEqual({ strategic: 20, major: 0, standard: 0, other: 5 });
    // Everyone together below k: all "other", which is too few to show.
    expect(folded([['strategic', 2], ['major', 1]]).membersIn).toEqual({ strategic: 0, major: 0, standard: 0, other: 3 });
  });

  it('refuses a period that ends before it starts or spans more than ten years, on the page and in the CSV', async () => {
    expect(parseReportQuery(new URLSearchParams('from=2026-05&to=2026-01')).problem).toBe('period_reversed');
    expect(parseReportQuery(new URLSearchParams('from=2000-01&to=2026-01')).problem).toBe('period_too_long');
    expect(parseReportQuery(new URLSearchParams('from=2017-02&to=2027-01')).problem).toBeNull();
    // A malformed month falls back to the default period instead of failing.
    expect(parseReportQuery(new URLSearchParams('from=soon&to=2026-13'), new Date('2026-03-05T00:00:00Z')).query).toEqual({ from: '2026-01', to: '2026-03' });
    const page = await call(reportsRoute.loader as Handler, '/finance/reports?from=2026-05&to=2026-01', strategic.approver);
    expect(page.status).toBe(400);
    expect(page.data).toMatchObject({ problem: 'period_reversed', report: null });
    const csv = await call(reportsCsvRoute.loader as Handler, '/finance/reports.csv?from=2000-01&to=2026-01', strategic.approver);
    expect(csv.status).toBe(400);
    expect(await csv.response!.text()).toBe(`${en.payments.errors.period_too_long}\n`);
    await expect(getPaidReport(db(), strategic.approver, { from: '2026-05', to: '2026-01', locale: 'en' })).rejects.toMatchObject({ code: 'period_reversed' });
  });

  it('is for finance only', async () => {
    const member = await makeUser(app, { orgId: strategic.orgId });
    expect((await call(reportsRoute.loader as Handler, '/finance/reports', member)).status).toBe(403);
    expect((await call(ledgerRoute.loader as Handler, '/finance/ledger', member)).status).toBe(403);
    await expect(getPaidReport(db(), { id: member.id, orgId: strategic.orgId, roles: [] }, { from: thisMonth, to: thisMonth, locale: 'en' })).rejects.toMatchObject({
      status: 403,
    });
  });
});

describe('report CSV', () => {
  it('writes one breakdown per file with exact decimals, translated headers and customer groups by tier only', async () => {
    const path = (by: string) => `/finance/reports.csv?from=${thisMonth}&to=${thisMonth}&by=${by}`;
    const byMonth = await call(reportsCsvRoute.loader as Handler, path('month'), strategic.approver);
    expect(byMonth.status).toBe(200);
    expect(byMonth.response!.headers.get('Content-Disposition')).toBe(`attachment; filename="candor-paid-by-month-${thisMonth}-to-${thisMonth}.csv"`);
    const bytes = new Uint8Array(await byMonth.response!.arrayBuffer());
    // A UTF-8 byte order mark first, so Excel reads the Chinese headers as Chinese.
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(new TextDecoder().decode(bytes)).toBe(`Month,Currency,Payments,Gross,Withheld,Net\r\n${thisMonth},CNY,5,50000.00,10000.00,40000.00\r\n`);
    const byGroup = await (await call(reportsCsvRoute.loader as Handler, path('tier'), strategic.approver)).response!.text();
    expect(byGroup).toBe('Customer group,Currency,Payments,Gross,Withheld,Net\r\nStrategic customers,CNY,2,20000.00,4000.00,16000.00\r\nOther customers,CNY,3,30000.00,6000.00,24000.00\r\n');
    const byArea = await (await call(reportsCsvRoute.loader as Handler, path('area'), strategic.approver)).response!.text();
    expect(byArea.split('\r\n')[1]).toBe('Billing,CNY,1,10000.00,2000.00,8000.00');
    // A negative amount (more returned than paid in a month) stays a number, not text.
    expect(csvCell('-8000.00')).toBe('-8000.00');
    expect(csvCell('-8000.00 CNY')).toBe("'-8000.00 CNY");
  });
});

describe('ledger page', () => {
  const paidKinds = () => [...PAID_TRANSACTION_KINDS];
  const paidOut = (totals: Array<{ accountKind: string; amountMinor: string }>) => totals.find((row) => row.accountKind === 'paid_out')?.amountMinor;

  it('a report row’s link lists exactly the ledger transactions whose entries make its figure', async () => {
    const month = await listLedger(db(), strategic.approver, { query: { kinds: paidKinds(), from: thisMonth, to: thisMonth }, locale: 'en' });
    expect(month.matching).toBe(7);
    expect(paidOut(month.totals)).toBe('4000000');
    for (const transaction of month.transactions) {
      const sumOfEntries = transaction.entries.reduce((total, entry) => total + BigInt(entry.amountMinor), 0n);
      expect(sumOfEntries).toBe(0n);
      expect(transaction.paymentId).toBeTruthy();
      expect(transaction.batchId).toBeTruthy();
    }
    expect(month.transactions.filter((transaction) => transaction.kind === 'reverse_settle').map((transaction) => transaction.paymentId)).toEqual([
      recalledPaymentId,
    ]);

    const radio = await listLedger(db(), strategic.approver, { query: { kinds: paidKinds(), area: major.areaId }, locale: 'en' });
    expect(radio.matching).toBe(4);
    expect(paidOut(radio.totals)).toBe('1600000');

    const strategicGroup = await listLedger(db(), strategic.approver, { query: { kinds: paidKinds(), group: 'strategic' }, locale: 'en' });
    expect(paidOut(strategicGroup.totals)).toBe('1600000');
    const otherGroup = await listLedger(db(), strategic.approver, { query: { kinds: paidKinds(), group: 'other' }, locale: 'en' });
    expect(paidOut(otherGroup.totals)).toBe('2400000');
  });

  it('refuses a customer group the reports fold away, or one that would single people out, with 400', async () => {
    const folded = await call(ledgerRoute.loader as Handler, '/finance/ledger?group=major', strategic.approver);
    expect(folded.status).toBe(400);
    expect(folded.data).toMatchObject({ refusal: 'org_group_folded', page: null, k: 5 });
    // No customer is standard-tier with k members: nothing to select, nothing refused.
    const empty = await call(ledgerRoute.loader as Handler, '/finance/ledger?group=standard', strategic.approver);
    expect(empty.status).toBe(200);
    expect(empty.data.page.matching).toBe(0);
  });

  it('filters by pool, kind and month, and pages newest first', async () => {
    const pool = await listLedger(db(), strategic.approver, { query: { kinds: [], pool: strategic.poolId }, locale: 'en' });
    // Top-up, two reservations, two debits, two settlements.
    expect(pool.transactions.map((transaction) => transaction.kind).sort()).toEqual(['debit', 'debit', 'reserve', 'reserve', 'settle', 'settle', 'top_up']);
    expect(pool.transactions.map((transaction) => transaction.createdAt.getTime())).toEqual(
      [...pool.transactions.map((transaction) => transaction.createdAt.getTime())].sort((a, b) => b - a),
    );
    const topUps = await call(ledgerRoute.loader as Handler, `/finance/ledger?kind=top_up&from=${thisMonth}&to=${thisMonth}`, strategic.approver);
    expect(topUps.status).toBe(200);
    expect(topUps.data.page.matching).toBe(3);
    expect(topUps.data.page.transactions.every((transaction: { kind: string }) => transaction.kind === 'top_up')).toBe(true);
    const json = JSON.stringify(topUps.data);
    for (const name of orgNames) expect(json).not.toContain(name);

    // Keyset paging: the page after a transaction starts right after it, in the same order.
    const all = await listLedger(db(), strategic.approver, { query: { kinds: [] }, locale: 'en' });
    expect(all.next).toBeNull();
    expect(all.matching).toBe(all.transactions.length);
    const third = all.transactions[2]!;
    const rest = await listLedger(db(), strategic.approver, {
      query: { kinds: [], after: encodeCursor([third.createdAt.toISOString(), third.id]) },
      locale: 'en',
    });
    expect(rest.transactions.map((transaction) => transaction.id)).toEqual(all.transactions.slice(3).map((transaction) => transaction.id));
  });
});

describe('money settings', () => {
  const form = {
    anonymityThreshold: '5',
    currency: 'CNY',
    defaultLocale: 'en',
    sessionIdleMinutes: String(60 * 24 * 7),
    sessionAbsoluteDays: '30',
    inviteExpiryDays: '14',
    tierWeightStrategic: '5',
    tierWeightMajor: '3',
    tierWeightStandard: '1',
    postsPerHour: '10',
    commentsPerHour: '60',
    triageSlaHours: '48',
    mailSubjectsNeutral: 'on',
    twoApproverThreshold: '60,000.50',
    perPersonCap: '２００，０００',
    lowBalanceThreshold: '0',
    withholdingPercent: '15',
  };

  it('are entered as money in the portal currency and kept as minor units, audited', async () => {
    const admin = await makeUser(app, { roles: ['admin'] });
    const saved = await call(adminSettingsRoute.action as Handler, '/admin/settings', admin, form);
    expect(saved.status).toBe(302);
    expect(await getSettings(db())).toMatchObject({
      twoApproverThresholdMinor: '6000050',
      perPersonCapMinor: '20000000',
      lowBalanceThresholdMinor: '0',
      withholdingPercent: 15,
    });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['before', 'after'])
      .where('action', '=', 'setting.update')
      .where('subject_id', '=', 'twoApproverThresholdMinor')
      .executeTakeFirstOrThrow();
    expect(audit).toEqual({ before: { twoApproverThresholdMinor: '5000000' }, after: { twoApproverThresholdMinor: '6000050' } });
    const loaded = await call(adminSettingsRoute.loader as Handler, '/admin/settings', admin);
    expect(loaded.data.settings).toMatchObject({ twoApproverThresholdMinor: '6000050', currency: 'CNY' });

    // In a currency without decimals, the same typed digits mean whole units.
    await call(adminSettingsRoute.action as Handler, '/admin/settings', admin, { ...form, currency: 'JPY', twoApproverThreshold: '600000' });
    expect(await getSettings(db())).toMatchObject({ currency: 'JPY', twoApproverThresholdMinor: '600000' });
    // Put the defaults back for the tests that follow.
    await call(adminSettingsRoute.action as Handler, '/admin/settings', admin, {
      ...form,
      twoApproverThreshold: '50,000.00',
      perPersonCap: '200,000.00',
      lowBalanceThreshold: '100,000.00',
      withholdingPercent: '20',
    });
    expect(await getSettings(db())).toMatchObject({ currency: 'CNY', twoApproverThresholdMinor: '5000000', lowBalanceThresholdMinor: '10000000' });
  });

  it('refuse amounts that are not money in the currency, and a withholding rate out of range, changing nothing', async () => {
    const admin = await makeUser(app, { roles: ['admin'] });
    const before = await getSettings(db());
    const refused = await call(adminSettingsRoute.action as Handler, '/admin/settings', admin, {
      ...form,
      twoApproverThreshold: 'fifty thousand',
      perPersonCap: '1.234',
      lowBalanceThreshold: '99999999999999999',
      withholdingPercent: '61',
    });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error).toEqual({
      twoApproverThreshold: ['finance.errors.amount_invalid'],
      perPersonCap: ['finance.errors.amount_too_precise?currency=CNY&digits=2'],
      lowBalanceThreshold: ['finance.errors.amount_too_large'],
      withholdingPercent: ['admin.errors.outOfRange?min=0&max=60'],
    });
    const empty = await call(adminSettingsRoute.action as Handler, '/admin/settings', admin, { ...form, perPersonCap: '' });
    expect(empty.data.result.error).toEqual({ perPersonCap: ['common.errors.required'] });
    expect(await getSettings(db())).toEqual(before);
  });
});
