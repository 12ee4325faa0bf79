import type { Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';

/**
 * Every event the domain announces, with its payload. Payloads carry ids only,
 * never amounts or personal data: the queue may keep them in clear.
 */
export const OutboxEvents = {
  'user.roles_changed': z.object({ userId: z.string() }),
} as const;

export type OutboxTopic = keyof typeof OutboxEvents;
export type OutboxPayload<T extends OutboxTopic> = z.infer<(typeof OutboxEvents)[T]>;

/** Writes an event in the transaction of the change it announces. */
export async function writeOutbox<T extends OutboxTopic>(
  trx: Transaction<Database>,
  topic: T,
  payload: OutboxPayload<T>,
): Promise<string> {
  const id = randomId();
  await trx
    .insertInto('outbox')
    .values({ id, topic, payload: JSON.stringify(OutboxEvents[topic].parse(payload)) })
    .execute();
  return id;
}
