// Bank batches from open to reconciled: export closes a batch (an empty one
// is refused and the refusal audited), the bank files hold exactly its
// payments with every vault read audited, and reconciling settles or
// reverses each payment in the ledger. Driven through the domain and the
// HTTP loaders and actions finance uses.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { bankBatchAdapter, type PayoutAdapter } from '../app/domain/payouts/adapters.server.js';
import {
  BANK_CSV_COLUMNS,
  buildBatchFile,
  exportBatch,
  listBatches,
  markBatchSent,
  reconcileBatchPayment,
} from '../app/domain/payouts/batches.server.js';
import { saveMemberPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import * as batchRoute from '../app/routes/finance.batches_.$batchId.js';
import * as batchCsvRoute from '../app/routes/finance.batches_.$batchId[.]csv.js';
import * as batchXmlRoute from '../app/routes/finance.batches_.$batchId[.]xml.js';
import * as batchesRoute from '../app/routes/finance.batches.js';
import { randomId } from '../app/utils/crypto.server.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';
import { at, childrenNamed, parseXml } from './support/xml.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let world: RewardWorld;

beforeAll(async () => {
  app = await createTestApp({
    PAYOUT_DEBTOR_NAME: 'Example Vendor Ltd',
    PAYOUT_DEBTOR_ACCOUNT: 'DE89 3704 0044 0532 0130 00',
    PAYOUT_DEBTOR_BIC: 'COBADEFFXXX',
  });
  world = await makeRewardWorld(app, 10_000_000_00n);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const db = () => app.services.db;
const bank = () => ({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) });

/** An approved reward paid into the open batch, its payee's bank details distinctive enough to search for. */
async function payIntoBatch(holder = `Payee ${randomId().slice(0, 8)}`) {
  const { rewardId, memberId } = await makeApprovedReward(app, world, { payoutDetails: false });
  const accountNumber = `6222${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
  await saveMemberPayoutDetails(db(), app.services.vaultKeys, { id: memberId, orgId: world.orgId, roles: [] }, {
    accountHolder: holder,
    accountNumber,
    bankName: 'Example Bank of Commerce',
  });
  expect(await runPayout(bank(), rewardId)).toBe('submitted');
  const payment = await db().selectFrom('payment').selectAll().where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
  return { payment, rewardId, memberId, holder, accountNumber };
}

async function batchOf(batchId: string) {
  return db().selectFrom('payment_batch').selectAll().where('id', '=', batchId).executeTakeFirstOrThrow();
}

async function auditRows(action: string, subjectId?: string) {
  return db()
    .selectFrom('audit_log')
    .select(['actor_id', 'subject_id', 'before', 'after'])
    .where('action', '=', action)
    .$if(Boolean(subjectId), (query) => query.where('subject_id', '=', subjectId!))
    .orderBy('id')
    .execute();
}

async function ledgerIsBalanced(): Promise<void> {
  const totals = await sql<{ total: string }>`SELECT sum(amount_minor)::text AS total FROM ledger_entry GROUP BY currency`.execute(db());
  for (const row of totals.rows) expect(row.total).toBe('0');
}

async function call(
  handler: Handler,
  path: string,
  as: Pick<Actor, 'id'>,
  init: { form?: Record<string, string>; params?: Record<string, string> } = {},
): Promise<{ status: number; data?: any; response?: Response; location?: string | null }> {
  const request = makeRequest(path, { form: init.form, cookie: await sessionCookieFor(app, as.id) });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: init.params ?? {} }));
  if (response) return { status: response.status, response, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** Every batch starts from a clean slate: close whatever open CNY batch earlier tests left. */
async function freshOpenBatch() {
  const open = await db().selectFrom('payment_batch').select('id').where('status', '=', 'open').where('currency', '=', 'CNY').executeTakeFirst();
  if (open) await exportBatch(db(), world.financeAdmin, { batchId: open.id });
}

describe('batch lifecycle', () => {
  let first: Awaited<ReturnType<typeof payIntoBatch>>;
  let second: Awaited<ReturnType<typeof payIntoBatch>>;
  let batchId: string;

  it('collects payments in the open batch of their currency; export closes it and the next payment opens a new one', async () => {
    await freshOpenBatch();
    first = await payIntoBatch();
    second = await payIntoBatch();
    batchId = first.payment.batch_id!;
    expect(second.payment.batch_id).toBe(batchId);

    const exported = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'export' },
      params: { batchId },
    });
    expect(exported).toMatchObject({ status: 302, location: `/finance/batches/${batchId}` });
    expect(await batchOf(batchId)).toMatchObject({ status: 'exported', exported_by: world.financeAdmin.id });
    expect(await auditRows('batch.export', batchId)).toEqual([
      expect.objectContaining({
        actor_id: world.financeAdmin.id,
        after: { status: 'exported', payments: 2, netMinor: '1600000', currency: 'CNY' },
      }),
    ]);

    const third = await payIntoBatch();
    expect(third.payment.batch_id).not.toBe(batchId);
    expect(await batchOf(third.payment.batch_id!)).toMatchObject({ status: 'open' });
    // Exporting twice is refused: the batch is closed.
    await expect(exportBatch(db(), world.financeAdmin, { batchId })).rejects.toMatchObject({ code: 'batch_not_open' });

    const listed = await listBatches(db(), world.approver);
    expect(listed.open.map((batch) => batch.id)).toEqual([third.payment.batch_id]);
    expect(listed.past.find((batch) => batch.id === batchId)).toMatchObject({ status: 'exported', paymentCount: 2, netMinor: '1600000' });
  });

  it('reconciling waits until the batch is marked sent, and the refusal is audited', async () => {
    const refused = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'paid', paymentId: first.payment.id },
      params: { batchId },
    });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error).toEqual({ '': ['payments.errors.batch_not_sent'] });
    expect(await auditRows('payment.reconcile_refused', first.payment.id)).toEqual([
      expect.objectContaining({ actor_id: world.financeAdmin.id, after: { code: 'batch_not_sent' } }),
    ]);
    const payment = await db().selectFrom('payment').select('status').where('id', '=', first.payment.id).executeTakeFirstOrThrow();
    expect(payment.status).toBe('submitted');

    const sent = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'send' },
      params: { batchId },
    });
    expect(sent.status).toBe(302);
    expect(await batchOf(batchId)).toMatchObject({ status: 'sent', sent_by: world.financeAdmin.id });
    await expect(markBatchSent(db(), world.financeAdmin, { batchId })).rejects.toMatchObject({ code: 'batch_not_exported' });
  });

  it('a paid payment settles; a returned one needs a reason and reverses its ledger postings; the last answer reconciles the batch', async () => {
    const reservedBefore = BigInt((await getPoolBalances(db(), world.poolId)).reserved);
    const paid = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'paid', paymentId: first.payment.id },
      params: { batchId },
    });
    expect(paid.status).toBe(302);
    const settled = await db().selectFrom('ledger_transaction').select('kind').where('idempotency_key', '=', `settle:${first.payment.id}`).execute();
    expect(settled).toEqual([{ kind: 'settle' }]);
    expect(await db().selectFrom('reward').select('status').where('id', '=', first.rewardId).executeTakeFirstOrThrow()).toEqual({ status: 'paid' });
    expect((await batchOf(batchId)).status).toBe('sent');

    const noReason = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'returned', paymentId: second.payment.id, reason: '  ' },
      params: { batchId },
    });
    expect(noReason.status).toBe(400);
    expect(noReason.data.result.error).toEqual({ reason: ['payments.errors.reason_required'] });
    expect(noReason.data.paymentId).toBe(second.payment.id);

    const returned = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'returned', paymentId: second.payment.id, reason: 'Account closed' },
      params: { batchId },
    });
    expect(returned.status).toBe(302);
    const reversals = await db()
      .selectFrom('ledger_transaction')
      .select(['kind', 'memo'])
      .where('idempotency_key', 'like', `%:${second.payment.id}`)
      .orderBy('created_at')
      .execute();
    expect(reversals).toEqual([
      { kind: 'debit', memo: `payment ${second.payment.id}` },
      { kind: 'reverse_debit', memo: 'Account closed' },
    ]);
    // The gross is reserved again for the reward, which waits for new payout details.
    expect(BigInt((await getPoolBalances(db(), world.poolId)).reserved) - reservedBefore).toBe(1_000_000n);
    expect(await db().selectFrom('reward').select('status').where('id', '=', second.rewardId).executeTakeFirstOrThrow()).toEqual({ status: 'approved' });
    expect(await db().selectFrom('payment').select(['status', 'failure_reason']).where('id', '=', second.payment.id).executeTakeFirstOrThrow()).toEqual({
      status: 'returned',
      failure_reason: 'Account closed',
    });

    const batch = await batchOf(batchId);
    expect(batch.status).toBe('reconciled');
    expect(batch.reconciled_at).toBeInstanceOf(Date);
    expect(await auditRows('batch.reconcile', batchId)).toHaveLength(1);
    await ledgerIsBalanced();
  });

  it('a payment the bank returns after it was marked paid can still be returned, reversing the settlement too', async () => {
    const outcome = await reconcileBatchPayment(db(), world.financeAdmin, {
      batchId,
      paymentId: first.payment.id,
      outcome: 'returned',
      reason: 'Recalled by the bank',
    });
    expect(outcome).toEqual({ result: 'returned', reconciledBatch: false });
    const kinds = await db()
      .selectFrom('ledger_transaction')
      .select('kind')
      .where('idempotency_key', 'like', `%:${first.payment.id}`)
      .orderBy('created_at')
      .execute();
    expect(kinds.map((row) => row.kind)).toEqual(['debit', 'settle', 'reverse_settle', 'reverse_debit']);
    expect((await batchOf(batchId)).status).toBe('reconciled');
    // Paid again after a return: refused, nothing changes.
    await expect(reconcileBatchPayment(db(), world.financeAdmin, { batchId, paymentId: first.payment.id, outcome: 'paid' })).rejects.toMatchObject({
      code: 'payment_not_settleable',
    });
    await ledgerIsBalanced();
  });

  it('refuses a payment of another batch', async () => {
    const other = await payIntoBatch();
    await expect(
      reconcileBatchPayment(db(), world.financeAdmin, { batchId, paymentId: other.payment.id, outcome: 'paid' }),
    ).rejects.toMatchObject({ code: 'payment_not_in_batch' });
  });
});

describe('empty batch', () => {
  it('refuses to export with a clear message and an audit row, and changes nothing', async () => {
    const batchId = randomId();
    await db().insertInto('payment_batch').values({ id: batchId, currency: 'USD' }).execute();
    await expect(exportBatch(db(), world.financeAdmin, { batchId })).rejects.toMatchObject({ code: 'batch_empty', status: 409 });
    const refused = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.financeAdmin, {
      form: { intent: 'export' },
      params: { batchId },
    });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error).toEqual({ '': ['payments.errors.batch_empty'] });
    expect((await batchOf(batchId)).status).toBe('open');
    expect(await auditRows('batch.export_refused', batchId)).toEqual([
      expect.objectContaining({ actor_id: world.financeAdmin.id, after: { code: 'batch_empty' } }),
      expect.objectContaining({ actor_id: world.financeAdmin.id, after: { code: 'batch_empty' } }),
    ]);
    // The page says so instead of offering the button.
    const page = await call(batchRoute.loader as Handler, `/finance/batches/${batchId}`, world.financeAdmin, { params: { batchId } });
    expect(page.data.batch).toMatchObject({ paymentCount: 0, status: 'open' });
  });
});

describe('bank files', () => {
  let batchId: string;
  let paid: Awaited<ReturnType<typeof payIntoBatch>>[];

  beforeAll(async () => {
    await freshOpenBatch();
    paid = [await payIntoBatch('Zhao & "Sons" <Ltd>'), await payIntoBatch('李娜')];
    batchId = paid[0]!.payment.batch_id!;
    await exportBatch(db(), world.financeAdmin, { batchId });
  });

  it('the CSV holds exactly the batch’s payments, net amounts with their decimals, as an attachment only finance admins get', async () => {
    const readsBefore = (await auditRows('vault.read')).length;
    const { status, response } = await call(batchCsvRoute.loader as Handler, `/finance/batches/${batchId}.csv`, world.financeAdmin, {
      params: { batchId },
    });
    expect(status).toBe(200);
    expect(response!.headers.get('Content-Type')).toBe('text/csv; charset=utf-8');
    expect(response!.headers.get('Content-Disposition')).toMatch(/^attachment; filename="candor-batch-\d{4}-\d{2}-\d{2}-CNY-[a-z0-9]{8}\.csv"$/);
    expect(response!.headers.get('Cache-Control')).toBe('private, no-store');
    const lines = (await response!.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe(BANK_CSV_COLUMNS.join(','));
    expect(lines).toHaveLength(3);
    for (const [index, { payment, accountNumber }] of paid.entries()) {
      const line = lines[index + 1]!;
      expect(line.startsWith(`${payment.id},${payment.idempotency_key},CNY,8000.00,10000.00,2000.00,`)).toBe(true);
      expect(line).toContain(`,${accountNumber},Example Bank of Commerce,,Reward ${payment.id.slice(0, 10)}`);
    }
    expect(lines[1]).toContain('"Zhao & ""Sons"" <Ltd>"');
    expect(lines[2]).toContain(',李娜,');
    // One audited vault read per payment, naming the reader and the payment.
    const reads = (await auditRows('vault.read')).slice(readsBefore);
    expect(reads).toHaveLength(2);
    expect(reads.map((read) => read.actor_id)).toEqual([world.financeAdmin.id, world.financeAdmin.id]);
    expect(reads.map((read) => (read.after as { paymentId: string }).paymentId)).toEqual(paid.map(({ payment }) => payment.id));
  });

  it('the pain.001 file holds the same payments and totals, each identified by its idempotency key', async () => {
    const { status, response } = await call(batchXmlRoute.loader as Handler, `/finance/batches/${batchId}.xml`, world.financeAdmin, {
      params: { batchId },
    });
    expect(status).toBe(200);
    expect(response!.headers.get('Content-Type')).toBe('application/xml; charset=utf-8');
    expect(response!.headers.get('Content-Disposition')).toMatch(/filename="candor-batch-.*\.xml"$/);
    const { root } = parseXml(await response!.text());
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/MsgId').text).toBe(batchId);
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/NbOfTxs').text).toBe('2');
    expect(at(root, 'CstmrCdtTrfInitn/GrpHdr/CtrlSum').text).toBe('16000.00');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/Dbtr/Nm').text).toBe('Example Vendor Ltd');
    expect(at(root, 'CstmrCdtTrfInitn/PmtInf/DbtrAcct/Id/IBAN').text).toBe('DE89370400440532013000');
    const transfers = childrenNamed(at(root, 'CstmrCdtTrfInitn/PmtInf'), 'CdtTrfTxInf');
    expect(transfers.map((transfer) => at(transfer, 'PmtId/EndToEndId').text)).toEqual(paid.map(({ payment }) => payment.idempotency_key));
    expect(transfers.map((transfer) => at(transfer, 'Cdtr/Nm').text)).toEqual(['Zhao & "Sons" <Ltd>', '李娜']);
    expect(transfers.map((transfer) => at(transfer, 'CdtrAcct/Id/Othr/Id').text)).toEqual(paid.map(({ accountNumber }) => accountNumber));
  });

  it('is refused to approvers, for an open batch, and without a configured debtor account; each refusal audited', async () => {
    const asApprover = await call(batchCsvRoute.loader as Handler, `/finance/batches/${batchId}.csv`, world.approver, { params: { batchId } });
    expect(asApprover.status).toBe(403);

    const open = await payIntoBatch();
    const openBatchId = open.payment.batch_id!;
    const early = await call(batchCsvRoute.loader as Handler, `/finance/batches/${openBatchId}.csv`, world.financeAdmin, {
      params: { batchId: openBatchId },
    });
    expect(early.status).toBe(409);
    expect(await early.response!.text()).toBe('Export the batch first.\n');

    const readsBefore = (await auditRows('vault.read')).length;
    await expect(
      buildBatchFile(db(), app.services.vaultKeys, world.financeAdmin, { batchId, format: 'pain001', debtor: {}, initiatingPartyName: 'Candor' }),
    ).rejects.toMatchObject({ code: 'debtor_not_configured' });
    // Refused before any payee detail was read.
    expect((await auditRows('vault.read')).length).toBe(readsBefore);
    expect((await auditRows('batch.download_refused', batchId)).map((row) => row.after)).toEqual([{ code: 'debtor_not_configured' }]);
    const missing = await call(batchXmlRoute.loader as Handler, `/finance/batches/nosuchbatch.xml`, world.financeAdmin, { params: { batchId: 'nosuchbatch' } });
    expect(missing.status).toBe(404);
  });

  it('no payee detail ever reaches the batch pages, for finance admins or approvers', async () => {
    for (const viewer of [world.financeAdmin, world.approver]) {
      const page = await call(batchRoute.loader as Handler, `/finance/batches/${batchId}`, viewer, { params: { batchId } });
      expect(page.status).toBe(200);
      const json = JSON.stringify(page.data);
      for (const { holder, accountNumber } of paid) {
        expect(json).not.toContain(holder);
        expect(json).not.toContain(accountNumber);
      }
      expect(json).not.toContain('Example Bank of Commerce');
      expect(page.data.payments.map((payment: { beneficiary: string }) => payment.beneficiary)).toHaveLength(2);
      expect(page.data.canAct).toBe(viewer === world.financeAdmin);
      const list = await call(batchesRoute.loader as Handler, '/finance/batches', viewer);
      expect(JSON.stringify(list.data)).not.toContain(paid[0]!.holder);
    }
  });

  it('approvers read batches but cannot act on them', async () => {
    const refused = await call(batchRoute.action as Handler, `/finance/batches/${batchId}`, world.approver, {
      form: { intent: 'send' },
      params: { batchId },
    });
    expect(refused.status).toBe(403);
    expect((await batchOf(batchId)).status).toBe('exported');
    await expect(markBatchSent(db(), world.approver, { batchId })).rejects.toMatchObject({ code: 'forbidden', status: 403 });
    const member = await makeUser(app, { orgId: world.orgId });
    expect((await call(batchesRoute.loader as Handler, '/finance/batches', member)).status).toBe(403);
  });
});

describe('a payment joining while the batch is exported', () => {
  it('waits for the export and joins a new batch, so the exported file never misses it', async () => {
    await freshOpenBatch();
    const before = await payIntoBatch();
    const batchId = before.payment.batch_id!;
    // A payment debited but not yet in a batch: its adapter call is about to run.
    const { rewardId } = await makeApprovedReward(app, world);
    const halt: PayoutAdapter = {
      ...bankBatchAdapter(db()),
      submit: async () => {
        throw new Error('stopped before the adapter call');
      },
    };
    await expect(runPayout({ ...bank(), adapter: halt }, rewardId)).rejects.toThrow('stopped');
    const waiting = await db().selectFrom('payment').selectAll().where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
    expect(waiting).toMatchObject({ status: 'debited', batch_id: null });

    // The export, held open between counting the payments and closing the
    // batch, while the adapter puts the waiting payment into a batch.
    let joining: Promise<unknown> | undefined;
    const counted = await db()
      .transaction()
      .execute(async (trx) => {
        await trx.selectFrom('payment_batch').select('id').where('id', '=', batchId).forUpdate().execute();
        const { count } = await trx
          .selectFrom('payment')
          .select(sql<number>`count(*)::int`.as('count'))
          .where('batch_id', '=', batchId)
          .executeTakeFirstOrThrow();
        joining = bankBatchAdapter(db()).submit({
          paymentId: waiting.id,
          idempotencyKey: waiting.idempotency_key,
          currency: 'CNY',
          netMinor: BigInt(waiting.net_minor),
          remittance: 'test',
        }, undefined);
        await new Promise((resolve) => setTimeout(resolve, 300));
        await trx.updateTable('payment_batch').set({ status: 'exported', exported_at: new Date() }).where('id', '=', batchId).execute();
        return count;
      });
    await joining;
    const joined = await db().selectFrom('payment').select('batch_id').where('id', '=', waiting.id).executeTakeFirstOrThrow();
    const inExported = await db().selectFrom('payment').select('id').where('batch_id', '=', batchId).execute();
    // Whatever the exported batch holds was counted by the export; the latecomer went to a new, open batch.
    expect(inExported).toHaveLength(counted);
    expect(joined.batch_id).not.toBe(batchId);
    expect((await batchOf(joined.batch_id!)).status).toBe('open');
  });
});
