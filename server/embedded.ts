// `npm start`: the whole portal in one process on the embedded database, with
// demo data. Web and worker are composed here explicitly; production runs
// them apart (server/web.ts, workers/main.ts).
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { ServerBuild } from '@remix-run/node';
import { createDb } from '../db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';
import { migrateToLatest } from '../db/migrate.js';
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoData } from '../db/seed.js';
import { ConfigError, parseEnv } from '../app/utils/env.server.js';
import { migrateQueueSchema, queueConnection } from '../workers/queue.js';
import { startWorkers } from '../workers/start.js';
import { createServices } from './services.js';
import { onShutdown } from './shutdown.js';
import { createWebApp } from './web-app.js';

const dataDir = path.resolve(process.env.DATA_DIR ?? 'data');
mkdirSync(dataDir, { recursive: true });
const port = Number(process.env.PORT ?? 3000);

let embedded: EmbeddedPostgres | undefined;
if (!process.env.DATABASE_URL) {
  try {
    embedded = await startEmbeddedPostgres(path.join(dataDir, 'pg'));
  } catch (error) {
    console.error(`Cannot start the embedded database in ${dataDir}/pg: ${(error as Error).message}`);
    process.exit(1);
  }
}

let env;
try {
  env = parseEnv({
    ...process.env,
    NODE_ENV: process.env.NODE_ENV ?? 'production',
    DATABASE_URL: process.env.DATABASE_URL ?? embedded!.url,
    VAULT_KEY: process.env.VAULT_KEY ?? embeddedVaultKey(),
    PUBLIC_URL: process.env.PUBLIC_URL ?? `http://localhost:${port}`,
    PORT: String(port),
  });
} catch (error) {
  if (error instanceof ConfigError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

try {
  // Before the services open their queue: BullMQ checks its schema on connect.
  const migrationDb = createDb(env.DATABASE_URL, 2);
  await migrateToLatest(migrationDb);
  await migrationDb.destroy();
  await migrateQueueSchema(queueConnection(env));
} catch (error) {
  console.error(`Cannot migrate the database: ${(error as Error).message}`);
  process.exit(1);
}
const services = createServices(env);
const seeded = await seedDemoData(services.db, services.vaultKeys);
const workers = await startWorkers(services);

const buildDir = path.resolve('build');
const build = (await import(path.join(buildDir, 'server/index.js'))) as ServerBuild;
const app = createWebApp(services, build, path.join(buildDir, 'client'));
const server = app.listen(env.PORT, env.HOST);
server.on('error', (error: NodeJS.ErrnoException) => {
  console.error(
    error.code === 'EADDRINUSE'
      ? `Port ${env.PORT} is already in use; start with another, e.g. PORT=3001 npm start`
      : `Cannot listen on port ${env.PORT}: ${error.message}`,
  );
  process.exit(1);
});
server.on('listening', () => {
  const width = Math.max(...DEMO_LOGINS.map((login) => login.role.length));
  console.log(
    [
      '',
      `Candor is running at ${env.PUBLIC_URL}`,
      `  database: ${embedded ? `embedded PGlite in ${path.relative(process.cwd(), dataDir)}/pg` : 'DATABASE_URL'}` +
        `${seeded ? ' (demo data seeded)' : ''}; queue: ${env.REDIS_URL ? 'Redis' : 'BullMQ on PostgreSQL'}`,
      `  mail: ${env.SMTP_URL ? 'SMTP_URL' : `kept in the database; read it at ${env.PUBLIC_URL}/admin/mailbox (as admin)`}`,
      '',
      `Demo logins (password: ${DEMO_PASSWORD}):`,
      ...DEMO_LOGINS.map((login) => `  ${login.role.padEnd(width)}  ${login.email}`),
      '',
      'Press Ctrl+C to stop; data stays in ./data.',
      '',
    ].join('\n'),
  );
});

onShutdown(services.logger, async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await workers.close();
  await services.close();
  await embedded?.stop();
});

/** The vault key for the embedded mode: generated once into ./data, never committed. */
function embeddedVaultKey(): string {
  const file = path.join(dataDir, 'vault.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(32).toString('base64');
  writeFileSync(file, `${key}\n`, { mode: 0o600 });
  console.log(`Generated a vault key into ${path.relative(process.cwd(), file)} (set VAULT_KEY to use your own).`);
  return key;
}
