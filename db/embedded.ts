import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';
import { SessionQueue } from './pglite-session-queue.js';

export interface EmbeddedPostgres {
  /** A postgres:// URL the `pg` driver connects to. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PGlite (Postgres compiled to WASM) served on a free local port by
 * pglite-socket, so the app, the sessions and BullMQ all use the real `pg`
 * driver exactly as in production. `dataDir` undefined keeps it in memory
 * (tests). See docs/decisions/0002-embedded-postgres.md.
 */
export async function startEmbeddedPostgres(dataDir?: string): Promise<EmbeddedPostgres> {
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const db = await PGlite.create(dataDir ?? 'memory://', { extensions: { pg_trgm } });
  // PGlite is one session multiplexed over every socket, so the per-connection
  // search_path that BullMQ's Postgres backend asks for is lost. Pin one on the
  // session itself: the app's tables resolve in public, BullMQ's in bullmq
  // (no table name is shared between the two).
  await db.exec(`SET search_path TO public, bullmq;`);
  const server = new PGLiteSocketServer({ db, port: 0, host: '127.0.0.1', maxConnections: 64 });
  // Replace the server's message queue before any connection arrives
  // (each connection takes the queue it finds at connect time).
  (server as unknown as { queryQueue: SessionQueue }).queryQueue = new SessionQueue(db);
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgres://postgres:postgres@${address}/postgres?sslmode=disable`,
    async stop() {
      await server.stop();
      await db.close();
    },
  };
}
