import type { AppQueue } from './queue.js';
import { sql } from 'kysely';
import type { Db } from '../db/client.js';

export const OUTBOX_BATCH = 200;
/** How long a claimed row stays with one relay before another may take it. */
export const OUTBOX_LEASE_SECONDS = 60;

export function outboxJobId(outboxId: string): string {
  return `outbox-${outboxId}`;
}

/**
 * Moves pending outbox rows onto the events queue, each once.
 *
 * Rows are claimed with a short lease in one small transaction (FOR UPDATE
 * SKIP LOCKED, so concurrent relays take disjoint rows), enqueued with no
 * transaction open, then marked enqueued. Holding a transaction across the
 * enqueue would stall the embedded database, which serves one transaction at
 * a time (docs/decisions/0005-queue-and-outbox.md). A relay that dies after claiming
 * leaves rows whose lease expires; the next relay enqueues them again and the
 * job id (outbox-<id>) keeps BullMQ from adding a second job.
 */
export async function relayOutbox(db: Db, queue: AppQueue): Promise<number> {
  const claimed = await sql<{ id: string; topic: string; payload: unknown }>`
    UPDATE outbox SET claimed_until = now() + make_interval(secs => ${OUTBOX_LEASE_SECONDS})
    WHERE id IN (
      SELECT id FROM outbox
      WHERE enqueued_at IS NULL AND (claimed_until IS NULL OR claimed_until < now())
      ORDER BY created_at
      LIMIT ${OUTBOX_BATCH}
      FOR UPDATE SKIP LOCKED
    )
    RETURNING id, topic, payload`.execute(db);
  if (claimed.rows.length === 0) return 0;

  const ids = claimed.rows.map((row) => row.id);
  try {
    await queue.addBulk(
      claimed.rows.map((row) => ({
        name: row.topic,
        data: { outboxId: row.id, ...(row.payload as object) },
        opts: { jobId: outboxJobId(row.id) },
      })),
    );
  } catch (error) {
    // The queue is unreachable: give the rows back at once rather than
    // leaving them leased until the lease runs out.
    await db.updateTable('outbox').set({ claimed_until: null }).where('id', 'in', ids).execute();
    throw error;
  }
  await db
    .updateTable('outbox')
    .set({ enqueued_at: new Date() })
    .where('id', 'in', ids)
    .execute();
  return claimed.rows.length;
}
