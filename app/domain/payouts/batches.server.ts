import { type Kysely, sql, type Transaction } from 'kysely';
import { z } from 'zod';
import type { Database, Locale, PaymentBatchStatus, PaymentStatus } from '../../../db/schema.js';
import { toCsv } from '../../utils/csv.js';
import { type Actor, requireRole } from '../admin/actor.server.js';
import { auditRefusal, writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { pseudonymFor } from '../identity/pseudonym.js';
import type { VaultKeys } from '../identity/vault.server.js';
import { minorToDecimal } from '../money/money.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { remittanceFor } from './adapters.server.js';
import { buildPain001, endToEndIdFor, type Pain001Payment } from './pain001.js';
import { type PayoutDetails, readPayeeDetails } from './payout-details.server.js';
import { returnPayment, settlePayment } from './run-payout.server.js';

// A bank batch's life (docs/decisions/0014-payouts.md): payments collect in
// the open batch of their currency; a finance admin exports it (which closes
// it: the next payment opens a new batch), downloads the bank file, marks it
// sent, and reconciles each payment as paid or returned. When every payment
// is settled or returned the batch is reconciled.

export type BatchError =
  | 'forbidden'
  | 'batch_not_found'
  | 'batch_empty'
  | 'batch_not_open'
  | 'batch_not_exported'
  | 'batch_not_sent'
  | 'payment_not_in_batch'
  | 'payment_not_settleable'
  | 'reason_required'
  | 'payee_details_missing'
  | 'debtor_not_configured';

export interface BatchSummary {
  id: string;
  currency: string;
  status: PaymentBatchStatus;
  createdAt: Date;
  exportedAt: Date | null;
  sentAt: Date | null;
  reconciledAt: Date | null;
  paymentCount: number;
  paidCount: number;
  returnedCount: number;
  /** Minor units, as strings: bigint never becomes a JS number. */
  grossMinor: string;
  withheldMinor: string;
  netMinor: string;
}

export const BATCH_PAGE_SIZE = 25;

/** Open batches first (one per currency), then the past ones newest first, a page at a time. */
export async function listBatches(
  db: Kysely<Database>,
  actor: Actor,
  input: { before?: { createdAt: Date; id: string } } = {},
): Promise<{ open: BatchSummary[]; past: BatchSummary[]; next: { createdAt: Date; id: string } | null }> {
  requireFinanceRole(actor);
  const [open, pastPlusOne] = await Promise.all([
    batches(db).where('status', '=', 'open').orderBy('currency').execute(),
    batches(db)
      .where('status', '<>', 'open')
      .$if(Boolean(input.before), (query) =>
        query.where((eb) => eb(eb.refTuple('created_at', 'id'), '<', eb.tuple(input.before!.createdAt, input.before!.id))),
      )
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(BATCH_PAGE_SIZE + 1)
      .execute(),
  ]);
  const pastPage = pastPlusOne.slice(0, BATCH_PAGE_SIZE);
  const summaries = await withTotals(db, [...open, ...pastPage]);
  const last = pastPage.at(-1);
  return {
    open: summaries.slice(0, open.length),
    past: summaries.slice(open.length),
    next: pastPlusOne.length > BATCH_PAGE_SIZE && last ? { createdAt: last.created_at, id: last.id } : null,
  };
}

export interface BatchPaymentRow {
  id: string;
  status: PaymentStatus;
  grossMinor: string;
  withheldMinor: string;
  netMinor: string;
  payeeKind: 'member' | 'org';
  postId: string;
  postTitle: string;
  /** The beneficiary's pseudonym in the reader's language: never a name. */
  beneficiary: string;
  failureReason: string | null;
  paidAt: Date | null;
  returnedAt: Date | null;
}

export async function getBatch(
  db: Kysely<Database>,
  actor: Actor,
  input: { batchId: string; locale: Locale },
): Promise<{ batch: BatchSummary; payments: BatchPaymentRow[] }> {
  requireFinanceRole(actor);
  const [row, payments] = await Promise.all([
    batches(db).where('id', '=', input.batchId).executeTakeFirst(),
    db
      .selectFrom('payment')
      .innerJoin('reward', 'reward.id', 'payment.reward_id')
      .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
      .innerJoin('post', 'post.id', 'nomination.post_id')
      .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
      .select([
        'payment.id',
        'payment.status',
        'payment.gross_minor',
        'payment.withheld_minor',
        'payment.net_minor',
        'payment.payee_kind',
        'payment.failure_reason',
        'payment.paid_at',
        'payment.returned_at',
        'post.id as post_id',
        'post.title as post_title',
        'app_user.pseudonym',
        'app_user.pseudonym_zh',
      ])
      .where('payment.batch_id', '=', input.batchId)
      .orderBy('payment.created_at')
      .orderBy('payment.id')
      .execute(),
  ]);
  if (!row) throw new DomainError<BatchError>('batch_not_found', undefined, 404);
  return {
    batch: (await withTotals(db, [row]))[0]!,
    payments: payments.map((payment) => ({
      id: payment.id,
      status: payment.status,
      grossMinor: payment.gross_minor,
      withheldMinor: payment.withheld_minor,
      netMinor: payment.net_minor,
      payeeKind: payment.payee_kind,
      postId: payment.post_id,
      postTitle: payment.post_title,
      beneficiary: pseudonymFor(payment, input.locale),
      failureReason: payment.failure_reason,
      paidAt: payment.paid_at,
      returnedAt: payment.returned_at,
    })),
  };
}

/**
 * Closes the open batch for export: from now on it holds exactly the
 * payments it has, and the next payment in its currency opens a new batch.
 * An empty batch is refused (and the refusal audited).
 */
export async function exportBatch(db: Kysely<Database>, actor: Actor, input: { batchId: string }): Promise<{ paymentCount: number; netMinor: string }> {
  requireRole(actor, 'finance_admin');
  return auditRefusal(db, actor, 'batch.export', { type: 'payment_batch', id: input.batchId }, () =>
    db.transaction().execute(async (trx) => {
      // The update lock waits for a payment that is joining the batch (the
      // adapter share-locks it), so the export includes that payment.
      const batch = await lockBatch(trx, input.batchId);
      if (batch.status !== 'open') throw new DomainError<BatchError>('batch_not_open', undefined, 409);
      const totals = await trx
        .selectFrom('payment')
        .select([sql<number>`count(*)::int`.as('count'), sql<string>`coalesce(sum(net_minor), 0)::text`.as('net')])
        .where('batch_id', '=', batch.id)
        .executeTakeFirstOrThrow();
      if (totals.count === 0) throw new DomainError<BatchError>('batch_empty', undefined, 409);
      await trx
        .updateTable('payment_batch')
        .set({ status: 'exported', exported_at: sql<Date>`now()`, exported_by: actor.id })
        .where('id', '=', batch.id)
        .execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'batch.export',
        subjectType: 'payment_batch',
        subjectId: batch.id,
        before: { status: 'open' },
        after: { status: 'exported', payments: totals.count, netMinor: totals.net, currency: batch.currency },
      });
      return { paymentCount: totals.count, netMinor: totals.net };
    }),
  );
}

/** The exported file went to the bank: payments can now be reconciled. */
export async function markBatchSent(db: Kysely<Database>, actor: Actor, input: { batchId: string }): Promise<void> {
  requireRole(actor, 'finance_admin');
  await auditRefusal(db, actor, 'batch.send', { type: 'payment_batch', id: input.batchId }, () =>
    db.transaction().execute(async (trx) => {
      const batch = await lockBatch(trx, input.batchId);
      if (batch.status !== 'exported') throw new DomainError<BatchError>('batch_not_exported', undefined, 409);
      await trx
        .updateTable('payment_batch')
        .set({ status: 'sent', sent_at: sql<Date>`now()`, sent_by: actor.id })
        .where('id', '=', batch.id)
        .execute();
      await writeAudit(trx, {
        actorId: actor.id,
        action: 'batch.send',
        subjectType: 'payment_batch',
        subjectId: batch.id,
        before: { status: 'exported' },
        after: { status: 'sent' },
      });
    }),
  );
}

export const ReconcilePaymentSchema = z.discriminatedUnion('outcome', [
  z.object({ batchId: z.string().min(1).max(64), paymentId: z.string().min(1).max(64), outcome: z.literal('paid') }),
  z.object({
    batchId: z.string().min(1).max(64),
    paymentId: z.string().min(1).max(64),
    outcome: z.literal('returned'),
    reason: z.string().trim().max(500).default(''),
  }),
]);

/**
 * Records the bank's answer for one payment of a sent batch: paid (the
 * money leaves the pool for good) or returned with a reason (its ledger
 * postings are reversed and the reward waits for new payout details). A
 * payment the bank returns after it was marked paid may still be returned.
 * The batch is reconciled once none of its payments is left open;
 * `reconciledBatch` says whether this answer was the last one it waited for.
 */
export async function reconcileBatchPayment(
  db: Kysely<Database>,
  actor: Actor,
  input: z.input<typeof ReconcilePaymentSchema>,
): Promise<{ result: 'paid' | 'already_paid' | 'returned' | 'already_returned'; reconciledBatch: boolean }> {
  requireRole(actor, 'finance_admin');
  const parsed = ReconcilePaymentSchema.parse(input);
  return auditRefusal(db, actor, 'payment.reconcile', { type: 'payment', id: parsed.paymentId }, () =>
    db.transaction().execute(async (trx) => {
      const batch = await lockBatch(trx, parsed.batchId);
      if (batch.status !== 'sent' && batch.status !== 'reconciled') throw new DomainError<BatchError>('batch_not_sent', undefined, 409);
      const payment = await trx
        .selectFrom('payment')
        .select('id')
        .where('id', '=', parsed.paymentId)
        .where('batch_id', '=', batch.id)
        .executeTakeFirst();
      if (!payment) throw new DomainError<BatchError>('payment_not_in_batch', undefined, 404);
      let result: 'paid' | 'already_paid' | 'returned' | 'already_returned';
      if (parsed.outcome === 'paid') {
        result = await settlePayment(trx, { paymentId: payment.id, actorId: actor.id, providerReference: `batch:${batch.id}` });
      } else {
        if (!parsed.reason) throw new DomainError<BatchError>('reason_required', 'reason', 400);
        result = await returnPayment(trx, { paymentId: payment.id, actorId: actor.id, reason: parsed.reason, outcome: 'returned' });
      }
      const reconciledBatch = batch.status === 'sent' && (await reconcileWhenDone(trx, actor, batch.id));
      return { result, reconciledBatch };
    }),
  );
}

/** Marks the batch reconciled when none of its payments waits for an answer any more. */
async function reconcileWhenDone(trx: Transaction<Database>, actor: Actor, batchId: string): Promise<boolean> {
  const open = await trx
    .selectFrom('payment')
    .select('id')
    .where('batch_id', '=', batchId)
    .where('status', 'not in', ['paid', 'returned', 'failed'])
    .limit(1)
    .executeTakeFirst();
  if (open) return false;
  await trx
    .updateTable('payment_batch')
    .set({ status: 'reconciled', reconciled_at: sql<Date>`now()` })
    .where('id', '=', batchId)
    .execute();
  await writeAudit(trx, {
    actorId: actor.id,
    action: 'batch.reconcile',
    subjectType: 'payment_batch',
    subjectId: batchId,
    before: { status: 'sent' },
    after: { status: 'reconciled' },
  });
  return true;
}

export type BatchFileFormat = 'csv' | 'pain001';

export interface DebtorAccount {
  name: string;
  account: string;
  bic?: string | null;
}

export interface BatchFile {
  filename: string;
  contentType: string;
  body: string;
}

/**
 * The bank file of an exported batch, as CSV or pain.001 XML. Each payee's
 * details are read from the vault for it, and each read is audited with the
 * reader and the payment. The file holds every payment the batch was
 * exported with, so a later download is the same instruction.
 */
export async function buildBatchFile(
  db: Kysely<Database>,
  keys: VaultKeys,
  actor: Actor,
  input: { batchId: string; format: BatchFileFormat; debtor: Partial<DebtorAccount>; initiatingPartyName: string },
): Promise<BatchFile> {
  requireRole(actor, 'finance_admin');
  return auditRefusal(db, actor, 'batch.download', { type: 'payment_batch', id: input.batchId }, async () => {
    const batch = await db
      .selectFrom('payment_batch')
      .select(['id', 'currency', 'status', 'exported_at'])
      .where('id', '=', input.batchId)
      .executeTakeFirst();
    if (!batch) throw new DomainError<BatchError>('batch_not_found', undefined, 404);
    if (batch.status === 'open' || !batch.exported_at) throw new DomainError<BatchError>('batch_not_exported', undefined, 409);
    const debtor = input.debtor;
    if (input.format === 'pain001' && (!debtor.name || !debtor.account)) {
      throw new DomainError<BatchError>('debtor_not_configured', undefined, 409);
    }
    const payments = await db
      .selectFrom('payment')
      .innerJoin('reward', 'reward.id', 'payment.reward_id')
      .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
      .select([
        'payment.id',
        'payment.idempotency_key',
        'payment.gross_minor',
        'payment.withheld_minor',
        'payment.net_minor',
        'payment.payee_kind',
        'reward.beneficiary_id',
        'app_user.org_id',
      ])
      .where('payment.batch_id', '=', batch.id)
      .orderBy('payment.created_at')
      .orderBy('payment.id')
      .execute();
    if (payments.length === 0) throw new DomainError<BatchError>('batch_empty', undefined, 409);

    const lines: Array<(typeof payments)[number] & { payee: PayoutDetails }> = [];
    for (const payment of payments) {
      const orgId = payment.org_id;
      if (payment.payee_kind === 'org' && !orgId) throw new DomainError<BatchError>('payee_details_missing', undefined, 409);
      const payee = await readPayeeDetails(db, keys, {
        payee: payment.payee_kind === 'org' ? { kind: 'org', orgId: orgId! } : { kind: 'member', userId: payment.beneficiary_id },
        readerId: actor.id,
        paymentId: payment.id,
      });
      if (!payee) throw new DomainError<BatchError>('payee_details_missing', undefined, 409);
      lines.push({ ...payment, payee });
    }

    const day = batch.exported_at.toISOString().slice(0, 10);
    const stem = `candor-batch-${day}-${batch.currency}-${batch.id.slice(0, 8)}`;
    if (input.format === 'csv') {
      return {
        filename: `${stem}.csv`,
        contentType: 'text/csv; charset=utf-8',
        body: toCsv(
          BANK_CSV_COLUMNS,
          lines.map((line) => [
            line.id,
            endToEndIdFor(line.idempotency_key),
            batch.currency,
            minorToDecimal(line.net_minor, batch.currency),
            minorToDecimal(line.gross_minor, batch.currency),
            minorToDecimal(line.withheld_minor, batch.currency),
            line.payee.accountHolder,
            line.payee.accountNumber,
            line.payee.bankName,
            line.payee.bic ?? null,
            remittanceFor(line.id),
          ]),
        ),
      };
    }
    const creditTransfers: Pain001Payment[] = lines.map((line) => ({
      idempotencyKey: line.idempotency_key,
      amountMinor: BigInt(line.net_minor),
      creditor: { name: line.payee.accountHolder, account: line.payee.accountNumber, bankName: line.payee.bankName, bic: line.payee.bic },
      remittance: remittanceFor(line.id),
    }));
    return {
      filename: `${stem}.xml`,
      contentType: 'application/xml; charset=utf-8',
      body: buildPain001({
        messageId: batch.id,
        createdAt: batch.exported_at,
        executionDate: day,
        initiatingPartyName: input.initiatingPartyName,
        debtor: { name: debtor.name!, account: debtor.account!, bic: debtor.bic },
        currency: batch.currency,
        payments: creditTransfers,
      }),
    };
  });
}

/**
 * The CSV bank file's columns: fixed English names, since a bank's import or
 * a script reads them, not a person in their language. "amount" is the net
 * to transfer; gross and withheld are there for the books.
 */
export const BANK_CSV_COLUMNS = [
  'payment_id',
  'end_to_end_id',
  'currency',
  'amount',
  'gross',
  'withheld',
  'account_holder',
  'account_number',
  'bank_name',
  'bic',
  'remittance',
] as const;

function batches(db: Kysely<Database>) {
  return db.selectFrom('payment_batch').select(['id', 'currency', 'status', 'created_at', 'exported_at', 'sent_at', 'reconciled_at']);
}

type BatchRow = Awaited<ReturnType<ReturnType<typeof batches>['executeTakeFirstOrThrow']>>;

/** The batches with their payments counted and summed: one grouped query over just these batches. */
async function withTotals(db: Kysely<Database>, rows: readonly BatchRow[]): Promise<BatchSummary[]> {
  const totals = rows.length
    ? await db
        .selectFrom('payment')
        .select([
          'batch_id',
          sql<number>`count(*)::int`.as('payment_count'),
          sql<number>`(count(*) FILTER (WHERE status = 'paid'))::int`.as('paid_count'),
          sql<number>`(count(*) FILTER (WHERE status IN ('returned', 'failed')))::int`.as('returned_count'),
          sql<string>`sum(gross_minor)::text`.as('gross'),
          sql<string>`sum(withheld_minor)::text`.as('withheld'),
          sql<string>`sum(net_minor)::text`.as('net'),
        ])
        .where(
          'batch_id',
          'in',
          rows.map((row) => row.id),
        )
        .groupBy('batch_id')
        .execute()
    : [];
  return rows.map((row) => {
    const total = totals.find((one) => one.batch_id === row.id);
    return {
      id: row.id,
      currency: row.currency,
      status: row.status,
      createdAt: row.created_at,
      exportedAt: row.exported_at,
      sentAt: row.sent_at,
      reconciledAt: row.reconciled_at,
      paymentCount: total?.payment_count ?? 0,
      paidCount: total?.paid_count ?? 0,
      returnedCount: total?.returned_count ?? 0,
      grossMinor: total?.gross ?? '0',
      withheldMinor: total?.withheld ?? '0',
      netMinor: total?.net ?? '0',
    };
  });
}

async function lockBatch(trx: Transaction<Database>, batchId: string) {
  const batch = await trx
    .selectFrom('payment_batch')
    .select(['id', 'currency', 'status'])
    .where('id', '=', batchId)
    .forUpdate()
    .executeTakeFirst();
  if (!batch) throw new DomainError<BatchError>('batch_not_found', undefined, 404);
  return batch;
}
