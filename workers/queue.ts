import {
  createPostgresBackend,
  runMigrations,
  type JobsOptions,
  type Processor,
  Queue,
  Worker,
  type WorkerOptions,
} from 'bullmq';
import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Where BullMQ keeps its jobs: Redis when REDIS_URL is set (production
 * default, several times faster), else BullMQ's PostgreSQL backend on the
 * app's own database (embedded mode). See docs/decisions/0005-queue-and-outbox.md.
 */
export type QueueConnection =
  | { kind: 'redis'; url: string; prefix?: string }
  | { kind: 'postgres'; url: string };

export function queueConnection(env: { REDIS_URL?: string; DATABASE_URL: string; QUEUE_PREFIX?: string }): QueueConnection {
  return env.REDIS_URL
    ? { kind: 'redis', url: env.REDIS_URL, prefix: env.QUEUE_PREFIX }
    : { kind: 'postgres', url: env.DATABASE_URL };
}

/** Queue names (kebab) and the jobs each carries (dotted). */
export const QUEUES = {
  events: 'events',
  maintenance: 'maintenance',
  payouts: 'payouts',
} as const;

const DEFAULT_JOB_OPTIONS: JobsOptions = {
  attempts: 8,
  backoff: { type: 'exponential', delay: 1_000 },
  removeOnComplete: { age: 24 * 3600, count: 10_000 },
  removeOnFail: { age: 7 * 24 * 3600 },
};

function redisClient(url: string): Redis {
  // Workers block on Redis; BullMQ requires unlimited retries per request.
  const client = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: false });
  // While Redis is away ioredis reconnects on its own; the queue or worker
  // using this client reports the outage through its own 'error' event.
  client.on('error', () => undefined);
  return client;
}

// Queues and workers on either backend; the backend type parameter differs,
// the API used here does not.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AppQueue = Queue<any, any, string, any, any, string, any, any>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AppWorker = Worker<any, any, string, any, any, any>;

export function openQueue(name: string, connection: QueueConnection): AppQueue {
  if (connection.kind === 'redis') {
    return new Queue(name, {
      connection: redisClient(connection.url),
      prefix: connection.prefix,
      defaultJobOptions: DEFAULT_JOB_OPTIONS,
    });
  }
  return new Queue(
    name,
    { connection: { connectionString: connection.url, max: 4 }, defaultJobOptions: DEFAULT_JOB_OPTIONS },
    createPostgresBackend,
  );
}

export function startQueueWorker(
  name: string,
  processor: Processor,
  connection: QueueConnection,
  options: Omit<WorkerOptions, 'connection'> = {},
): AppWorker {
  if (connection.kind === 'redis') {
    return new Worker(name, processor, { ...options, prefix: connection.prefix, connection: redisClient(connection.url) });
  }
  return new Worker(
    name,
    processor,
    {
      // The embedded database does not pass NOTIFY on to the worker's LISTEN
      // connection, so an idle worker notices new jobs only when its wait
      // times out: keep that wait short. On real PostgreSQL NOTIFY wakes it.
      drainDelay: 1,
      ...options,
      connection: { connectionString: connection.url, max: 4 },
    },
    createPostgresBackend,
  );
}

/**
 * Creates or upgrades BullMQ's own tables (schema "bullmq") when the queue
 * runs on PostgreSQL; part of `npm run db:migrate` and the embedded start.
 */
export async function migrateQueueSchema(connection: QueueConnection): Promise<void> {
  if (connection.kind !== 'postgres') return;
  const client = new pg.Client({ connectionString: connection.url });
  await client.connect();
  try {
    await runMigrations(client);
  } finally {
    await client.end();
  }
}
