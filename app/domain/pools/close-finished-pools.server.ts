import { type Kysely, sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import type { Mailer } from '../../utils/mail.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import type { VaultKeys } from '../identity/vault.server.js';
import { getPoolBalances, openPoolAccounts } from '../ledger/ledger.server.js';
import { formatMoney } from '../money/money.js';
import { mailFinanceAdmins } from './finance-mail.server.js';

export interface ClosedPool {
  poolId: string;
  nextPoolId: string;
  unspentMinor: string;
  reservedMinor: string;
}

/**
 * Closes pools whose period has ended and opens the next period's pool with
 * the same budget and no money in it. What was not spent stays where it is
 * and is reported to finance (audit row and mail), never silently moved.
 * Rewards already reserved in a closed pool are still paid from it; new
 * approvals draw only from an open pool.
 */
export async function closeFinishedPools(db: Kysely<Database>, keys: VaultKeys, mailer: Mailer): Promise<ClosedPool[]> {
  // Name and currency of each closed pool, for the mail sent after the commit.
  const described = new Map<string, { name: string; currency: string }>();
  const closed = await db.transaction().execute(async (trx) => {
    const finished = await trx
      .selectFrom('pool')
      .selectAll()
      .where('closed_at', 'is', null)
      .where('period_end', '<', sql<string>`current_date`)
      .orderBy('id')
      .forUpdate()
      .skipLocked()
      .execute();
    const results: ClosedPool[] = [];
    for (const pool of finished) {
      const balances = await getPoolBalances(trx, pool.id);
      await trx.updateTable('pool').set({ closed_at: sql<Date>`now()` }).where('id', '=', pool.id).execute();
      const next = nextPeriod(pool.period_start, pool.period_end);
      const nextPoolId = randomId();
      await trx
        .insertInto('pool')
        .values({
          id: nextPoolId,
          name: nextName(pool.name, pool.period_start, next.start),
          currency: pool.currency,
          budget_minor: pool.budget_minor,
          period_start: next.start,
          period_end: next.end,
          created_by: pool.created_by,
        })
        .execute();
      await openPoolAccounts(trx, nextPoolId, pool.currency);
      await writeAudit(trx, {
        actorId: null,
        action: 'pool.close',
        subjectType: 'pool',
        subjectId: pool.id,
        after: { unspentMinor: balances.available, reservedMinor: balances.reserved, spentMinor: balances.spent, nextPoolId },
      });
      described.set(pool.id, { name: pool.name, currency: pool.currency });
      results.push({ poolId: pool.id, nextPoolId, unspentMinor: balances.available, reservedMinor: balances.reserved });
    }
    return results;
  });
  for (const pool of closed) {
    const row = described.get(pool.poolId)!;
    const unspent = { en: formatMoney(pool.unspentMinor, row.currency, 'en'), 'zh-CN': formatMoney(pool.unspentMinor, row.currency, 'zh-CN') };
    await mailFinanceAdmins(db, keys, mailer, {
      subject: { en: 'A reward pool period has closed', 'zh-CN': '奖励资金池周期已结束' },
      text: {
        en: `The period of "${row.name}" has ended and the pool is closed. Unspent: ${unspent.en}. It was not moved; top up the new period's pool as you decide.`,
        'zh-CN': `资金池“${row.name}”的周期已结束并关闭。未使用金额：${unspent['zh-CN']}。该金额未被转移；请按需为新周期的资金池充值。`,
      },
    });
  }
  return closed;
}

/**
 * The period right after [start, end] ('YYYY-MM-DD'). Whole months (a year, a
 * quarter) are followed by as many whole months; other periods by as many days.
 */
export function nextPeriod(start: string, end: string): { start: string; end: string } {
  const iso = (date: Date) => date.toISOString().slice(0, 10);
  const startDate = new Date(`${start}T00:00:00Z`);
  const endDate = new Date(`${end}T00:00:00Z`);
  const dayAfterEnd = new Date(endDate.getTime() + 86_400_000);
  if (startDate.getUTCDate() === 1 && dayAfterEnd.getUTCDate() === 1) {
    const months =
      (endDate.getUTCFullYear() - startDate.getUTCFullYear()) * 12 + (endDate.getUTCMonth() - startDate.getUTCMonth()) + 1;
    const nextEnd = new Date(Date.UTC(dayAfterEnd.getUTCFullYear(), dayAfterEnd.getUTCMonth() + months, 0));
    return { start: iso(dayAfterEnd), end: iso(nextEnd) };
  }
  return { start: iso(dayAfterEnd), end: iso(new Date(dayAfterEnd.getTime() + (endDate.getTime() - startDate.getTime()))) };
}

/** "Operator complaint reward FY2026" → "… FY2027"; names without the year get the new period appended. */
export function nextName(name: string, oldStart: string, newStart: string): string {
  const oldYear = oldStart.slice(0, 4);
  const newYear = newStart.slice(0, 4);
  if (oldYear !== newYear && name.includes(oldYear)) return name.replaceAll(oldYear, newYear).slice(0, 120);
  return `${name.replace(/ \(from \d{4}-\d{2}-\d{2}\)$/, '')} (from ${newStart})`.slice(0, 120);
}
