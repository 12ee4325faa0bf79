import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { requireFinanceRole } from './finance-access.server.js';

export type PoolState = 'upcoming' | 'open' | 'ended' | 'closed';

/** A pool as finance sees it. Money in minor units, as digit strings (never a JS number). */
export interface PoolSummary {
  id: string;
  name: string;
  currency: string;
  budgetMinor: string;
  /** 'YYYY-MM-DD'. */
  periodStart: string;
  periodEnd: string;
  state: PoolState;
  availableMinor: string;
  reservedMinor: string;
  /** Debited from the pool: paid, or on its way to the payee. */
  spentMinor: string;
  /** Budget − spent − reserved: what may still be committed (negative when over budget). */
  remainingMinor: string;
}

export type PoolRow = Pick<PoolSummary, 'id' | 'name' | 'currency' | 'budgetMinor' | 'periodStart' | 'periodEnd' | 'state'>;

/** Every pool, the current and coming ones first. */
export async function listPools(db: Kysely<Database>, actor: Actor): Promise<PoolSummary[]> {
  requireFinanceRole(actor);
  const rows = await selectPools(db).orderBy('pool.period_end', 'desc').orderBy('pool.name').execute();
  return summarisePools(db, rows.map(toPoolRow));
}

/** The pool columns every finance page shows; the state is decided by the database's today. */
export function selectPools(db: Kysely<Database>) {
  return db
    .selectFrom('pool')
    .select([
      'pool.id',
      'pool.name',
      'pool.currency',
      'pool.budget_minor',
      'pool.period_start',
      'pool.period_end',
      sql<PoolState>`CASE
        WHEN pool.closed_at IS NOT NULL THEN 'closed'
        WHEN pool.period_start > current_date THEN 'upcoming'
        WHEN pool.period_end < current_date THEN 'ended'
        ELSE 'open' END`.as('state'),
    ]);
}

export function toPoolRow(row: {
  id: string;
  name: string;
  currency: string;
  budget_minor: string;
  period_start: string;
  period_end: string;
  state: PoolState;
}): PoolRow {
  return {
    id: row.id,
    name: row.name,
    currency: row.currency,
    budgetMinor: row.budget_minor,
    periodStart: row.period_start,
    periodEnd: row.period_end,
    state: row.state,
  };
}

/**
 * Adds the balances to pools in two queries whatever their number: the
 * available and reserved balances the accounts carry, and what was debited
 * (the same figure as getPoolBalances' `spent`, summed from the entries).
 */
export async function summarisePools(db: Kysely<Database>, pools: readonly PoolRow[]): Promise<PoolSummary[]> {
  if (pools.length === 0) return [];
  const ids = pools.map((pool) => pool.id);
  const [balances, debited] = await Promise.all([
    db
      .selectFrom('ledger_account')
      .select(['pool_id', 'kind', 'balance_minor'])
      .where('pool_id', 'in', ids)
      .where('kind', 'in', ['pool_available', 'pool_reserved'])
      .execute(),
    db
      .selectFrom('ledger_entry')
      .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
      .innerJoin('ledger_transaction', 'ledger_transaction.id', 'ledger_entry.transaction_id')
      .select(['ledger_account.pool_id', (eb) => eb.fn.sum<string>('ledger_entry.amount_minor').as('total')])
      .where('ledger_account.pool_id', 'in', ids)
      .where('ledger_account.kind', '=', 'pool_reserved')
      .where('ledger_transaction.kind', 'in', ['debit', 'reverse_debit'])
      .groupBy('ledger_account.pool_id')
      .execute(),
  ]);
  return pools.map((pool) => {
    const balance = (kind: 'pool_available' | 'pool_reserved') =>
      BigInt(balances.find((row) => row.pool_id === pool.id && row.kind === kind)?.balance_minor ?? '0');
    const reserved = balance('pool_reserved');
    // Debits take money out of the reserved account: their entries there are negative.
    const spent = -BigInt(debited.find((row) => row.pool_id === pool.id)?.total ?? '0');
    return {
      ...pool,
      availableMinor: balance('pool_available').toString(),
      reservedMinor: reserved.toString(),
      spentMinor: spent.toString(),
      remainingMinor: (BigInt(pool.budgetMinor) - spent - reserved).toString(),
    };
  });
}
