// The money promise under the worst worker failure: the worker process is
// killed with SIGKILL at random points while it pays 100 rewards, at least 20
// times, against real PostgreSQL and Redis. Afterwards every approved reward
// is paid exactly once — counted by the payment provider itself — and the
// ledger balances. The provider executes a payment on receipt and answers a
// moment later, so kills land between "the provider paid" and "we recorded
// it"; only the idempotency key keeps the retry from paying again.
import { type ChildProcess, spawn } from 'node:child_process';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomSecret } from '../app/utils/crypto.server.js';
import { startTestPaymentProvider, type TestPaymentProvider } from './support/payment-provider.js';
import { makeApprovedReward, makeRewardWorld } from './support/rewards.js';
import { createTestApp, TEST_PUBLIC_URL, type TestApp } from './support/services.js';

const REWARDS = 100;
const KILLS = 20;
const realBackends = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

let app: TestApp;
let provider: TestPaymentProvider;
const secret = randomSecret() + randomSecret();
const rewardIds: string[] = [];

describe.skipIf(!realBackends)('payouts while the worker is killed again and again', () => {
  beforeAll(async () => {
    app = await createTestApp();
    provider = await startTestPaymentProvider({ secret, delayMs: () => 500 + Math.floor(Math.random() * 500) });
    const world = await makeRewardWorld(app, 1_000_000_00n);
    for (let index = 0; index < REWARDS; index += 1) rewardIds.push((await makeApprovedReward(app, world)).rewardId);
  }, 300_000);

  afterAll(async () => {
    await provider?.close();
    await app?.close();
  });

  function startWorker(): { child: ChildProcess; ready: Promise<void>; exited: Promise<void> } {
    const { env } = app.services;
    // `node --import tsx`, not the tsx launcher: SIGKILL must hit the worker itself, not a parent.
    const child = spawn(process.execPath, ['--import', 'tsx', 'workers/main.ts'], {
      env: {
        PATH: process.env.PATH ?? '',
        NODE_ENV: 'production',
        DATABASE_URL: env.DATABASE_URL,
        REDIS_URL: env.REDIS_URL,
        QUEUE_PREFIX: env.QUEUE_PREFIX,
        PUBLIC_URL: TEST_PUBLIC_URL,
        VAULT_KEY: env.VAULT_KEY,
        PAYOUT_ADAPTER: 'webhook',
        PAYOUT_WEBHOOK_URL: provider.url,
        PAYOUT_WEBHOOK_SECRET: secret,
        LOG_LEVEL: 'info',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    const ready = new Promise<void>((resolve, reject) => {
      const check = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('workers started')) resolve();
      };
      child.stdout!.on('data', check);
      child.stderr!.on('data', check);
      child.on('exit', () => reject(new Error(`worker exited before it started:\n${output}`)));
    });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    return { child, ready, exited };
  }

  async function paidCount(): Promise<number> {
    const row = await app.services.db
      .selectFrom('reward')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('id', 'in', rewardIds)
      .where('status', '=', 'paid')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  it('pays every approved reward exactly once, and the ledger balances', async () => {
    let kills = 0;
    const paidBetweenKills: number[] = [];
    while (kills < KILLS) {
      const worker = startWorker();
      await worker.ready;
      await new Promise((resolve) => setTimeout(resolve, 150 + Math.floor(Math.random() * 850)));
      worker.child.kill('SIGKILL');
      await worker.exited;
      kills += 1;
      paidBetweenKills.push(await paidCount());
    }
    // The last worker is left alone to finish; stalled jobs and the reconciler bring back what the kills interrupted.
    const last = startWorker();
    await last.ready;
    const deadline = Date.now() + 150_000;
    while ((await paidCount()) < REWARDS && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 500));
    last.child.kill('SIGTERM');
    await last.exited;

    expect(kills).toBeGreaterThanOrEqual(KILLS);
    // The kills really interrupted payouts in progress, not an idle worker.
    expect(paidBetweenKills.at(-1)).toBeLessThan(REWARDS);
    expect(await paidCount()).toBe(REWARDS);
    const db = app.services.db;
    const payments = await db.selectFrom('payment').select(['id', 'reward_id', 'status']).where('reward_id', 'in', rewardIds).execute();
    expect(payments).toHaveLength(REWARDS);
    expect(new Set(payments.map((payment) => payment.reward_id)).size).toBe(REWARDS);
    // The provider's own count: one execution per payment, none twice.
    for (const payment of payments) expect(provider.executions.get(payment.id), `payment ${payment.id}`).toBe(1);
    expect([...provider.executions.values()].reduce((sum, count) => sum + count, 0)).toBe(REWARDS);
    const totals = await sql<{ total: string }>`SELECT coalesce(sum(amount_minor), 0)::text AS total FROM ledger_entry`.execute(db);
    expect(totals.rows[0]!.total).toBe('0');
    const settles = await db.selectFrom('ledger_transaction').select('id').where('kind', '=', 'settle').execute();
    expect(settles).toHaveLength(REWARDS);
  }, 600_000);
});
