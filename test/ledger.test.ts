// The money promise at the database level: balanced transactions, append-only
// entries, no overdraft under concurrency, idempotent steps. These tests write
// raw SQL where the point is that the database itself refuses.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isDomainError } from '../app/domain/errors.js';
import { getPoolBalances, type LedgerLine, postLedgerTransaction } from '../app/domain/ledger/ledger.server.js';
import { formatMoney, minorToDecimal, parseAmount } from '../app/domain/money/money.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { createTestApp, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
let financeAdmin: Actor;

beforeAll(async () => {
  app = await createTestApp();
  const user = await makeUser(app, { roles: ['finance_admin'] });
  financeAdmin = { id: user.id, orgId: null, roles: ['finance_admin'] };
});

afterAll(async () => {
  await app?.close();
});

const db = () => app.services.db;

async function newPool(currency = 'CNY', topUpMinor = 0n): Promise<string> {
  const { id } = await createPool(db(), financeAdmin, {
    name: `Pool ${randomId().slice(0, 6)}`,
    currency,
    budgetMinor: 200_000_000n,
    periodStart: '2026-01-01',
    periodEnd: '2026-12-31',
  });
  if (topUpMinor > 0n) {
    await topUpPool(db(), financeAdmin, { poolId: id, amountMinor: topUpMinor, reason: 'initial budget', submissionKey: randomId() });
  }
  return id;
}

async function accountId(poolId: string, kind: string): Promise<string> {
  const row = await db()
    .selectFrom('ledger_account')
    .select('id')
    .where('pool_id', '=', poolId)
    .where('kind', '=', kind as never)
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Moves money between two of a pool's accounts in its own database transaction. */
function move(poolId: string, kind: 'reserve' | 'release', amountMinor: bigint, key = randomId()) {
  const [from, to] = kind === 'reserve' ? (['pool_available', 'pool_reserved'] as const) : (['pool_reserved', 'pool_available'] as const);
  return db()
    .transaction()
    .execute((trx) =>
      postLedgerTransaction(trx, {
        kind,
        idempotencyKey: `${kind}:${key}`,
        poolId,
        actorId: null,
        lines: [
          { account: { poolId, kind: from }, amountMinor: -amountMinor },
          { account: { poolId, kind: to }, amountMinor },
        ],
      }),
    );
}

async function ledgerTotalsByCurrency(): Promise<Record<string, string>> {
  const rows = await db()
    .selectFrom('ledger_entry')
    .select(['currency', (eb) => eb.fn.sum<string>('amount_minor').as('total')])
    .groupBy('currency')
    .execute();
  return Object.fromEntries(rows.map((row) => [row.currency, String(row.total)]));
}

async function expectAccountsMatchEntries(): Promise<void> {
  const drift = await sql<{ id: string }>`
    SELECT a.id FROM ledger_account a
    LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM ledger_entry GROUP BY account_id) e ON e.account_id = a.id
    WHERE a.balance_minor <> coalesce(e.total, 0) OR (NOT a.may_go_negative AND a.balance_minor < 0)`.execute(db());
  expect(drift.rows).toEqual([]);
}

describe('the database refuses', () => {
  it('a transaction whose entries do not sum to zero, at commit', async () => {
    const poolId = await newPool('CNY', 100_00n);
    const available = await accountId(poolId, 'pool_available');
    const attempt = db()
      .transaction()
      .execute(async (trx) => {
        const id = randomId();
        await trx.insertInto('ledger_transaction').values({ id, kind: 'top_up', idempotency_key: `raw:${id}`, pool_id: poolId }).execute();
        await trx.insertInto('ledger_entry').values({ transaction_id: id, account_id: available, currency: 'CNY', amount_minor: '500' }).execute();
      });
    await expect(attempt).rejects.toThrow(/does not balance/);
    expect((await getPoolBalances(db(), poolId)).available).toBe('10000');
  });

  it('entries that balance in total but not per currency', async () => {
    const cnyPool = await newPool('CNY', 100_00n);
    const usdPool = await newPool('USD', 100_00n);
    const cnyAvailable = await accountId(cnyPool, 'pool_available');
    const usdAvailable = await accountId(usdPool, 'pool_available');
    const attempt = db()
      .transaction()
      .execute(async (trx) => {
        const id = randomId();
        await trx.insertInto('ledger_transaction').values({ id, kind: 'release', idempotency_key: `raw:${id}`, pool_id: null }).execute();
        await trx
          .insertInto('ledger_entry')
          .values([
            { transaction_id: id, account_id: cnyAvailable, currency: 'CNY', amount_minor: '-100' },
            { transaction_id: id, account_id: usdAvailable, currency: 'USD', amount_minor: '100' },
          ])
          .execute();
      });
    await expect(attempt).rejects.toThrow(/does not balance in (CNY|USD)/);
  });

  it('an entry in another currency than its account', async () => {
    const poolId = await newPool('CNY');
    const available = await accountId(poolId, 'pool_available');
    const attempt = db()
      .transaction()
      .execute(async (trx) => {
        const id = randomId();
        await trx.insertInto('ledger_transaction').values({ id, kind: 'top_up', idempotency_key: `raw:${id}`, pool_id: poolId }).execute();
        await trx.insertInto('ledger_entry').values({ transaction_id: id, account_id: available, currency: 'USD', amount_minor: '1' }).execute();
      });
    await expect(attempt).rejects.toThrow(/ledger_entry_account_currency_fk/);
  });

  it('changing or deleting an entry or a transaction, and truncating them', async () => {
    await newPool('CNY', 50_00n);
    await expect(sql`UPDATE ledger_entry SET amount_minor = amount_minor * 2`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ledger_entry`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`UPDATE ledger_transaction SET memo = 'changed'`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`DELETE FROM ledger_transaction`.execute(db())).rejects.toThrow(/append-only/);
    await expect(sql`TRUNCATE ledger_entry`.execute(db())).rejects.toThrow(/append-only/);
  });

  it('writing an account balance directly, or deleting an account', async () => {
    const poolId = await newPool('CNY', 50_00n);
    await expect(
      sql`UPDATE ledger_account SET balance_minor = 999999999 WHERE pool_id = ${poolId} AND kind = 'pool_available'`.execute(db()),
    ).rejects.toThrow(/only through entries/);
    await expect(sql`DELETE FROM ledger_account WHERE pool_id = ${poolId}`.execute(db())).rejects.toThrow(/never deleted/);
    expect((await getPoolBalances(db(), poolId)).available).toBe('5000');
  });

  it('overdrawing a pool, even with a raw insert that skips the code', async () => {
    const poolId = await newPool('CNY', 10_00n);
    const available = await accountId(poolId, 'pool_available');
    const reserved = await accountId(poolId, 'pool_reserved');
    const attempt = db()
      .transaction()
      .execute(async (trx) => {
        const id = randomId();
        await trx.insertInto('ledger_transaction').values({ id, kind: 'reserve', idempotency_key: `raw:${id}`, pool_id: poolId }).execute();
        await trx
          .insertInto('ledger_entry')
          .values([
            { transaction_id: id, account_id: available, currency: 'CNY', amount_minor: '-1001' },
            { transaction_id: id, account_id: reserved, currency: 'CNY', amount_minor: '1001' },
          ])
          .execute();
      });
    await expect(attempt).rejects.toThrow(/ledger_account_not_overdrawn/);
    await expect(move(poolId, 'reserve', 10_01n)).rejects.toMatchObject({ code: 'insufficient_funds' });
    expect(await getPoolBalances(db(), poolId)).toMatchObject({ available: '1000', reserved: '0' });
  });

  it('a zero amount line', async () => {
    const poolId = await newPool('CNY', 10_00n);
    await expect(move(poolId, 'reserve', 0n)).rejects.toMatchObject({ code: 'unbalanced' });
  });
});

describe('postings', () => {
  it('with the same idempotency key move money once', async () => {
    const poolId = await newPool('CNY', 100_00n);
    const first = await move(poolId, 'reserve', 30_00n, 'same-step');
    const again = await move(poolId, 'reserve', 30_00n, 'same-step');
    expect(again).toEqual({ id: first.id, created: false });
    expect(await getPoolBalances(db(), poolId)).toMatchObject({ available: '7000', reserved: '3000' });
  });

  it('top-ups sent twice with the same form key count once, with one audit row', async () => {
    const poolId = await newPool('CNY');
    const input = { poolId, amountMinor: 500_00n, reason: 'Q3 budget', submissionKey: randomId() };
    const [a, b] = await Promise.all([topUpPool(db(), financeAdmin, input), topUpPool(db(), financeAdmin, input)]);
    expect(a.transactionId).toBe(b.transactionId);
    expect((await getPoolBalances(db(), poolId)).available).toBe('50000');
    const audits = await db().selectFrom('audit_log').select('id').where('action', '=', 'pool.top_up').where('subject_id', '=', poolId).execute();
    expect(audits).toHaveLength(1);
  });

  it('top-ups need a finance admin and an open pool', async () => {
    const poolId = await newPool('CNY');
    const approver: Actor = { id: financeAdmin.id, orgId: null, roles: ['finance_approver'] };
    await expect(topUpPool(db(), approver, { poolId, amountMinor: 1n, reason: 'x', submissionKey: randomId() })).rejects.toMatchObject({
      code: 'forbidden',
    });
    await expect(
      topUpPool(db(), financeAdmin, { poolId: 'nope', amountMinor: 1n, reason: 'x', submissionKey: randomId() }),
    ).rejects.toMatchObject({ code: 'pool_not_found' });
  });

  it('50 concurrent reserves that exceed the pool: exactly those that fit succeed, the rest are refused', async () => {
    const poolId = await newPool('CNY', 1_000_00n);
    const results = await Promise.allSettled(Array.from({ length: 50 }, () => move(poolId, 'reserve', 30_00n)));
    const succeeded = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected');
    expect(succeeded).toHaveLength(33);
    expect(refused).toHaveLength(17);
    for (const result of refused) {
      const reason = (result as PromiseRejectedResult).reason;
      expect(isDomainError(reason) && reason.code).toBe('insufficient_funds');
    }
    expect(await getPoolBalances(db(), poolId)).toMatchObject({ available: '1000', reserved: '99000' });
    expect(await ledgerTotalsByCurrency()).toMatchObject({ CNY: '0' });
    await expectAccountsMatchEntries();
  });
});

describe('ledger invariants over random sequences (property)', () => {
  type Step =
    | { op: 'top_up'; amount: bigint }
    | { op: 'reserve'; amount: bigint }
    | { op: 'release'; amount: bigint }
    | { op: 'debit'; amount: bigint; withheldPercent: number }
    | { op: 'settle'; amount: bigint }
    | { op: 'reverse_debit'; amount: bigint };

  const amount = fc.bigInt({ min: 1n, max: 5_000_00n });
  const step: fc.Arbitrary<Step> = fc.oneof(
    fc.record({ op: fc.constant('top_up' as const), amount }),
    fc.record({ op: fc.constant('reserve' as const), amount }),
    fc.record({ op: fc.constant('release' as const), amount }),
    fc.record({ op: fc.constant('debit' as const), amount, withheldPercent: fc.integer({ min: 0, max: 40 }) }),
    fc.record({ op: fc.constant('settle' as const), amount }),
    fc.record({ op: fc.constant('reverse_debit' as const), amount }),
  );

  function linesFor(poolId: string, current: Step): LedgerLine[] {
    const pool = (kind: 'pool_available' | 'pool_reserved' | 'payee_payable' | 'withholding_payable') => ({ poolId, kind });
    const a = current.amount;
    switch (current.op) {
      case 'top_up':
        return [
          { account: { currency: 'CNY', kind: 'funding' }, amountMinor: -a },
          { account: pool('pool_available'), amountMinor: a },
        ];
      case 'reserve':
        return [
          { account: pool('pool_available'), amountMinor: -a },
          { account: pool('pool_reserved'), amountMinor: a },
        ];
      case 'release':
        return [
          { account: pool('pool_reserved'), amountMinor: -a },
          { account: pool('pool_available'), amountMinor: a },
        ];
      case 'debit':
      case 'reverse_debit': {
        // Gross leaves the reservation; net is owed to the payee, the rest withheld.
        const withheld = current.op === 'debit' ? (a * BigInt(current.withheldPercent)) / 100n : 0n;
        const sign = current.op === 'debit' ? 1n : -1n;
        const lines: LedgerLine[] = [
          { account: pool('pool_reserved'), amountMinor: -a * sign },
          { account: pool('payee_payable'), amountMinor: (a - withheld) * sign },
        ];
        if (withheld > 0n) lines.push({ account: pool('withholding_payable'), amountMinor: withheld * sign });
        return lines;
      }
      case 'settle':
        return [
          { account: pool('payee_payable'), amountMinor: -a },
          { account: { currency: 'CNY', kind: 'paid_out' }, amountMinor: a },
        ];
    }
  }

  it('every step either applies exactly as the model says or is refused and changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const poolId = await newPool('CNY');
        const model = { pool_available: 0n, pool_reserved: 0n, payee_payable: 0n, withholding_payable: 0n };
        for (const current of steps) {
          const lines = linesFor(poolId, current);
          const next = { ...model };
          for (const line of lines) if ('poolId' in line.account) next[line.account.kind] += line.amountMinor;
          const fits = Object.values(next).every((balance) => balance >= 0n);
          const posting = db()
            .transaction()
            .execute((trx) =>
              postLedgerTransaction(trx, { kind: current.op, idempotencyKey: randomId(), poolId, actorId: null, lines }),
            );
          if (fits) {
            await posting;
            Object.assign(model, next);
          } else {
            await expect(posting).rejects.toMatchObject({ code: 'insufficient_funds' });
          }
          const balances = await db()
            .selectFrom('ledger_account')
            .select(['kind', 'balance_minor'])
            .where('pool_id', '=', poolId)
            .execute();
          for (const row of balances) expect(BigInt(row.balance_minor)).toBe(model[row.kind as keyof typeof model]);
        }
        expect((await ledgerTotalsByCurrency()).CNY).toBe('0');
      }),
      { numRuns: 12 },
    );
    await expectAccountsMatchEntries();
  }, 120_000);
});

describe('money at the edges', () => {
  it('parses what people type into minor units, exactly', () => {
    expect(parseAmount('2,000,000.00', 'CNY')).toEqual({ ok: true, minor: 200_000_000n });
    expect(parseAmount('２０００．５', 'CNY')).toEqual({ ok: true, minor: 200_050n });
    expect(parseAmount('1 200', 'JPY')).toEqual({ ok: true, minor: 1200n });
    expect(parseAmount('0.1', 'JPY')).toEqual({ ok: false, error: 'amount_too_precise' });
    expect(parseAmount('1.005', 'CNY')).toEqual({ ok: false, error: 'amount_too_precise' });
    expect(parseAmount('-5', 'CNY')).toEqual({ ok: false, error: 'amount_invalid' });
    expect(parseAmount('1e6', 'CNY')).toEqual({ ok: false, error: 'amount_invalid' });
    expect(parseAmount('99999999999999999', 'CNY')).toEqual({ ok: false, error: 'amount_too_large' });
  });

  it('formats minor units without going through a float', () => {
    expect(formatMoney('900719925474099312', 'CNY', 'en')).toBe('CN¥9,007,199,254,740,993.12');
    expect(formatMoney(200_000_000n, 'CNY', 'zh-CN')).toBe('¥2,000,000.00');
    expect(minorToDecimal(-5n, 'CNY')).toBe('-0.05');
    expect(minorToDecimal(1200n, 'JPY')).toBe('1200');
  });
});
