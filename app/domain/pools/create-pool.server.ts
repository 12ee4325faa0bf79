import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { openPoolAccounts } from '../ledger/ledger.server.js';

const IsoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

export const CreatePoolInputSchema = z
  .object({
    name: z.string().trim().min(1).max(120),
    currency: z.string().regex(/^[A-Z]{3}$/),
    /** Minor units. */
    budgetMinor: z.bigint().positive(),
    periodStart: IsoDay,
    periodEnd: IsoDay,
  })
  .refine((input) => input.periodEnd >= input.periodStart, { path: ['periodEnd'], message: 'period_end_before_start' });
export type CreatePoolInput = z.input<typeof CreatePoolInputSchema>;

/**
 * A bounty pool with its budget and period, and its ledger accounts. The
 * budget is a ceiling for what may be spent; money arrives by top-ups.
 */
export async function createPool(db: Kysely<Database>, actor: Actor, input: CreatePoolInput): Promise<{ id: string }> {
  requireRole(actor, 'finance_admin');
  const pool = CreatePoolInputSchema.parse(input);
  const id = randomId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('pool')
      .values({
        id,
        name: pool.name,
        currency: pool.currency,
        budget_minor: pool.budgetMinor.toString(),
        period_start: pool.periodStart,
        period_end: pool.periodEnd,
        created_by: actor.id,
      })
      .execute();
    await openPoolAccounts(trx, id, pool.currency);
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'pool.create',
      subjectType: 'pool',
      subjectId: id,
      after: { ...pool, budgetMinor: pool.budgetMinor.toString() },
    });
  });
  return { id };
}
