// Paying an approved reward: each step recorded and idempotent, the ledger
// balanced at every point, a returned payment reversed, and both adapters.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { bankBatchAdapter, webhookAdapter } from '../app/domain/payouts/adapters.server.js';
import { getMemberPayoutSummary, saveMemberPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { returnPayment, runPayout, settlePayment } from '../app/domain/payouts/run-payout.server.js';
import { randomSecret } from '../app/utils/crypto.server.js';
import { createTestApp, type TestApp } from './support/services.js';
import { startTestPaymentProvider, type TestPaymentProvider } from './support/payment-provider.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';

let app: TestApp;
let world: RewardWorld;
let provider: TestPaymentProvider;
const secret = randomSecret() + randomSecret();

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app, 1_000_000_00n);
  provider = await startTestPaymentProvider({ secret });
}, 60_000);

afterAll(async () => {
  await provider?.close();
  await app?.close();
});

const db = () => app.services.db;
const bank = () => ({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) });

async function paymentsOf(rewardId: string) {
  return db().selectFrom('payment').selectAll().where('reward_id', '=', rewardId).orderBy('created_at').execute();
}

async function ledgerIsBalanced(): Promise<void> {
  const totals = await sql<{ currency: string; total: string }>`
    SELECT currency, sum(amount_minor)::text AS total FROM ledger_entry GROUP BY currency`.execute(db());
  for (const row of totals.rows) expect(row.total).toBe('0');
}

describe('bank batch payouts', () => {
  it('debit the reservation once, however often the job runs, and join the open batch', async () => {
    const { rewardId } = await makeApprovedReward(app, world);
    const before = await getPoolBalances(db(), world.poolId);
    const states = await Promise.all([runPayout(bank(), rewardId), runPayout(bank(), rewardId), runPayout(bank(), rewardId)]);
    expect(new Set(states)).toEqual(new Set(['submitted']));
    const payments = await paymentsOf(rewardId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'submitted', gross_minor: '1000000', withheld_minor: '200000', net_minor: '800000' });
    expect(payments[0]!.batch_id).toBeTruthy();
    const after = await getPoolBalances(db(), world.poolId);
    expect(BigInt(before.reserved) - BigInt(after.reserved)).toBe(1_000_000n);
    const debits = await db().selectFrom('ledger_transaction').select('id').where('idempotency_key', '=', `debit:${payments[0]!.id}`).execute();
    expect(debits).toHaveLength(1);
    await ledgerIsBalanced();
  });

  it('settle as paid once reconciled, and notify the member', async () => {
    const { rewardId, memberId } = await makeApprovedReward(app, world);
    await runPayout(bank(), rewardId);
    const [payment] = await paymentsOf(rewardId);
    await db().transaction().execute((trx) => settlePayment(trx, { paymentId: payment!.id, actorId: world.financeAdmin.id }));
    expect(await db().transaction().execute((trx) => settlePayment(trx, { paymentId: payment!.id, actorId: world.financeAdmin.id }))).toBe(
      'already_paid',
    );
    const reward = await db().selectFrom('reward').select(['status', 'paid_at']).where('id', '=', rewardId).executeTakeFirstOrThrow();
    expect(reward.status).toBe('paid');
    const notes = await db().selectFrom('notification').select('kind').where('user_id', '=', memberId).execute();
    expect(notes.map((note) => note.kind)).toEqual(expect.arrayContaining(['reward_approved', 'reward_paid']));
    await ledgerIsBalanced();
  });

  it('wait for payout details, and after a returned payment wait for new ones before paying again', async () => {
    const { rewardId, memberId } = await makeApprovedReward(app, world, { payoutDetails: false });
    expect(await runPayout(bank(), rewardId)).toBe('awaiting_details');
    expect(await paymentsOf(rewardId)).toEqual([]);
    const member = { id: memberId, orgId: world.orgId, roles: [] as [] };
    await saveMemberPayoutDetails(db(), app.services.vaultKeys, member, { accountHolder: 'A', accountNumber: 'CN12 3456 7890 1234', bankName: 'B' });
    expect(await getMemberPayoutSummary(db(), memberId)).toMatchObject({ last4: '1234' });
    await runPayout(bank(), rewardId);
    const [first] = await paymentsOf(rewardId);
    const reservedBefore = BigInt((await getPoolBalances(db(), world.poolId)).reserved);
    await db()
      .transaction()
      .execute((trx) => returnPayment(trx, { paymentId: first!.id, actorId: world.financeAdmin.id, reason: 'Account closed' }));
    expect(BigInt((await getPoolBalances(db(), world.poolId)).reserved) - reservedBefore).toBe(1_000_000n);
    expect(await runPayout(bank(), rewardId)).toBe('awaiting_details');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await saveMemberPayoutDetails(db(), app.services.vaultKeys, member, { accountHolder: 'A', accountNumber: 'CN12 3456 7890 9999', bankName: 'B' });
    expect(await runPayout(bank(), rewardId)).toBe('submitted');
    const payments = await paymentsOf(rewardId);
    expect(payments.map((payment) => payment.status)).toEqual(['returned', 'submitted']);
    await ledgerIsBalanced();
  });

  it('a payment returned after it was marked paid reverses both steps', async () => {
    const { rewardId } = await makeApprovedReward(app, world);
    await runPayout(bank(), rewardId);
    const [payment] = await paymentsOf(rewardId);
    await db().transaction().execute((trx) => settlePayment(trx, { paymentId: payment!.id, actorId: null }));
    await db().transaction().execute((trx) => returnPayment(trx, { paymentId: payment!.id, actorId: null, reason: 'Returned by bank' }));
    const keys = await db()
      .selectFrom('ledger_transaction')
      .select('kind')
      .where('idempotency_key', 'like', `%:${payment!.id}`)
      .orderBy('created_at')
      .execute();
    expect(keys.map((key) => key.kind)).toEqual(['debit', 'settle', 'reverse_settle', 'reverse_debit']);
    expect(await db().selectFrom('reward').select('status').where('id', '=', rewardId).executeTakeFirstOrThrow()).toEqual({
      status: 'approved',
    });
    await ledgerIsBalanced();
  });

  it('refuse bad payout details with a clear error', async () => {
    const member = { id: world.financeAdmin.id, orgId: null, roles: [] as [] };
    await expect(
      saveMemberPayoutDetails(db(), app.services.vaultKeys, member, { accountHolder: '', accountNumber: '12', bankName: 'B' }),
    ).rejects.toThrow(/account_number_invalid|too_small|>=1/);
  });
});

describe('webhook payouts', () => {
  it('POST each payment signed, with its idempotency key, and settle when the provider confirms', async () => {
    const adapter = webhookAdapter({ url: provider.url, secret });
    const { rewardId } = await makeApprovedReward(app, world);
    expect(await runPayout({ db: db(), keys: app.services.vaultKeys, adapter }, rewardId)).toBe('paid');
    const [payment] = await paymentsOf(rewardId);
    expect(payment).toMatchObject({ status: 'paid', adapter: 'webhook' });
    expect(provider.executions.get(payment!.id)).toBe(1);
    expect(provider.badSignatures).toBe(0);
    // The vault read for the payment is audited.
    const reads = await db().selectFrom('audit_log').select('after').where('action', '=', 'vault.read').execute();
    expect(reads.some((read) => (read.after as { paymentId?: string }).paymentId === payment!.id)).toBe(true);
  });

  it('a retry after a crash between the call and its record is recognised by the provider, not paid twice', async () => {
    const adapter = webhookAdapter({ url: provider.url, secret });
    const { rewardId } = await makeApprovedReward(app, world);
    // The provider is called, then the worker "dies" before recording the answer.
    let calls = 0;
    const dying = { ...adapter, submit: async (...args: Parameters<typeof adapter.submit>) => {
      calls += 1;
      await adapter.submit(...args);
      throw new Error('killed before recording');
    } };
    await expect(runPayout({ db: db(), keys: app.services.vaultKeys, adapter: dying }, rewardId)).rejects.toThrow('killed');
    expect(await runPayout({ db: db(), keys: app.services.vaultKeys, adapter }, rewardId)).toBe('paid');
    const [payment] = await paymentsOf(rewardId);
    expect(calls).toBe(1);
    expect(provider.executions.get(payment!.id)).toBe(1);
  });

  it('a wrong secret is refused by the provider and nothing is recorded as paid', async () => {
    const adapter = webhookAdapter({ url: provider.url, secret: 'x'.repeat(40) });
    const { rewardId } = await makeApprovedReward(app, world);
    await expect(runPayout({ db: db(), keys: app.services.vaultKeys, adapter }, rewardId)).rejects.toThrow(/401/);
    const [payment] = await paymentsOf(rewardId);
    expect(payment).toMatchObject({ status: 'debited' });
  });
});
