import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateQueueSchema, queueConnection } from '../workers/queue.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

const TSX = 'node_modules/.bin/tsx';

function run(script: string, env: Record<string, string>, untilOutput?: RegExp) {
  const child = spawn(TSX, [script], {
    env: { NODE_ENV: 'test', PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = untilOutput
    ? new Promise<void>((resolve, reject) => {
        const check = () => (untilOutput.test(stdout + stderr) ? resolve() : undefined);
        child.stdout.on('data', check);
        child.stderr.on('data', check);
        void exited.then(() => reject(new Error(`exited before ready:\n${stdout}\n${stderr}`)));
      })
    : Promise.resolve();
  return { child, exited, ready, output: () => ({ stdout, stderr }) };
}

const validKey = randomBytes(32).toString('base64');

describe('process start-up', () => {
  it('stops with one line naming each missing variable', async () => {
    const web = run('server/web.ts', {});
    expect(await web.exited).toBe(1);
    const { stdout, stderr } = web.output();
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain('DATABASE_URL is missing');
    expect(stderr).toContain('VAULT_KEY is missing');
    expect(stderr).toContain('PUBLIC_URL is missing');
  });

  it('names a malformed variable and says what it must be', async () => {
    const worker = run('workers/main.ts', {
      DATABASE_URL: 'mysql://nope',
      PUBLIC_URL: 'http://localhost:3000',
      VAULT_KEY: 'short',
    });
    expect(await worker.exited).toBe(1);
    const { stderr } = worker.output();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/DATABASE_URL must be a postgres/);
    expect(stderr).toMatch(/VAULT_KEY must be 32 random bytes/);
  });

  it('stops with one clear line when the database is down at start', async () => {
    const web = run('server/web.ts', {
      DATABASE_URL: 'postgres://root@127.0.0.1:9/none',
      PUBLIC_URL: 'http://localhost:3000',
      VAULT_KEY: validKey,
    });
    expect(await web.exited).toBe(1);
    const { stderr } = web.output();
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/Cannot reach the database at DATABASE_URL \(ECONNREFUSED\)/);
  });

  it('stops with one clear line when Redis is down at start', async () => {
    const database = await createTestDatabase();
    try {
      const worker = run('workers/main.ts', {
        DATABASE_URL: database.url,
        REDIS_URL: 'redis://127.0.0.1:9',
        PUBLIC_URL: 'http://localhost:3000',
        VAULT_KEY: validKey,
      });
      expect(await worker.exited).toBe(1);
      const { stderr } = worker.output();
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr).toMatch(/Cannot reach Redis at REDIS_URL/);
    } finally {
      await database.close();
    }
  });
});

describe('worker process', () => {
  let database: TestDatabase;
  let worker: ReturnType<typeof run> | undefined;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(async () => {
    worker?.child.kill('SIGKILL');
    await database?.close();
  });

  it('shuts down gracefully on SIGTERM', async () => {
    const env = {
      DATABASE_URL: database.url,
      PUBLIC_URL: 'http://localhost:3000',
      VAULT_KEY: validKey,
      QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
      ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    };
    await migrateQueueSchema(queueConnection({ DATABASE_URL: env.DATABASE_URL, REDIS_URL: process.env.REDIS_URL }));
    worker = run('workers/main.ts', env, /workers started/);
    await worker.ready;
    (worker.child as ChildProcess).kill('SIGTERM');
    expect(await worker.exited).toBe(0);
    expect(worker.output().stdout).toContain('shutting down');
  });
});
