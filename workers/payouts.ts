import { sql } from 'kysely';
import type { Db } from '../db/client.js';
import type { AppQueue } from './queue.js';

/** How long the database lets work sit before the reconciler assumes the queue lost it. */
export const STALE_AFTER_SECONDS = 30;

/**
 * A payout job per reward. The id carries a one-minute bucket: a second
 * enqueue within the minute is a no-op while the job waits, and a reward still
 * unpaid a minute later (the job finished early, waiting for details, or the
 * queue lost it) is enqueued again. Running one reward twice is harmless:
 * every step of runPayout is idempotent.
 */
export async function enqueuePayouts(queue: AppQueue, rewardIds: readonly string[], now = Date.now()): Promise<void> {
  if (rewardIds.length === 0) return;
  const bucket = Math.floor(now / 60_000);
  await queue.addBulk(
    rewardIds.map((rewardId) => ({ name: 'payout.run', data: { rewardId }, opts: { jobId: `payout-${rewardId}-${bucket}` } })),
  );
}

/**
 * The database, not the queue, is the truth. Outbox rows that were enqueued
 * but never handled (the queue lost them, e.g. Redis restarted empty) go back
 * to the relay; rewards approved but not paid are enqueued again.
 */
export async function reconcileQueues(
  db: Db,
  payoutsQueue: AppQueue,
  staleAfterSeconds = STALE_AFTER_SECONDS,
): Promise<{ outbox: number; payouts: number }> {
  const requeued = await sql`
    UPDATE outbox SET enqueued_at = NULL, claimed_until = NULL
    WHERE processed_at IS NULL AND enqueued_at < now() - make_interval(secs => ${staleAfterSeconds})`.execute(db);
  const unpaid = await db
    .selectFrom('reward')
    .select('id')
    .where('status', 'in', ['approved', 'paying'])
    .where('payout_mode', 'in', ['member', 'org'])
    .where('updated_at', '<', sql<Date>`now() - make_interval(secs => ${staleAfterSeconds})`)
    .orderBy('updated_at')
    .limit(1000)
    .execute();
  await enqueuePayouts(
    payoutsQueue,
    unpaid.map((reward) => reward.id),
  );
  return { outbox: Number(requeued.numAffectedRows ?? 0), payouts: unpaid.length };
}
