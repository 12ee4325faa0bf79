import { type Job, UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { notifyRolesChanged } from '../app/domain/accounts/notify-roles-changed.server.js';
import { notifyCommentCreated } from '../app/domain/notifications/notify-comment-created.server.js';
import { notifyPostMerged } from '../app/domain/notifications/notify-post-merged.server.js';
import { notifyStatusChanged } from '../app/domain/notifications/notify-status-changed.server.js';
import { sendNotificationMails } from '../app/domain/notifications/send-notification-mails.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { runTriageSla } from '../app/domain/triage/run-triage-sla.server.js';
import { OutboxEvents } from '../app/domain/outbox/write-outbox.server.js';
import { createPayoutAdapter } from '../app/domain/payouts/adapters.server.js';
import { comparePaymentsWithLedger } from '../app/domain/payouts/compare-payments-with-ledger.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import { alertLowBalance } from '../app/domain/pools/alert-low-balance.server.js';
import { closeFinishedPools } from '../app/domain/pools/close-finished-pools.server.js';
import { pruneRateLimits } from '../app/utils/rate-limit.server.js';
import type { Services } from '../server/services.js';
import { relayOutbox } from './outbox-relay.js';
import { enqueuePayouts, reconcileQueues, STALE_AFTER_SECONDS } from './payouts.js';
import { openQueue, QUEUES, queueConnection, startQueueWorker } from './queue.js';

/**
 * Lock and stall settings for the payout worker. A job's lock lasts 6 s and is
 * renewed every 3 s while its worker lives; every 2 s a worker looks for jobs
 * whose lock lapsed. A worker killed mid-job therefore has its job picked up
 * again within about 8 s (under the 10 s promise). Being stalled is not
 * counted against a job (maxStalledCount is large): every payout step is
 * idempotent, and giving up on a payment would be worse than retrying it.
 */
export const PAYOUT_WORKER_OPTIONS = { lockDuration: 6_000, stalledInterval: 2_000, maxStalledCount: 1_000 } as const;
/**
 * Jobs per queue per process. Each payout or event job holds at most one
 * database connection at a time (the adapter call happens with none open), so
 * with events 4 + payouts 4 + maintenance 1 + the relay 1 the default pool of
 * 10 cannot starve; a job never waits for a second connection while holding one.
 */
const EVENT_CONCURRENCY = 4;
const PAYOUT_CONCURRENCY = 4;

const RELAY_INTERVAL_MS = 500;

/** Repeatable jobs on the maintenance queue: name, how often, what it does. */
interface Schedule {
  name: string;
  everyMs: number;
  run(services: Services): Promise<unknown>;
}

const SCHEDULES: Schedule[] = [
  {
    // Hourly, so a period that ended at midnight is closed early the next morning.
    name: 'pools.close',
    everyMs: 3_600_000,
    run: ({ db, vaultKeys, mailer }) => closeFinishedPools(db, vaultKeys, mailer),
  },
  {
    name: 'payments.compare',
    everyMs: 24 * 3_600_000,
    run: ({ db, vaultKeys, mailer }) => comparePaymentsWithLedger(db, vaultKeys, mailer),
  },
  {
    name: 'maintenance.prune',
    everyMs: 3_600_000,
    async run({ db }) {
      const windows = await pruneRateLimits(db);
      const tokens = await db
        .deleteFrom('email_token')
        .where('expires_at', '<', sql<Date>`now() - interval '7 days'`)
        .executeTakeFirst();
      return { rateLimitWindows: windows, emailTokens: Number(tokens.numDeletedRows) };
    },
  },
  {
    // Mails are batched: at most one per member per post per hour.
    name: 'notifications.mail',
    everyMs: 60_000,
    run: ({ db, vaultKeys, mailer, env }) => sendNotificationMails(db, vaultKeys, mailer, env.PUBLIC_URL),
  },
  {
    name: 'triage.sla',
    everyMs: 15 * 60_000,
    run: ({ db, vaultKeys, mailer, env }) => runTriageSla(db, vaultKeys, mailer, env.PUBLIC_URL),
  },
];

export interface RunningWorkers {
  close(): Promise<void>;
}

/**
 * Starts the worker side of one process: the outbox relay loop, the events
 * processor and the scheduled maintenance. Composed explicitly by
 * workers/main.ts (production) or server/embedded.ts (one process).
 */
export interface WorkerOptions {
  /** How often this process reconciles the queues with the database (and re-creates lost schedules). */
  reconcileEveryMs?: number;
  /** How long work may sit unhandled before the reconciler hands it to the queue again. */
  staleAfterSeconds?: number;
}

export async function startWorkers(
  services: Services,
  { reconcileEveryMs = 60_000, staleAfterSeconds = STALE_AFTER_SECONDS }: WorkerOptions = {},
): Promise<RunningWorkers> {
  const { db, logger, env } = services;
  const connection = queueConnection(env);
  // Shared by the events handler (approvals enqueue payouts) and the reconciler.
  const payoutsQueue = openQueue(QUEUES.payouts, connection);
  payoutsQueue.on('error', (error) => logger.warn({ err: error.message }, 'queue error'));
  const adapter = createPayoutAdapter(db, env);

  const events = startQueueWorker(
    QUEUES.events,
    async (job: Job) => {
      const result = await handleEvent(job);
      // Handled: the reconciler will not hand this event to the queue again.
      if (typeof job.data?.outboxId === 'string') {
        await db.updateTable('outbox').set({ processed_at: new Date() }).where('id', '=', job.data.outboxId).execute();
      }
      return result;
    },
    connection,
    { concurrency: EVENT_CONCURRENCY },
  );

  async function handleEvent(job: Job): Promise<unknown> {
    switch (job.name) {
      case 'user.roles_changed': {
        const payload = parsePayload(OutboxEvents['user.roles_changed'], job);
        await notifyRolesChanged(db, services.vaultKeys, services.mailer, payload.userId);
        return;
      }
      case 'comment.created': {
        const payload = parsePayload(OutboxEvents['comment.created'], job);
        return { notified: await notifyCommentCreated(db, payload.commentId) };
      }
      case 'post.status_changed': {
        const payload = parsePayload(OutboxEvents['post.status_changed'], job);
        // Both steps are idempotent, so a retry after either fails is safe.
        const adoption = await reconcileNominations(db, payload.postId);
        return { adoption, notified: await notifyStatusChanged(db, payload.changeId) };
      }
      case 'post.merged': {
        const payload = parsePayload(OutboxEvents['post.merged'], job);
        // A merged duplicate no longer earns rewards of its own; its author shares the target's.
        const merge = await db
          .selectFrom('post_merge')
          .select('source_post_id')
          .where('id', '=', payload.mergeId)
          .executeTakeFirst();
        const adoption = merge ? await reconcileNominations(db, merge.source_post_id) : null;
        return { adoption, notified: await notifyPostMerged(db, payload.mergeId) };
      }
      case 'reward.approved': {
        const payload = parsePayload(OutboxEvents['reward.approved'], job);
        const rewards = await db
          .selectFrom('reward')
          .select('id')
          .where('nomination_id', '=', payload.nominationId)
          .where('status', '=', 'approved')
          .where('payout_mode', 'in', ['member', 'org'])
          .execute();
        await enqueuePayouts(
          payoutsQueue,
          rewards.map((reward) => reward.id),
        );
        return { enqueued: rewards.length };
      }
      case 'pool.low_balance': {
        const payload = parsePayload(OutboxEvents['pool.low_balance'], job);
        return { mailed: await alertLowBalance(db, services.vaultKeys, services.mailer, payload.poolId) };
      }
      default:
        throw new UnrecoverableError(`no handler for ${job.name}`);
    }
  }

  const payouts = startQueueWorker(
    QUEUES.payouts,
    async (job: Job) => {
      const rewardId: unknown = job.data?.rewardId;
      if (typeof rewardId !== 'string') throw new UnrecoverableError('bad payload for payout.run');
      return { state: await runPayout({ db, keys: services.vaultKeys, adapter }, rewardId) };
    },
    connection,
    { concurrency: PAYOUT_CONCURRENCY, ...PAYOUT_WORKER_OPTIONS },
  );

  const maintenanceQueue = openQueue(QUEUES.maintenance, connection);
  maintenanceQueue.on('error', (error) => logger.warn({ err: error.message }, 'queue error'));
  // Schedules live in the queue backend: upserted at start and again on every
  // reconcile, so a Redis that restarted empty gets them back.
  const upsertSchedules = () =>
    Promise.all(
      SCHEDULES.map((schedule) =>
        maintenanceQueue.upsertJobScheduler(schedule.name, { every: schedule.everyMs }, { name: schedule.name }),
      ),
    );
  await upsertSchedules();
  const maintenance = startQueueWorker(
    QUEUES.maintenance,
    async (job: Job) => {
      const schedule = SCHEDULES.find((candidate) => candidate.name === job.name);
      if (!schedule) throw new UnrecoverableError(`no handler for ${job.name}`);
      return schedule.run(services);
    },
    connection,
  );

  for (const worker of [events, payouts, maintenance]) {
    worker.on('failed', (job, error) => logger.warn({ job: job?.name, jobId: job?.id, err: error.message }, 'job failed'));
    worker.on('error', (error) => logger.warn({ err: error.message }, 'worker error'));
  }

  // The relay polls: cheap when idle (an index on pending rows), and the
  // database stays the truth even when the queue backend loses its data.
  let relaying: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const relayTimer = setInterval(() => {
    relaying = relaying.then(async () => {
      if (stopped) return;
      try {
        const moved = await relayOutbox(db, services.eventsQueue);
        if (moved > 0) logger.debug({ moved }, 'outbox relayed');
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'outbox relay failed; will retry');
      }
    });
  }, RELAY_INTERVAL_MS);

  // The reconciler runs on a timer of its own, not as a queued job: it is what
  // repairs a queue that lost its data, so it must not depend on that queue.
  let reconciling: Promise<unknown> = Promise.resolve();
  const reconcileTimer = setInterval(() => {
    reconciling = reconciling.then(async () => {
      if (stopped) return;
      try {
        const repaired = await reconcileQueues(db, payoutsQueue, staleAfterSeconds);
        await upsertSchedules();
        if (repaired.outbox + repaired.payouts > 0) logger.info(repaired, 'queues reconciled with the database');
      } catch (error) {
        logger.warn({ err: (error as Error).message }, 'reconciling queues failed; will retry');
      }
    });
  }, reconcileEveryMs);

  logger.info('workers started');
  return {
    async close() {
      stopped = true;
      clearInterval(relayTimer);
      clearInterval(reconcileTimer);
      await Promise.all([relaying, reconciling]);
      // Worker.close() waits for the jobs in progress to finish.
      await Promise.all([events.close(), payouts.close(), maintenance.close()]);
      await Promise.all([maintenanceQueue.close(), payoutsQueue.close()]);
    },
  };
}

function parsePayload<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad payload for ${job.name}`);
  return parsed.data;
}
