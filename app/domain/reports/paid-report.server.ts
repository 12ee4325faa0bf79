import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Locale } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { ORG_GROUPS, type OrgGroup } from '../insights/choices.js';
import { foldSmallGroups, groupOrgs, listOrgPopulation } from '../insights/org-breakdown.server.js';
import { getSettings } from '../settings/settings.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { PAID_TRANSACTION_KINDS } from './ledger-query.js';
import { MONTH_PATTERN, monthsBetween, periodProblem, type ReportQueryProblem } from './report-query.js';

// "Paid" is read from the ledger, so every figure is traceable to entries:
// the paid_out entries of settle transactions, less those of reverse_settle
// transactions (a payment the bank returned after it was marked paid), in
// the UTC month they were posted. Net is the entries' sum; gross and
// withheld are the payment's, with the same sign; a reversal counts -1
// payment. Amounts stay minor-unit strings and bigint throughout.

export interface PaidFigures {
  payments: number;
  grossMinor: string;
  withheldMinor: string;
  netMinor: string;
}

export interface PaidReport {
  months: Array<PaidFigures & { month: string; currency: string }>;
  areas: Array<PaidFigures & { areaId: string; areaName: string; currency: string }>;
  /** By customer group: a value tier (orgs of at least k active members) or "other"; never an org. */
  groups: Array<PaidFigures & { group: OrgGroup; currency: string }>;
  /** Payments were made but customers together are fewer than k people: no group is shown. */
  groupsWithheld: boolean;
  totals: Array<PaidFigures & { currency: string }>;
  k: number;
}

/** The first instant of `from`'s month and of the month after `to`, in UTC. */
export function periodBounds(from: string, to: string): { start: Date; end: Date } {
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return { start: new Date(Date.UTC(fromYear, fromMonth - 1, 1)), end: new Date(Date.UTC(toYear, toMonth, 1)) };
}

/** The payment a payment transaction moves: its idempotency key is "<kind>:<payment id>" (run-payout.server.ts). */
export const PAYMENT_OF_TRANSACTION = sql<boolean>`payment.id = split_part(ledger_transaction.idempotency_key, ':', 2)`;

const SIGN = sql`CASE WHEN ledger_transaction.kind = 'settle' THEN 1 ELSE -1 END`;
const FIGURES = [
  sql<number>`sum(${SIGN})::int`.as('payments'),
  sql<string>`sum(${SIGN} * payment.gross_minor)::text`.as('gross'),
  sql<string>`sum(${SIGN} * payment.withheld_minor)::text`.as('withheld'),
  sql<string>`sum(ledger_entry.amount_minor)::text`.as('net'),
] as const;
const PeriodSchema = z.object({ from: z.string().regex(MONTH_PATTERN), to: z.string().regex(MONTH_PATTERN) });

const MONTH = sql<string>`to_char(ledger_transaction.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`;

export async function getPaidReport(
  db: Kysely<Database>,
  actor: Actor,
  input: { from: string; to: string; locale: Locale },
): Promise<PaidReport> {
  requireFinanceRole(actor);
  PeriodSchema.parse(input);
  const problem = periodProblem(input.from, input.to);
  if (problem) throw new DomainError<ReportQueryProblem>(problem, 'to', 400);
  const { start, end } = periodBounds(input.from, input.to);
  const paid = () =>
    db
      .selectFrom('ledger_transaction')
      .innerJoin('ledger_entry', 'ledger_entry.transaction_id', 'ledger_transaction.id')
      .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
      .innerJoin('payment', (join) => join.on(PAYMENT_OF_TRANSACTION))
      .where('ledger_account.kind', '=', 'paid_out')
      .where('ledger_transaction.kind', 'in', PAID_TRANSACTION_KINDS)
      .where('ledger_transaction.created_at', '>=', start)
      .where('ledger_transaction.created_at', '<', end);

  const [byMonth, byArea, byOrg, population, settings] = await Promise.all([
    paid()
      .select([MONTH.as('month'), 'payment.currency', ...FIGURES])
      .groupBy([MONTH, 'payment.currency'])
      .execute(),
    paid()
      .innerJoin('reward', 'reward.id', 'payment.reward_id')
      .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
      .innerJoin('post', 'post.id', 'nomination.post_id')
      .innerJoin('product_area', 'product_area.id', 'post.product_area_id')
      .select(['product_area.id as area_id', 'product_area.name_en', 'product_area.name_zh', 'payment.currency', ...FIGURES])
      .groupBy(['product_area.id', 'payment.currency'])
      .execute(),
    paid()
      .innerJoin('reward', 'reward.id', 'payment.reward_id')
      .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
      .select(['app_user.org_id', 'payment.currency', ...FIGURES])
      .groupBy(['app_user.org_id', 'payment.currency'])
      .execute(),
    listOrgPopulation(db),
    getSettings(db),
  ]);

  const figuresOf = (row: { payments: number; gross: string; withheld: string; net: string }): PaidFigures => ({
    payments: row.payments,
    grossMinor: row.gross,
    withheldMinor: row.withheld,
    netMinor: row.net,
  });

  // Every month of the period for each currency paid in, so a quiet month shows as zero rather than missing.
  const currencies = [...new Set(byMonth.map((row) => row.currency))].sort();
  const months = monthsBetween(input.from, input.to).flatMap((month) =>
    currencies.map((currency) => {
      const row = byMonth.find((one) => one.month === month && one.currency === currency);
      return { month, currency, ...(row ? figuresOf(row) : ZERO) };
    }),
  );

  const areas = byArea
    .map((row) => ({ areaId: row.area_id, areaName: input.locale === 'zh-CN' ? row.name_zh : row.name_en, currency: row.currency, ...figuresOf(row) }))
    .sort((a, b) => a.currency.localeCompare(b.currency) || a.areaName.localeCompare(b.areaName, input.locale));

  // Customer groups through the anonymity module: tiers of orgs with at
  // least k active members, small orgs (and, when needed, the smallest
  // tiers) together as "other"; a group of fewer than k people is not shown.
  const groups = foldSmallGroups(groupOrgs(population, settings.anonymityThreshold));
  const perGroup = new Map<string, PaidFigures & { group: OrgGroup; currency: string }>();
  for (const row of byOrg) {
    const group = (row.org_id && groups.groupOf.get(row.org_id)) || 'other';
    const key = `${group}:${row.currency}`;
    perGroup.set(key, addFigures(perGroup.get(key) ?? { group, currency: row.currency, ...ZERO }, figuresOf(row)));
  }
  const shownGroups = [...perGroup.values()]
    .filter((row) => groups.membersIn[row.group] >= groups.k)
    .sort((a, b) => a.currency.localeCompare(b.currency) || ORG_GROUPS.indexOf(a.group) - ORG_GROUPS.indexOf(b.group));

  const totals = currencies.map((currency) =>
    months.filter((row) => row.currency === currency).reduce((sum, row) => addFigures(sum, row), { currency, ...ZERO }),
  );
  return {
    months,
    areas,
    groups: shownGroups,
    groupsWithheld: perGroup.size > shownGroups.length,
    totals,
    k: groups.k,
  };
}

const ZERO: PaidFigures = { payments: 0, grossMinor: '0', withheldMinor: '0', netMinor: '0' };

function addFigures<T extends PaidFigures>(sum: T, more: PaidFigures): T {
  return {
    ...sum,
    payments: sum.payments + more.payments,
    grossMinor: (BigInt(sum.grossMinor) + BigInt(more.grossMinor)).toString(),
    withheldMinor: (BigInt(sum.withheldMinor) + BigInt(more.withheldMinor)).toString(),
    netMinor: (BigInt(sum.netMinor) + BigInt(more.netMinor)).toString(),
  };
}
