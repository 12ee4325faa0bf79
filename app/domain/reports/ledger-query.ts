// The ledger page's address: its filters in the query string, so that a
// report row links to exactly the ledger transactions behind its figure.
// Client-safe: the route's browser bundle imports it, so the kinds are
// spelled out here and tied to db/schema.ts by type only (as admin/choices.ts does).
import { z } from 'zod';
import type { LedgerTransactionKind } from '../../../db/schema.js';
import { ORG_GROUPS, type OrgGroup } from '../insights/choices.js';
import { MONTH_PATTERN } from './report-query.js';

export const LEDGER_KIND_CHOICES = [
  'top_up',
  'reserve',
  'release',
  'debit',
  'settle',
  'reverse_debit',
  'reverse_settle',
  'close',
] as const satisfies readonly LedgerTransactionKind[];

// A kind added to db/schema.ts without being added here fails typecheck.
const everyKindListed: [Exclude<LedgerTransactionKind, (typeof LEDGER_KIND_CHOICES)[number]>] extends [never] ? true : false = true;
void everyKindListed;

/** Transactions that move one payment's money; their idempotency key is "<kind>:<payment id>". */
export const PAYMENT_TRANSACTION_KINDS = ['debit', 'settle', 'reverse_debit', 'reverse_settle'] as const satisfies readonly LedgerTransactionKind[];

/** What "paid" means in the reports: settlements, less the settlements reversed by a return. */
export const PAID_TRANSACTION_KINDS = ['settle', 'reverse_settle'] as const satisfies readonly LedgerTransactionKind[];

export interface LedgerQuery {
  pool?: string;
  /** None means every kind. */
  kinds: LedgerTransactionKind[];
  from?: string;
  to?: string;
  /** Product area of the post a payment rewards (payment transactions only). */
  area?: string;
  /** Customer group of the person a payment rewards (payment transactions only). */
  group?: OrgGroup;
  after?: string;
}

// A bad or stale parameter falls back to "no filter" instead of failing the page.
const LedgerQuerySchema = z.object({
  pool: z.string().min(1).max(64).optional().catch(undefined),
  from: z.string().regex(MONTH_PATTERN).optional().catch(undefined),
  to: z.string().regex(MONTH_PATTERN).optional().catch(undefined),
  area: z.string().min(1).max(64).optional().catch(undefined),
  group: z.enum(ORG_GROUPS).optional().catch(undefined),
  after: z.string().min(1).max(300).optional().catch(undefined),
});

const isKind = (value: string): value is LedgerTransactionKind => (LEDGER_KIND_CHOICES as readonly string[]).includes(value);

export function parseLedgerQuery(params: URLSearchParams): LedgerQuery {
  const single = Object.fromEntries([...params].filter(([key, value]) => key !== 'kind' && value !== ''));
  const kinds = [...new Set(params.getAll('kind').filter(isKind))];
  return { kinds, ...LedgerQuerySchema.parse(single) };
}

/** The query string for `query` with `changes`; a new filter starts at the first page. */
export function ledgerQueryString(query: LedgerQuery, changes: Partial<LedgerQuery> = {}): string {
  const next = { ...query, after: undefined, ...changes };
  const search = new URLSearchParams();
  if (next.pool) search.set('pool', next.pool);
  for (const kind of next.kinds) search.append('kind', kind);
  if (next.from) search.set('from', next.from);
  if (next.to) search.set('to', next.to);
  if (next.area) search.set('area', next.area);
  if (next.group) search.set('group', next.group);
  if (next.after) search.set('after', next.after);
  const text = search.toString();
  return text ? `?${text}` : '';
}
