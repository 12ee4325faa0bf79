// Pools over time: period close (reported, never moved), the low-balance
// alert, and the daily comparison of payments with the ledger.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { comparePaymentsWithLedger } from '../app/domain/payouts/compare-payments-with-ledger.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import { closeFinishedPools, nextName, nextPeriod } from '../app/domain/pools/close-finished-pools.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, type TestApp } from './support/services.js';

let app: TestApp;
let world: RewardWorld;
const db = () => app.services.db;

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app, 1_000_000_00n);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

describe('period close', () => {
  it('closes a finished pool, reports what was unspent, and opens the next period empty', async () => {
    const lastYear = new Date().getUTCFullYear() - 1;
    const { id: oldPool } = await createPool(db(), world.financeAdmin, {
      name: `Operator complaint reward FY${lastYear}`,
      currency: 'CNY',
      budgetMinor: 2_000_000_00n,
      periodStart: `${lastYear}-01-01`,
      periodEnd: `${lastYear}-12-31`,
    });
    await topUpPool(db(), world.financeAdmin, { poolId: oldPool, amountMinor: 12_345_00n, reason: 'budget', submissionKey: randomId() });
    const closed = await closeFinishedPools(db(), app.services.vaultKeys, app.services.mailer);
    const mine = closed.find((pool) => pool.poolId === oldPool);
    expect(mine).toMatchObject({ unspentMinor: '1234500', reservedMinor: '0' });
    const next = await db().selectFrom('pool').selectAll().where('id', '=', mine!.nextPoolId).executeTakeFirstOrThrow();
    expect(next).toMatchObject({
      name: `Operator complaint reward FY${lastYear + 1}`,
      period_start: `${lastYear + 1}-01-01`,
      period_end: `${lastYear + 1}-12-31`,
      budget_minor: '200000000',
      closed_at: null,
    });
    // Unspent money stays in the closed pool: reported, never moved.
    expect((await getPoolBalances(db(), oldPool)).available).toBe('1234500');
    expect((await getPoolBalances(db(), next.id)).available).toBe('0');
    const audit = await db().selectFrom('audit_log').select('after').where('action', '=', 'pool.close').where('subject_id', '=', oldPool).executeTakeFirstOrThrow();
    expect(audit.after).toMatchObject({ unspentMinor: '1234500' });
    const mails = await db().selectFrom('dev_mail').select('subject').where('subject', '=', 'A reward pool period has closed').execute();
    expect(mails.length).toBeGreaterThan(0);
    expect((await closeFinishedPools(db(), app.services.vaultKeys, app.services.mailer)).find((pool) => pool.poolId === oldPool)).toBeUndefined();
  });

  it('computes the next period and name', () => {
    expect(nextPeriod('2026-01-01', '2026-12-31')).toEqual({ start: '2027-01-01', end: '2027-12-31' });
    expect(nextPeriod('2026-04-01', '2026-06-30')).toEqual({ start: '2026-07-01', end: '2026-09-30' });
    expect(nextPeriod('2027-12-01', '2028-01-31')).toEqual({ start: '2028-02-01', end: '2028-03-31' });
    expect(nextPeriod('2026-03-10', '2026-03-19')).toEqual({ start: '2026-03-20', end: '2026-03-29' });
    expect(nextName('Rewards FY2026', '2026-01-01', '2027-01-01')).toBe('Rewards FY2027');
    expect(nextName('Rewards', '2026-04-01', '2026-07-01')).toBe('Rewards (from 2026-07-01)');
    expect(nextName('Rewards (from 2026-07-01)', '2026-07-01', '2026-10-01')).toBe('Rewards (from 2026-10-01)');
  });
});

describe('low-balance alert', () => {
  it('announces the crossing below the threshold once, not every approval below it', async () => {
    const balance = BigInt((await getPoolBalances(db(), world.poolId)).available);
    // The next 10,000.00 reward crosses the threshold; the one after is already below it.
    await updateSettings(db(), world.financeAdmin.id, { lowBalanceThresholdMinor: String(balance - 500_000n) });
    await makeApprovedReward(app, world);
    await makeApprovedReward(app, world);
    const alerts = await db().selectFrom('outbox').select('payload').where('topic', '=', 'pool.low_balance').execute();
    expect(alerts).toEqual([{ payload: { poolId: world.poolId } }]);
    await updateSettings(db(), world.financeAdmin.id, { lowBalanceThresholdMinor: '10000000' });
  });
});

describe('daily comparison of payments with the ledger', () => {
  it('finds nothing when they agree, and reports a payment marked paid without its settlement', async () => {
    const { rewardId } = await makeApprovedReward(app, world);
    await runPayout({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) }, rewardId);
    expect(await comparePaymentsWithLedger(db(), app.services.vaultKeys, app.services.mailer)).toEqual([]);
    // Someone marks a payment paid behind the ledger's back.
    const payment = await db().selectFrom('payment').select('id').where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
    await db().updateTable('payment').set({ status: 'paid' }).where('id', '=', payment.id).execute();
    expect(await comparePaymentsWithLedger(db(), app.services.vaultKeys, app.services.mailer)).toEqual([
      { paymentId: payment.id, problem: 'missing_settle' },
    ]);
    const mails = await db().selectFrom('dev_mail').select('text_body').where('subject', '=', 'Payments and ledger disagree').execute();
    expect(mails.some((mail) => mail.text_body.includes(payment.id))).toBe(true);
  });
});
