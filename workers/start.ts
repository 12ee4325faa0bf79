import { type Job, UnrecoverableError } from 'bullmq';
import { sql } from 'kysely';
import { notifyRolesChanged } from '../app/domain/accounts/notify-roles-changed.server.js';
import { OutboxEvents } from '../app/domain/outbox/write-outbox.server.js';
import { pruneRateLimits } from '../app/utils/rate-limit.server.js';
import type { Services } from '../server/services.js';
import { relayOutbox } from './outbox-relay.js';
import { openQueue, QUEUES, queueConnection, startQueueWorker } from './queue.js';

const RELAY_INTERVAL_MS = 500;

export interface RunningWorkers {
  close(): Promise<void>;
}

/**
 * Starts the worker side of one process: the outbox relay loop, the events
 * processor and the scheduled maintenance. Composed explicitly by
 * workers/main.ts (production) or server/embedded.ts (one process).
 */
export async function startWorkers(services: Services): Promise<RunningWorkers> {
  const { db, logger, env } = services;
  const connection = queueConnection(env);

  const events = startQueueWorker(
    QUEUES.events,
    async (job: Job) => {
      switch (job.name) {
        case 'user.roles_changed': {
          const payload = parsePayload(OutboxEvents['user.roles_changed'], job);
          await notifyRolesChanged(db, services.vaultKeys, services.mailer, payload.userId);
          return;
        }
        default:
          throw new UnrecoverableError(`no handler for ${job.name}`);
      }
    },
    connection,
    { concurrency: 4 },
  );

  const maintenanceQueue = openQueue(QUEUES.maintenance, connection);
  await maintenanceQueue.upsertJobScheduler('maintenance-prune', { every: 3_600_000 }, { name: 'maintenance.prune' });
  const maintenance = startQueueWorker(
    QUEUES.maintenance,
    async (job: Job) => {
      if (job.name !== 'maintenance.prune') throw new UnrecoverableError(`no handler for ${job.name}`);
      const windows = await pruneRateLimits(db);
      const tokens = await db.deleteFrom('email_token').where('expires_at', '<', sql<Date>`now() - interval '7 days'`).executeTakeFirst();
      return { rateLimitWindows: windows, emailTokens: Number(tokens.numDeletedRows) };
    },
    connection,
  );

  for (const worker of [events, maintenance]) {
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

  logger.info('workers started');
  return {
    async close() {
      stopped = true;
      clearInterval(relayTimer);
      await relaying;
      // Worker.close() waits for the jobs in progress to finish.
      await Promise.all([events.close(), maintenance.close()]);
      await maintenanceQueue.close();
    },
  };
}

function parsePayload<T>(schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } }, job: Job): T {
  const parsed = schema.safeParse(job.data);
  if (!parsed.success) throw new UnrecoverableError(`bad payload for ${job.name}`);
  return parsed.data;
}
