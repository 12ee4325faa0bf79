import { type Kysely, type Transaction } from 'kysely';
import type { Database, LedgerAccountKind, LedgerTransactionKind } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { DomainError } from '../errors.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Accounts that belong to one pool; 'funding' and 'paid_out' are one per currency. */
export const POOL_ACCOUNT_KINDS = ['pool_available', 'pool_reserved', 'payee_payable', 'withholding_payable'] as const;
export type PoolAccountKind = (typeof POOL_ACCOUNT_KINDS)[number];
export type GlobalAccountKind = Exclude<LedgerAccountKind, PoolAccountKind>;

/** Which side an entry moves: a pool account, or a global one in a currency. */
export type AccountRef = { poolId: string; kind: PoolAccountKind } | { currency: string; kind: GlobalAccountKind };

export interface LedgerLine {
  account: AccountRef;
  /** Signed minor units; a transaction's lines sum to zero. */
  amountMinor: bigint;
}

export interface LedgerTransactionInput {
  kind: LedgerTransactionKind;
  /** Names the step (e.g. "debit:<payment id>"): posting it again returns the first posting. */
  idempotencyKey: string;
  poolId: string | null;
  memo?: string | null;
  actorId: string | null;
  lines: readonly LedgerLine[];
}

export type LedgerError = 'insufficient_funds' | 'unbalanced' | 'account_missing';

/** The four accounts of a new pool, in its transaction. */
export async function openPoolAccounts(trx: Transaction<Database>, poolId: string, currency: string): Promise<void> {
  await trx
    .insertInto('ledger_account')
    .values(POOL_ACCOUNT_KINDS.map((kind) => ({ id: randomId(), pool_id: poolId, kind, currency })))
    .execute();
  // Funding is where budgets come from and paid_out where payments go: their
  // balances are the mirror image of the pools', so they run negative or positive freely.
  for (const kind of ['funding', 'paid_out'] as const) {
    await trx
      .insertInto('ledger_account')
      .values({ id: randomId(), pool_id: null, kind, currency, may_go_negative: kind === 'funding' })
      .onConflict((oc) => oc.columns(['kind', 'currency']).where('pool_id', 'is', null).doNothing())
      .execute();
  }
}

/**
 * Posts one balanced ledger transaction inside the caller's transaction and
 * returns its id. The same idempotency key posts nothing new and returns the
 * first posting's id, so a retried step never moves money twice. The database
 * checks the balance at commit and refuses to overdraw an account; both are
 * also checked here first for a clear error.
 */
export async function postLedgerTransaction(
  trx: Transaction<Database>,
  input: LedgerTransactionInput,
): Promise<{ id: string; created: boolean }> {
  const existing = await trx
    .selectFrom('ledger_transaction')
    .select('id')
    .where('idempotency_key', '=', input.idempotencyKey)
    .executeTakeFirst();
  if (existing) return { id: existing.id, created: false };

  const accounts = await resolveAccounts(trx, input.lines.map((line) => line.account));
  const totals = new Map<string, bigint>();
  for (const [index, line] of input.lines.entries()) {
    const currency = accounts[index]!.currency;
    totals.set(currency, (totals.get(currency) ?? 0n) + line.amountMinor);
  }
  if ([...totals.values()].some((total) => total !== 0n) || input.lines.some((line) => line.amountMinor === 0n)) {
    throw new DomainError<LedgerError>('unbalanced', undefined, 500);
  }

  const id = randomId();
  await trx
    .insertInto('ledger_transaction')
    .values({
      id,
      kind: input.kind,
      idempotency_key: input.idempotencyKey,
      pool_id: input.poolId,
      memo: input.memo ?? null,
      created_by: input.actorId,
    })
    .execute();
  try {
    await trx
      .insertInto('ledger_entry')
      .values(
        input.lines.map((line, index) => ({
          transaction_id: id,
          account_id: accounts[index]!.id,
          currency: accounts[index]!.currency,
          amount_minor: line.amountMinor.toString(),
        })),
      )
      .execute();
  } catch (error) {
    if (isOverdraft(error)) throw new DomainError<LedgerError>('insufficient_funds', 'amount', 409);
    throw error;
  }
  return { id, created: true };
}

async function resolveAccounts(executor: Executor, refs: readonly AccountRef[]): Promise<{ id: string; currency: string }[]> {
  const resolved: { id: string; currency: string }[] = [];
  for (const ref of refs) {
    let query = executor.selectFrom('ledger_account').select(['id', 'currency']).where('kind', '=', ref.kind);
    query = 'poolId' in ref ? query.where('pool_id', '=', ref.poolId) : query.where('pool_id', 'is', null).where('currency', '=', ref.currency);
    const account = await query.executeTakeFirst();
    if (!account) throw new DomainError<LedgerError>('account_missing', undefined, 500);
    resolved.push(account);
  }
  return resolved;
}

/** The CHECK that keeps an account from going below zero refused the entry. */
export function isOverdraft(error: unknown): boolean {
  const pgError = error as { code?: unknown; constraint?: unknown };
  return pgError?.code === '23514' && pgError.constraint === 'ledger_account_not_overdrawn';
}

export interface PoolBalances {
  available: string;
  reserved: string;
  /** Debited from the pool: payable to payees, withheld, or settled as paid. */
  spent: string;
}

/** A pool's available balance in minor units: one row, kept by the entry trigger. */
export async function getPoolAvailable(executor: Executor, poolId: string): Promise<bigint> {
  const row = await executor
    .selectFrom('ledger_account')
    .select('balance_minor')
    .where('pool_id', '=', poolId)
    .where('kind', '=', 'pool_available')
    .executeTakeFirst();
  return BigInt(row?.balance_minor ?? '0');
}

/** Balances of a pool's accounts, in minor units (strings: bigint never becomes a JS number). */
export async function getPoolBalances(executor: Executor, poolId: string): Promise<PoolBalances> {
  const rows = await executor
    .selectFrom('ledger_account')
    .select(['kind', 'balance_minor'])
    .where('pool_id', '=', poolId)
    .execute();
  const balance = (kind: PoolAccountKind) => BigInt(rows.find((row) => row.kind === kind)?.balance_minor ?? '0');
  const spentRow = await executor
    .selectFrom('ledger_entry')
    .innerJoin('ledger_transaction', 'ledger_transaction.id', 'ledger_entry.transaction_id')
    .innerJoin('ledger_account', 'ledger_account.id', 'ledger_entry.account_id')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string>('ledger_entry.amount_minor'), eb.val('0')).as('total'))
    .where('ledger_transaction.pool_id', '=', poolId)
    .where('ledger_account.kind', '=', 'pool_reserved')
    .where('ledger_transaction.kind', 'in', ['debit', 'reverse_debit'])
    .executeTakeFirstOrThrow();
  return {
    available: balance('pool_available').toString(),
    reserved: balance('pool_reserved').toString(),
    spent: (-BigInt(spentRow.total)).toString(),
  };
}
