import { type Kysely, type RawBuilder, sql } from 'kysely';
import { z } from 'zod';
import type { Database, LedgerAccountKind, LedgerTransactionKind, Locale } from '../../../db/schema.js';
import { decodeCursor, encodeCursor } from '../../utils/cursor.server.js';
import type { Actor } from '../admin/actor.server.js';
import { DomainError } from '../errors.js';
import { foldSmallGroups, groupOrgs, listOrgPopulation, type OrgFilterError, orgIdsForFilter } from '../insights/org-breakdown.server.js';
import { getSettings } from '../settings/settings.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { type LedgerQuery, PAYMENT_TRANSACTION_KINDS } from './ledger-query.js';
import { PAYMENT_OF_TRANSACTION, periodBounds } from './paid-report.server.js';

export const LEDGER_PAGE_SIZE = 50;

/** A tier counted with "other" in the reports (see foldSmallGroups) cannot be selected on its own. */
export type LedgerFilterError = OrgFilterError | 'org_group_folded';

export interface LedgerEntryRow {
  accountKind: LedgerAccountKind;
  currency: string;
  /** Signed minor units, as a string. */
  amountMinor: string;
}

export interface LedgerTransactionRow {
  id: string;
  kind: LedgerTransactionKind;
  createdAt: Date;
  idempotencyKey: string;
  poolName: string | null;
  memo: string | null;
  /** Null when the worker posted it; else the staff member, by staff display name (null when they have none). */
  postedBy: { displayName: string | null } | null;
  /** For a payment's transactions: the payment, and the bank batch it is in. */
  paymentId: string | null;
  batchId: string | null;
  entries: LedgerEntryRow[];
}

export interface LedgerPage {
  transactions: LedgerTransactionRow[];
  /** Per account kind and currency, over every transaction the filters match (not just this page). */
  totals: Array<{ accountKind: LedgerAccountKind; currency: string; amountMinor: string }>;
  matching: number;
  next: string | null;
  pools: Array<{ id: string; name: string; currency: string }>;
  areas: Array<{ id: string; name: string }>;
  k: number;
}

const CursorSchema = z.tuple([z.iso.datetime(), z.string().min(1).max(64)]);

/**
 * The ledger's transactions, newest first, with their entries: what the
 * reports' figures are made of. Filters by pool, kind and month; the area
 * and customer-group filters (which a report row links with) select the
 * transactions of payments for posts in that area, or to people in that
 * group, and a group is refused when it would single people out.
 */
export async function listLedger(
  db: Kysely<Database>,
  actor: Actor,
  input: { query: LedgerQuery; locale: Locale },
): Promise<LedgerPage> {
  requireFinanceRole(actor);
  const { query } = input;
  const settings = await getSettings(db);
  let orgIds: string[] | undefined;
  if (query.group) {
    // The groups the report shows, so a report row's link selects exactly its figure.
    const byTier = groupOrgs(await listOrgPopulation(db), settings.anonymityThreshold);
    const groups = foldSmallGroups(byTier);
    if (query.group !== 'other' && groups.membersIn[query.group] === 0 && byTier.membersIn[query.group] > 0) {
      throw new DomainError<LedgerFilterError>('org_group_folded', 'org', 400);
    }
    orgIds = orgIdsForFilter(groups, query.group);
  }
  const filter = ledgerFilter(query, orgIds);
  const after = decodeCursor(query.after, CursorSchema);

  const [pagePlusOne, totals, matching, pools, areas] = await Promise.all([
    db
      .selectFrom('ledger_transaction')
      .leftJoin('pool', 'pool.id', 'ledger_transaction.pool_id')
      .leftJoin('app_user as poster', 'poster.id', 'ledger_transaction.created_by')
      .leftJoin('payment', (join) =>
        join.on(sql<boolean>`ledger_transaction.kind IN (${sql.join(PAYMENT_TRANSACTION_KINDS)}) AND ${PAYMENT_OF_TRANSACTION}`),
      )
      .select([
        'ledger_transaction.id',
        'ledger_transaction.kind',
        'ledger_transaction.created_at',
        'ledger_transaction.idempotency_key',
        'ledger_transaction.memo',
        'pool.name as pool_name',
        'poster.id as poster_id',
        'poster.staff_display_name',
        'payment.id as payment_id',
        'payment.batch_id',
      ])
      .where(filter)
      .$if(Boolean(after), (qb) =>
        qb.where((eb) => eb(eb.refTuple('ledger_transaction.created_at', 'ledger_transaction.id'), '<', eb.tuple(new Date(after![0]), after![1]))),
      )
      .orderBy('ledger_transaction.created_at', 'desc')
      .orderBy('ledger_transaction.id', 'desc')
      .limit(LEDGER_PAGE_SIZE + 1)
      .execute(),
    db
      .selectFrom('ledger_entry')
      .innerJoin('ledger_transaction', 'ledger_transaction.id', 'ledger_entry.transaction_id')
      .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
      .select(['ledger_account.kind', 'ledger_entry.currency', sql<string>`sum(ledger_entry.amount_minor)::text`.as('total')])
      .where(filter)
      .groupBy(['ledger_account.kind', 'ledger_entry.currency'])
      .orderBy('ledger_entry.currency')
      .orderBy('ledger_account.kind')
      .execute(),
    db
      .selectFrom('ledger_transaction')
      .select(sql<number>`count(*)::int`.as('count'))
      .where(filter)
      .executeTakeFirstOrThrow(),
    db.selectFrom('pool').select(['id', 'name', 'currency']).orderBy('created_at', 'desc').execute(),
    db
      .selectFrom('product_area')
      .select(['id', input.locale === 'zh-CN' ? 'name_zh as name' : 'name_en as name'])
      .orderBy('position')
      .orderBy('name_en')
      .execute(),
  ]);

  const page = pagePlusOne.slice(0, LEDGER_PAGE_SIZE);
  const entries = page.length
    ? await db
        .selectFrom('ledger_entry')
        .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
        .select(['ledger_entry.transaction_id', 'ledger_entry.currency', 'ledger_entry.amount_minor', 'ledger_account.kind'])
        .where(
          'ledger_entry.transaction_id',
          'in',
          page.map((row) => row.id),
        )
        .orderBy('ledger_entry.id')
        .execute()
    : [];
  const last = page.at(-1);
  return {
    transactions: page.map((row) => ({
      id: row.id,
      kind: row.kind,
      createdAt: row.created_at,
      idempotencyKey: row.idempotency_key,
      poolName: row.pool_name,
      memo: row.memo,
      postedBy: row.poster_id ? { displayName: row.staff_display_name } : null,
      paymentId: row.payment_id,
      batchId: row.batch_id,
      entries: entries
        .filter((entry) => entry.transaction_id === row.id)
        .map((entry) => ({ accountKind: entry.kind, currency: entry.currency, amountMinor: entry.amount_minor })),
    })),
    totals: totals.map((row) => ({ accountKind: row.kind, currency: row.currency, amountMinor: row.total })),
    matching: matching.count,
    next: pagePlusOne.length > LEDGER_PAGE_SIZE && last ? encodeCursor([last.created_at.toISOString(), last.id]) : null,
    pools,
    areas,
    k: settings.anonymityThreshold,
  };
}

/** The filters as one condition on ledger_transaction, for the page, its totals and its count alike. */
function ledgerFilter(query: LedgerQuery, orgIds: string[] | undefined): RawBuilder<boolean> {
  const conditions: RawBuilder<unknown>[] = [];
  if (query.pool) conditions.push(sql`ledger_transaction.pool_id = ${query.pool}`);
  if (query.kinds.length) conditions.push(sql`ledger_transaction.kind IN (${sql.join(query.kinds)})`);
  if (query.from) conditions.push(sql`ledger_transaction.created_at >= ${periodBounds(query.from, query.from).start}`);
  if (query.to) conditions.push(sql`ledger_transaction.created_at < ${periodBounds(query.to, query.to).end}`);
  if (query.area || orgIds) {
    const payees = [sql`${PAYMENT_OF_TRANSACTION}`];
    if (query.area) payees.push(sql`post.product_area_id = ${query.area}`);
    if (orgIds) payees.push(orgIds.length ? sql`app_user.org_id IN (${sql.join(orgIds)})` : sql`false`);
    conditions.push(sql`ledger_transaction.kind IN (${sql.join(PAYMENT_TRANSACTION_KINDS)}) AND EXISTS (
      SELECT 1 FROM payment
        JOIN reward ON reward.id = payment.reward_id
        JOIN nomination ON nomination.id = reward.nomination_id
        JOIN post ON post.id = nomination.post_id
        JOIN app_user ON app_user.id = reward.beneficiary_id
      WHERE ${sql.join(payees, sql` AND `)})`);
  }
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql`) AND (`)})` : sql<boolean>`true`;
}
