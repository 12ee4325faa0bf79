import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { requireFinanceRole } from './finance-access.server.js';
import { type PoolSummary, selectPools, summarisePools, toPoolRow } from './list-pools.server.js';

export const TOP_UP_HISTORY_LIMIT = 20;

/** One week of the burn-down: money in minor units, as digit strings. */
export interface BurnDownWeek {
  /** The Monday the week starts on ('YYYY-MM-DD'); the first week starts on the period's first day. */
  weekStart: string;
  /** Budget − committed (reserved or spent) at the week's end; null for weeks still to come. */
  remainingMinor: string | null;
  /** What would be left at the week's end if the budget were committed evenly over the period. */
  targetMinor: string;
}

export interface TopUpView {
  id: string;
  amountMinor: string;
  reason: string | null;
  /** The finance admin's staff display name; null when they have none. */
  by: string | null;
  at: Date;
}

export interface PoolDetail {
  pool: PoolSummary;
  burnDown: BurnDownWeek[];
  topUps: TopUpView[];
}

export type GetPoolError = 'pool_not_found';

const PoolIdSchema = z.string().min(1).max(64);

/**
 * One pool with its balances, the weekly burn-down over its period (from the
 * ledger entries, so every point is traceable) and its latest top-ups.
 */
export async function getPool(db: Kysely<Database>, actor: Actor, poolId: string): Promise<PoolDetail> {
  requireFinanceRole(actor);
  const id = PoolIdSchema.safeParse(poolId);
  if (!id.success) throw new DomainError<GetPoolError>('pool_not_found', undefined, 404);
  const row = await selectPools(db)
    .select(sql<string>`to_char(current_date, 'YYYY-MM-DD')`.as('today'))
    .where('pool.id', '=', id.data)
    .executeTakeFirst();
  if (!row) throw new DomainError<GetPoolError>('pool_not_found', undefined, 404);

  const [[pool], committedByWeek, topUps] = await Promise.all([
    summarisePools(db, [toPoolRow(row)]),
    // Reserving commits budget and releasing gives it back; a debit only moves
    // reserved money on towards the payee, so it changes neither.
    db
      .selectFrom('ledger_entry')
      .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
      .innerJoin('ledger_transaction', 'ledger_transaction.id', 'ledger_entry.transaction_id')
      .select([
        sql<string>`to_char(date_trunc('week', ledger_entry.created_at AT TIME ZONE 'UTC'), 'YYYY-MM-DD')`.as('week'),
        (eb) => eb.fn.sum<string>('ledger_entry.amount_minor').as('total'),
      ])
      .where('ledger_account.pool_id', '=', id.data)
      .where('ledger_account.kind', '=', 'pool_reserved')
      .where('ledger_transaction.kind', 'in', ['reserve', 'release'])
      .groupBy(sql`1`)
      .execute(),
    db
      .selectFrom('ledger_transaction')
      .innerJoin('ledger_entry', 'ledger_entry.transaction_id', 'ledger_transaction.id')
      .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
      .leftJoin('app_user', 'app_user.id', 'ledger_transaction.created_by')
      .select([
        'ledger_transaction.id',
        'ledger_transaction.memo',
        'ledger_transaction.created_at',
        'ledger_entry.amount_minor',
        'app_user.staff_display_name',
      ])
      .where('ledger_transaction.pool_id', '=', id.data)
      .where('ledger_transaction.kind', '=', 'top_up')
      .where('ledger_account.kind', '=', 'pool_available')
      .orderBy('ledger_transaction.created_at', 'desc')
      .orderBy('ledger_transaction.id', 'desc')
      .limit(TOP_UP_HISTORY_LIMIT)
      .execute(),
  ]);

  return {
    pool: pool!,
    burnDown: burnDown(row.budget_minor, row.period_start, row.period_end, row.today, committedByWeek),
    topUps: topUps.map((topUp) => ({
      id: topUp.id,
      amountMinor: topUp.amount_minor,
      reason: topUp.memo,
      by: topUp.staff_display_name,
      at: topUp.created_at,
    })),
  };
}

/** A pool's currency, to read an amount typed for it; undefined for an unknown pool. */
export async function findPoolCurrency(db: Kysely<Database>, actor: Actor, poolId: string): Promise<string | undefined> {
  requireFinanceRole(actor);
  const id = PoolIdSchema.safeParse(poolId);
  if (!id.success) return undefined;
  const pool = await db.selectFrom('pool').select('currency').where('id', '=', id.data).executeTakeFirst();
  return pool?.currency;
}

const DAY = 86_400_000;
const dayOf = (isoDay: string) => Date.parse(`${isoDay}T00:00:00Z`);
const isoDayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The Monday on or before a day (UTC), as ISO weeks start. */
const mondayOf = (ms: number) => ms - ((new Date(ms).getUTCDay() + 6) % 7) * DAY;

/**
 * Remaining budget at the end of each week of the period, against an even
 * burn from the full budget to zero. Commitments before the first week count
 * in the first, those after the last in the last.
 */
export function burnDown(
  budgetMinor: string,
  periodStart: string,
  periodEnd: string,
  today: string,
  committedByWeek: ReadonlyArray<{ week: string; total: string | null }>,
): BurnDownWeek[] {
  const budget = BigInt(budgetMinor);
  const start = dayOf(periodStart);
  const end = dayOf(periodEnd);
  const totalDays = BigInt((end - start) / DAY + 1);
  const first = mondayOf(start);
  const last = mondayOf(end);
  const weeks: BurnDownWeek[] = [];
  for (let week = first; week <= last; week += 7 * DAY) {
    const lastDay = Math.min(week + 6 * DAY, end);
    const elapsed = BigInt(Math.max(0, (lastDay - start) / DAY + 1));
    const committed = committedByWeek
      .filter((row) => week === last || dayOf(row.week) <= week)
      .reduce((sum, row) => sum + BigInt(row.total ?? '0'), 0n);
    weeks.push({
      weekStart: isoDayOf(Math.max(week, start)),
      remainingMinor: week <= dayOf(today) ? (budget - committed).toString() : null,
      targetMinor: ((budget * (totalDays - elapsed)) / totalDays).toString(),
    });
  }
  return weeks;
}
