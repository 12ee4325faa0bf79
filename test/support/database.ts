import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { createDb, type Db } from '../../db/client.js';
import { startEmbeddedPostgres } from '../../db/embedded.js';
import { migrateToLatest } from '../../db/migrate.js';

export interface TestDatabase {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/**
 * A fresh, migrated database for one test file: a new database on the server
 * at DATABASE_URL when it is set, else a new in-memory embedded PGlite.
 * Nothing is left behind either way.
 */
export async function createTestDatabase(): Promise<TestDatabase> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) {
    const embedded = await startEmbeddedPostgres();
    const db = createDb(embedded.url, 10);
    await migrateToLatest(db);
    return {
      url: embedded.url,
      db,
      async close() {
        await db.destroy();
        await embedded.stop();
      },
    };
  }
  const name = `candor_test_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const db = createDb(url.toString(), 10);
  await migrateToLatest(db);
  return {
    url: url.toString(),
    db,
    async close() {
      await db.destroy();
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
