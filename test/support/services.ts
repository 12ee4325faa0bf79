import { randomBytes } from 'node:crypto';
import type { AppLoadContext } from '@remix-run/node';
import { createOrg, createUser, type CreatedUser } from '../../db/factories.js';
import type { Role } from '../../db/schema.js';
import { parseEnv } from '../../app/utils/env.server.js';
import { createLogger, createServices, type Services } from '../../server/services.js';
import { migrateQueueSchema, queueConnection } from '../../workers/queue.js';
import { createTestDatabase, type TestDatabase } from './database.js';

export const TEST_PUBLIC_URL = 'http://localhost:3000';
export const TEST_PASSWORD = 'correct-horse-battery-staple';

export interface TestApp {
  services: Services;
  database: TestDatabase;
  close(): Promise<void>;
}

/**
 * The services of one process, on a fresh database. With REDIS_URL set the
 * queue is on Redis under a prefix of its own; otherwise on the test database.
 */
export async function createTestApp(overrides: Record<string, string> = {}): Promise<TestApp> {
  const database = await createTestDatabase();
  const env = parseEnv({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(6).toString('hex')}`,
    PUBLIC_URL: TEST_PUBLIC_URL,
    VAULT_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
    ...overrides,
  });
  await migrateQueueSchema(queueConnection(env));
  const services = createServices(env, createLogger(env));
  return {
    services,
    database,
    async close() {
      if (env.REDIS_URL) await services.eventsQueue.obliterate({ force: true }).catch(() => undefined);
      await services.close();
      await database.close();
    },
  };
}

export function loadContext(app: TestApp, clientAddress = '203.0.113.7'): AppLoadContext {
  return { services: app.services, nonce: 'test-nonce', clientAddress };
}

let counter = 0;
/** A verified account; email unique per call unless given. */
export async function makeUser(
  app: TestApp,
  input: { orgId?: string | null; roles?: Role[]; email?: string; name?: string; verified?: boolean } = {},
): Promise<CreatedUser> {
  counter += 1;
  return createUser(app.services.db, app.services.vaultKeys, {
    email: input.email ?? `person${counter}-${randomBytes(3).toString('hex')}@example.com`,
    name: input.name ?? `Test Person ${counter}`,
    password: TEST_PASSWORD,
    orgId: input.orgId ?? null,
    roles: input.roles,
    verified: input.verified,
  });
}

export function makeOrg(app: TestApp, input: Parameters<typeof createOrg>[1]) {
  return createOrg(app.services.db, input);
}
