// `npm run db:migrate`: the app's migrations, and BullMQ's tables when the
// queue runs on PostgreSQL (no REDIS_URL).
import { z } from 'zod';
import { migrateQueueSchema, queueConnection } from '../workers/queue.js';
import { createDb } from './client.js';
import { migrateToLatest } from './migrate.js';

const env = z
  .object({ DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//), REDIS_URL: z.string().optional() })
  .safeParse(process.env);
if (!env.success) {
  console.error('Configuration error: DATABASE_URL is missing or not a postgres:// URL');
  process.exit(1);
}
const db = createDb(env.data.DATABASE_URL, 2);
try {
  const applied = await migrateToLatest(db);
  await migrateQueueSchema(queueConnection(env.data));
  console.log(applied.length ? `Applied: ${applied.join(', ')}` : 'Database is up to date.');
} catch (error) {
  console.error(`Migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
} finally {
  await db.destroy();
}
