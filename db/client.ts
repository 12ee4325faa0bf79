import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.js';

export type Db = Kysely<Database>;

// A DATE is a calendar day, not an instant: keep it as 'YYYY-MM-DD' instead of
// a Date at local midnight, which shifts with the server's time zone.
pg.types.setTypeParser(pg.types.builtins.DATE, (value) => value);

/**
 * A Kysely handle over a `pg` pool. int8 stays a string (money is bigint
 * minor units; never parse it to a JS number globally).
 */
export function createDb(connectionString: string, poolSize = 10): Db {
  const pool = new pg.Pool({
    connectionString,
    max: poolSize,
    // Fail fast when the database is down so pages answer 503, not hang.
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
  });
  // An idle client losing its server emits 'error' on the pool; without a
  // listener that would crash the process instead of reconnecting later.
  pool.on('error', () => undefined);
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}
