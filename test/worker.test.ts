import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeOutbox } from '../app/domain/outbox/write-outbox.server.js';
import { startWorkers, type RunningWorkers } from '../workers/start.js';
import { createTestApp, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
let workers: RunningWorkers;
beforeAll(async () => {
  app = await createTestApp();
  workers = await startWorkers(app.services);
});
afterAll(async () => {
  await workers?.close();
  await app?.close();
});

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('worker', () => {
  it('relays an outbox event to the queue and mails the person, reading the vault with an audit row', async () => {
    const user = await makeUser(app, { email: 'quill.worker@example.org', roles: ['triager'] });
    await app.services.db.transaction().execute((trx) => writeOutbox(trx, 'user.roles_changed', { userId: user.id }));

    const mail = await eventually(() =>
      app.services.db.selectFrom('dev_mail').select(['subject', 'text_body']).where('to_address', '=', 'quill.worker@example.org').executeTakeFirst(),
    );
    expect(mail.text_body).toContain('triager');
    // The subject names neither the vendor nor the topic.
    expect(mail.subject).toBe('Your account was changed');

    const audit = await app.services.db
      .selectFrom('audit_log')
      .select(['actor_id', 'after'])
      .where('action', '=', 'vault.read')
      .where('subject_id', '=', user.id)
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]!.after).toMatchObject({ purpose: 'send-mail' });
    const row = await app.services.db.selectFrom('outbox').select('enqueued_at').executeTakeFirstOrThrow();
    expect(row.enqueued_at).not.toBeNull();
  });
});
