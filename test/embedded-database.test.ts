import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../db/client.js';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../db/embedded.js';

let embedded: EmbeddedPostgres;
let db: Db;
beforeAll(async () => {
  embedded = await startEmbeddedPostgres();
  db = createDb(embedded.url, 10);
});
afterAll(async () => {
  await db?.destroy();
  await embedded?.stop();
});

describe('embedded database', () => {
  it('keeps each connection’s parameterised queries apart when many run at once', async () => {
    // Each query is Parse/Bind/Execute/Sync on its own connection; interleaved
    // on PGlite's one session they would fail or answer each other's query.
    const answers = await Promise.all(
      // A different statement each time (the literal), so a mix-up shows.
      Array.from({ length: 200 }, (_, n) => sql<{ n: number }>`SELECT ${n}::int * ${sql.raw(String(n))} AS n`.execute(db)),
    );
    expect(answers.map((answer) => answer.rows[0]!.n)).toEqual(Array.from({ length: 200 }, (_, n) => n * n));
  });

  it('keeps a transaction’s statements together while other connections query', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, n) =>
        db.transaction().execute(async (trx) => {
          await sql`SELECT set_config('candor.test', ${String(n)}, true)`.execute(trx);
          const { rows } = await sql<{ value: string }>`SELECT current_setting('candor.test') AS value`.execute(trx);
          return rows[0]!.value;
        }),
      ),
    );
    expect(results).toEqual(Array.from({ length: 20 }, (_, n) => String(n)));
  });
});
