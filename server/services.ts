import pino from 'pino';
import { sql } from 'kysely';
import { createDb } from '../db/client.js';
import { VaultKeys } from '../app/domain/identity/vault.server.js';
import type { Env } from '../app/utils/env.server.js';
import { createMailer } from '../app/utils/mail.server.js';
import type { AppServices } from '../app/utils/services.server.js';
import { openQueue, QUEUES, queueConnection } from '../workers/queue.js';

/** Paths whose values must never reach a log line. */
const REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'res.headers["set-cookie"]',
  '*.password',
  '*.email',
  '*.name',
  '*.token',
  'VAULT_KEY',
  'DATABASE_URL',
  'REDIS_URL',
  'SMTP_URL',
];

export function createLogger(env: Env) {
  return pino({ level: env.LOG_LEVEL, redact: { paths: REDACT, censor: '[redacted]' } });
}

/** Builds the services one process needs; the caller closes them. */
export function createServices(env: Env, logger = createLogger(env)) {
  const db = createDb(env.DATABASE_URL, env.DATABASE_POOL_SIZE);
  const eventsQueue = openQueue(QUEUES.events, queueConnection(env));
  // A queue that cannot reach its backend emits 'error' repeatedly while it
  // retries; log it once per burst instead of crashing.
  eventsQueue.on('error', (error) => logger.warn({ err: error.message }, 'queue error'));
  const services: AppServices & { eventsQueue: typeof eventsQueue; close(): Promise<void> } = {
    env,
    db,
    logger,
    vaultKeys: new VaultKeys(env.VAULT_KEY),
    mailer: createMailer({
      smtpUrl: env.SMTP_URL,
      from: env.MAIL_FROM,
      db,
      // Only the error code: SMTP messages may quote the address.
      onError: (error) => logger.error({ code: (error as { code?: unknown }).code ?? null }, 'sending mail failed'),
    }),
    eventsQueue,
    async queueHealthy() {
      try {
        await withTimeout(eventsQueue.getJobCounts('waiting'), 2_000);
        return true;
      } catch {
        return false;
      }
    },
    async close() {
      await services.mailer.drain();
      await eventsQueue.close().catch(() => undefined);
      await db.destroy();
    },
  };
  return services;
}

export type Services = ReturnType<typeof createServices>;

export async function databaseHealthy(services: Pick<AppServices, 'db'>): Promise<boolean> {
  try {
    await withTimeout(sql`SELECT 1`.execute(services.db), 2_000);
    return true;
  } catch {
    return false;
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}
