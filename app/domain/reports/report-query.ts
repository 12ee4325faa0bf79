// The finance reports' address: the period in the query string, read the
// same way by the page and its CSV export. Client-safe.
import { z } from 'zod';

/** A calendar month, "2026-03"; reports count a movement in the UTC month it was posted. */
export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;

/** Ten years: a longer period is refused rather than drawn as an endless table. */
export const MAX_REPORT_MONTHS = 120;

export const REPORT_BREAKDOWNS = ['month', 'area', 'tier'] as const;
export type ReportBreakdown = (typeof REPORT_BREAKDOWNS)[number];

export interface ReportQuery {
  from: string;
  to: string;
}

export type ReportQueryProblem = 'period_reversed' | 'period_too_long';

const Month = z.string().regex(MONTH_PATTERN);

/** "2026-03" for a date, in UTC. */
export function monthOf(date: Date): string {
  return date.toISOString().slice(0, 7);
}

/** Every month from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  let [year, month] = from.split('-').map(Number) as [number, number];
  for (let guard = 0; guard <= MAX_REPORT_MONTHS; guard += 1) {
    const current = `${year}-${String(month).padStart(2, '0')}`;
    if (current > to) break;
    months.push(current);
    month += 1;
    if (month > 12) {
      month = 1;
      year += 1;
    }
  }
  return months;
}

/** Why a period cannot be reported, if it cannot. */
export function periodProblem(from: string, to: string): ReportQueryProblem | null {
  if (from > to) return 'period_reversed';
  const [fromYear, fromMonth] = from.split('-').map(Number) as [number, number];
  const [toYear, toMonth] = to.split('-').map(Number) as [number, number];
  return (toYear - fromYear) * 12 + (toMonth - fromMonth) + 1 > MAX_REPORT_MONTHS ? 'period_too_long' : null;
}

/**
 * The period asked for: a missing or malformed month falls back to the
 * default (this year up to this month); a period that ends before it
 * starts, or spans more than ten years, is named as a problem for the page
 * to explain.
 */
export function parseReportQuery(params: URLSearchParams, today = new Date()): { query: ReportQuery; problem: ReportQueryProblem | null } {
  const thisMonth = monthOf(today);
  const from = Month.catch(`${thisMonth.slice(0, 4)}-01`).parse(params.get('from') ?? undefined);
  const to = Month.catch(thisMonth).parse(params.get('to') ?? undefined);
  return { query: { from, to }, problem: periodProblem(from, to) };
}

export function reportQueryString(query: ReportQuery, extra: Record<string, string> = {}): string {
  return `?${new URLSearchParams({ from: query.from, to: query.to, ...extra }).toString()}`;
}
