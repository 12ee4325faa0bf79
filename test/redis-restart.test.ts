// The database, not the queue, is the truth: Redis is restarted while the
// worker is relaying events and paying rewards — once keeping its data, once
// coming back empty — and afterwards no outbox event and no payout is lost,
// and none happened twice. The test runs its own Redis on a free port so it
// can stop and start it without disturbing other test files.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { randomSecret } from '../app/utils/crypto.server.js';
import { relayOutbox } from '../workers/outbox-relay.js';
import { startWorkers } from '../workers/start.js';
import { startTestPaymentProvider } from './support/payment-provider.js';
import { makeApprovedReward, makeRewardWorld } from './support/rewards.js';
import { createTestApp, type TestApp } from './support/services.js';

const REWARDS = 20;

function hasRedisServer(): boolean {
  try {
    execFileSync('redis-server', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

class LocalRedis {
  private process: ChildProcess | null = null;
  constructor(
    readonly port: number,
    private dir: string,
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  async start(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      child.stdout!.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      });
      child.on('exit', () => reject(new Error(`redis-server exited:\n${output}`)));
    });
  }

  /** Stops Redis; its append-only file stays unless `forget` is set, which starts it empty next time. */
  async stop({ forget }: { forget: boolean }): Promise<void> {
    const child = this.process;
    if (!child) return;
    const exited = new Promise((resolve) => child.on('exit', resolve));
    child.kill(forget ? 'SIGKILL' : 'SIGTERM');
    await exited;
    this.process = null;
    if (forget) {
      rmSync(this.dir, { recursive: true, force: true });
      this.dir = mkdtempSync(path.join(tmpdir(), 'candor-redis-'));
    }
  }

  async close(): Promise<void> {
    await this.stop({ forget: true });
    rmSync(this.dir, { recursive: true, force: true });
  }
}

let cleanup: (() => Promise<void>) | null = null;
afterEach(async () => {
  await cleanup?.();
  cleanup = null;
});

describe.skipIf(!hasRedisServer())('Redis restarted while the worker is busy', () => {
  it.each([
    ['keeping its data', false],
    ['coming back empty', true],
  ])('%s: every event is handled and every reward paid once', async (_label, forget) => {
    const redis = new LocalRedis(await freePort(), mkdtempSync(path.join(tmpdir(), 'candor-redis-')));
    await redis.start();
    const secret = randomSecret() + randomSecret();
    // A provider that takes a while, so payout jobs are still waiting in Redis when it goes.
    const provider = await startTestPaymentProvider({ secret, delayMs: () => 300 });
    const app: TestApp = await createTestApp({
      REDIS_URL: redis.url,
      PAYOUT_ADAPTER: 'webhook',
      PAYOUT_WEBHOOK_URL: provider.url,
      PAYOUT_WEBHOOK_SECRET: secret,
    });
    let workers: Awaited<ReturnType<typeof startWorkers>> | null = null;
    cleanup = async () => {
      await workers?.close().catch(() => undefined);
      await app.close().catch(() => undefined);
      await provider.close();
      await redis.close();
    };
    const db = app.services.db;
    const world = await makeRewardWorld(app, 1_000_000_00n);
    const rewardIds: string[] = [];
    for (let index = 0; index < REWARDS; index += 1) rewardIds.push((await makeApprovedReward(app, world)).rewardId);

    // Every event is in Redis (and marked enqueued in the database) before the worker starts.
    while ((await relayOutbox(db, app.services.eventsQueue)) > 0);
    workers = await startWorkers(app.services, { reconcileEveryMs: 1_000, staleAfterSeconds: 2 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    await redis.stop({ forget });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    await redis.start();

    const deadline = Date.now() + 90_000;
    const unfinished = async () => {
      const events = await db.selectFrom('outbox').select('id').where('processed_at', 'is', null).execute();
      const unpaid = await db
        .selectFrom('reward')
        .select('id')
        .where('id', 'in', rewardIds)
        .where((eb) => eb.not(eb.exists(eb.selectFrom('payment').select('id').whereRef('payment.reward_id', '=', 'reward.id').where('payment.status', '=', 'paid'))))
        .execute();
      return events.length + unpaid.length;
    };
    while ((await unfinished()) > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 250));

    expect(await db.selectFrom('outbox').select(['topic', 'processed_at']).where('processed_at', 'is', null).execute()).toEqual([]);
    const payments = await db.selectFrom('payment').select(['id', 'reward_id', 'status']).where('reward_id', 'in', rewardIds).execute();
    expect(payments).toHaveLength(REWARDS);
    expect(new Set(payments.map((payment) => payment.reward_id)).size).toBe(REWARDS);
    expect(payments.every((payment) => payment.status === 'paid')).toBe(true);
    for (const payment of payments) expect(provider.executions.get(payment.id)).toBe(1);
    const debits = await db.selectFrom('ledger_transaction').select('id').where('kind', '=', 'debit').execute();
    expect(debits).toHaveLength(REWARDS);
    const totals = await sql<{ total: string }>`SELECT coalesce(sum(amount_minor), 0)::text AS total FROM ledger_entry`.execute(db);
    expect(totals.rows[0]!.total).toBe('0');
  }, 180_000);
});
