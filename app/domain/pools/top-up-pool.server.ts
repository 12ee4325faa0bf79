import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { postLedgerTransaction } from '../ledger/ledger.server.js';

export const TopUpInputSchema = z.object({
  poolId: z.string().min(1).max(64),
  amountMinor: z.bigint().positive(),
  reason: z.string().trim().min(1).max(500),
  /** The form's own key: the same top-up sent twice moves money once. */
  submissionKey: z.string().min(8).max(64),
});
export type TopUpInput = z.input<typeof TopUpInputSchema>;

export type TopUpError = 'pool_not_found' | 'pool_closed';

/** Moves money from funding into a pool's available balance, with a reason. */
export async function topUpPool(db: Kysely<Database>, actor: Actor, input: TopUpInput): Promise<{ transactionId: string }> {
  requireRole(actor, 'finance_admin');
  const topUp = TopUpInputSchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const pool = await trx
      .selectFrom('pool')
      .select(['currency', 'closed_at'])
      .where('id', '=', topUp.poolId)
      .forUpdate()
      .executeTakeFirst();
    if (!pool) throw new DomainError<TopUpError>('pool_not_found', undefined, 404);
    if (pool.closed_at) throw new DomainError<TopUpError>('pool_closed', undefined, 409);
    const posted = await postLedgerTransaction(trx, {
      kind: 'top_up',
      idempotencyKey: `top_up:${topUp.poolId}:${topUp.submissionKey}`,
      poolId: topUp.poolId,
      memo: topUp.reason,
      actorId: actor.id,
      lines: [
        { account: { currency: pool.currency, kind: 'funding' }, amountMinor: -topUp.amountMinor },
        { account: { poolId: topUp.poolId, kind: 'pool_available' }, amountMinor: topUp.amountMinor },
      ],
    });
    if (posted.created) {
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'pool.top_up',
        subjectType: 'pool',
        subjectId: topUp.poolId,
        after: { amountMinor: topUp.amountMinor.toString(), currency: pool.currency, reason: topUp.reason, transactionId: posted.id },
      });
    }
    return { transactionId: posted.id };
  });
}
