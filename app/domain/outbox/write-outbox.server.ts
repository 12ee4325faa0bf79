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
  /** A comment or reply was written; followers and the replied-to author hear of it. */
  'comment.created': z.object({ commentId: z.string() }),
  /** One row of post_status_change: followers and voters hear of it; the bounty worker acts on it. */
  'post.status_changed': z.object({ postId: z.string(), changeId: z.string() }),
  /** A duplicate was merged into a target; the duplicate's followers hear where it went. */
  'post.merged': z.object({ mergeId: z.string() }),
  /** A nomination's final approval reserved money: its cash rewards go to the payout queue. */
  'reward.approved': z.object({ nominationId: z.string() }),
  /** A pool's available balance fell below the low-balance threshold: finance admins are told. */
  'pool.low_balance': z.object({ poolId: z.string() }),
} as const;

export type OutboxTopic = keyof typeof OutboxEvents;
export type OutboxPayload<T extends OutboxTopic> = z.infer<(typeof OutboxEvents)[T]>;

/** Writes an event in the transaction of the change it announces. */
export async function writeOutbox<T extends OutboxTopic>(
  trx: Transaction<Database>,
  topic: T,
  payload: OutboxPayload<T>,
): Promise<string> {
  const [id] = await writeOutboxMany(trx, topic, [payload]);
  return id!;
}

/** Many events of one topic in one statement (e.g. shipping a roadmap item with 1,000 posts). */
export async function writeOutboxMany<T extends OutboxTopic>(
  trx: Transaction<Database>,
  topic: T,
  payloads: OutboxPayload<T>[],
): Promise<string[]> {
  if (payloads.length === 0) return [];
  const rows = payloads.map((payload) => ({
    id: randomId(),
    topic,
    payload: JSON.stringify(OutboxEvents[topic].parse(payload)),
  }));
  await trx.insertInto('outbox').values(rows).execute();
  return rows.map((row) => row.id);
}
