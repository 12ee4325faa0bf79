import { Redis } from 'ioredis';
import pg from 'pg';
import type { Env } from '../app/utils/env.server.js';

/**
 * Start-up checks: when the database or Redis is down, the process stops with
 * one clear line and a non-zero exit instead of a stack of retries.
 */
export async function exitUnlessBackendsReachable(env: Pick<Env, 'DATABASE_URL' | 'REDIS_URL'>): Promise<void> {
  const problem = (await databaseProblem(env.DATABASE_URL)) ?? (env.REDIS_URL ? await redisProblem(env.REDIS_URL) : undefined);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}

async function databaseProblem(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return `Cannot reach the database at DATABASE_URL (${describe(error)}); is PostgreSQL running?`;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function redisProblem(url: string): Promise<string | undefined> {
  const redis = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
  redis.on('error', () => undefined);
  try {
    await redis.connect();
    await redis.ping();
    return undefined;
  } catch (error) {
    return `Cannot reach Redis at REDIS_URL (${describe(error)}); is Redis running?`;
  } finally {
    redis.disconnect();
  }
}

function describe(error: unknown): string {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? message ?? String(error);
}
