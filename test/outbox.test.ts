import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutbox } from '../app/domain/outbox/write-outbox.server.js';
import { outboxJobId, relayOutbox } from '../workers/outbox-relay.js';
import { openQueue, QUEUES, queueConnection } from '../workers/queue.js';
import { createTestApp, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(async () => {
  await app?.close();
});

async function writeEvents(count: number, userId: string): Promise<string[]> {
  return app.services.db.transaction().execute(async (trx) => {
    const ids: string[] = [];
    for (let i = 0; i < count; i++) ids.push(await writeOutbox(trx, 'user.roles_changed', { userId }));
    return ids;
  });
}

describe('outbox relay', () => {
  it('enqueues each row exactly once when two relays run at the same time', async () => {
    const user = await makeUser(app);
    const ids = await writeEvents(60, user.id);
    // A second process's queue handle, as when two workers relay at once.
    const otherQueue = openQueue(QUEUES.events, queueConnection(app.services.env));
    try {
      const [first, second] = await Promise.all([
        relayOutbox(app.services.db, app.services.eventsQueue),
        relayOutbox(app.services.db, otherQueue),
      ]);
      expect(first + second).toBe(60);
      expect(await relayOutbox(app.services.db, app.services.eventsQueue)).toBe(0);
    } finally {
      await otherQueue.close();
    }
    const jobs = await app.services.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'], 0, 1000);
    const jobIds = jobs.map((job) => job.id).filter((id) => ids.some((outboxId) => outboxJobId(outboxId) === id));
    expect(jobIds).toHaveLength(60);
    expect(new Set(jobIds).size).toBe(60);
    const pending = await app.services.db.selectFrom('outbox').select('id').where('enqueued_at', 'is', null).execute();
    expect(pending).toEqual([]);
  });

  it('does not add a second job when a relay died after enqueueing but before marking', async () => {
    const user = await makeUser(app);
    const [id] = await writeEvents(1, user.id);
    expect(await relayOutbox(app.services.db, app.services.eventsQueue)).toBe(1);
    // Simulate the crash: the row looks un-relayed again, its lease long gone.
    await app.services.db
      .updateTable('outbox')
      .set({ enqueued_at: null, claimed_until: sql<Date>`now() - interval '1 hour'` })
      .where('id', '=', id!)
      .execute();
    expect(await relayOutbox(app.services.db, app.services.eventsQueue)).toBe(1);
    const jobs = await app.services.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed'], 0, 1000);
    expect(jobs.filter((job) => job.id === outboxJobId(id!))).toHaveLength(1);
  });

  it('leaves a row claimed by a live relay alone until its lease expires', async () => {
    const user = await makeUser(app);
    const [id] = await writeEvents(1, user.id);
    await app.services.db
      .updateTable('outbox')
      .set({ claimed_until: sql<Date>`now() + interval '1 minute'` })
      .where('id', '=', id!)
      .execute();
    expect(await relayOutbox(app.services.db, app.services.eventsQueue)).toBe(0);
  });

  it('writes the outbox row in the same transaction as the change, so a rollback leaves none', async () => {
    const user = await makeUser(app);
    const before = await app.services.db.selectFrom('outbox').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    await expect(
      app.services.db.transaction().execute(async (trx) => {
        await writeOutbox(trx, 'user.roles_changed', { userId: user.id });
        throw new Error('the change failed');
      }),
    ).rejects.toThrow('the change failed');
    const after = await app.services.db.selectFrom('outbox').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(after.n).toBe(before.n);
  });
});
