import { createHmac } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Database, PayoutAdapterName } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { minorToDecimal } from '../money/money.js';
import type { PayoutDetails } from './payout-details.server.js';

/** One payment as an adapter is asked to make it. */
export interface PaymentInstruction {
  paymentId: string;
  /** Sent with every call for this payment: a provider or bank file acts on it once. */
  idempotencyKey: string;
  currency: string;
  netMinor: bigint;
  /** What the payee sees on their statement: no topic, no vendor product name. */
  remittance: string;
}

/** The payee's statement line: neutral (no topic, no vendor product name) and the same in every channel. */
export function remittanceFor(paymentId: string): string {
  return `Reward ${paymentId.slice(0, 10)}`;
}

export interface SubmitResult {
  /** 'paid' when the provider confirms at once; otherwise a callback or reconciliation says so later. */
  outcome: 'submitted' | 'paid';
  providerReference: string | null;
}

export interface PayoutAdapter {
  readonly name: PayoutAdapterName;
  /** Whether submit needs the payee's details (read from the vault, audited, just before the call). */
  readonly needsPayeeDetails: boolean;
  /** Hands one payment over. Calling it again for the same payment must never pay twice. */
  submit(instruction: PaymentInstruction, payee: PayoutDetails | undefined): Promise<SubmitResult>;
}

/**
 * The default: payments collect in the open batch of their currency; finance
 * exports the batch as a bank file (CSV and pain.001), sends it, and
 * reconciles each payment as paid or returned. Submitting twice is a no-op:
 * a payment joins a batch once.
 */
export function bankBatchAdapter(db: Kysely<Database>): PayoutAdapter {
  return {
    name: 'bank_batch',
    needsPayeeDetails: false,
    async submit(instruction) {
      const batchId = await db.transaction().execute(async (trx) => {
        // The open batch is share-locked until the payment has joined it, so
        // an export (which locks it for update) waits and then includes the
        // payment. Once an export has closed it, the lock finds no open
        // batch; the second round opens a new one.
        let open: { id: string } | undefined;
        for (let round = 0; !open && round < 2; round += 1) {
          await trx
            .insertInto('payment_batch')
            .values({ id: randomId(), currency: instruction.currency })
            .onConflict((oc) => oc.column('currency').where('status', '=', 'open').doNothing())
            .execute();
          open = await trx
            .selectFrom('payment_batch')
            .select('id')
            .where('currency', '=', instruction.currency)
            .where('status', '=', 'open')
            .forShare()
            .executeTakeFirst();
        }
        if (!open) throw new Error(`no open ${instruction.currency} payment batch could be found or opened`);
        const joined = await trx
          .updateTable('payment')
          .set({ batch_id: open.id, updated_at: sql<Date>`now()` })
          .where('id', '=', instruction.paymentId)
          .where('batch_id', 'is', null)
          .returning('batch_id')
          .executeTakeFirst();
        if (joined) return joined.batch_id!;
        const already = await trx.selectFrom('payment').select('batch_id').where('id', '=', instruction.paymentId).executeTakeFirstOrThrow();
        return already.batch_id!;
      });
      return { outcome: 'submitted', providerReference: `batch:${batchId}` };
    },
  };
}

/** `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`, as sent and as checked on callbacks. */
export function signWebhook(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000)): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex');
  return `t=${timestamp},v1=${mac}`;
}

export class WebhookRejected extends Error {}

/**
 * A payment provider reached over HTTPS: each payment is POSTed as JSON,
 * signed with HMAC-SHA256 and carrying its idempotency key, so a retry after a
 * crash is recognised by the provider as the same payment. A non-2xx answer
 * throws; the queue retries with backoff.
 */
export function webhookAdapter(options: { url: string; secret: string; timeoutMs?: number }): PayoutAdapter {
  return {
    name: 'webhook',
    needsPayeeDetails: true,
    async submit(instruction, payee) {
      if (!payee) throw new WebhookRejected('payee details missing');
      const body = JSON.stringify({
        paymentId: instruction.paymentId,
        idempotencyKey: instruction.idempotencyKey,
        amount: minorToDecimal(instruction.netMinor, instruction.currency),
        currency: instruction.currency,
        remittance: instruction.remittance,
        payee: { accountHolder: payee.accountHolder, accountNumber: payee.accountNumber, bankName: payee.bankName, bic: payee.bic ?? null },
      });
      const response = await fetch(options.url, {
        method: 'POST',
        headers: {
          'Content-Type': 'application/json',
          'Idempotency-Key': instruction.idempotencyKey,
          'X-Candor-Signature': signWebhook(options.secret, body),
        },
        body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      if (!response.ok) throw new WebhookRejected(`provider answered ${response.status}`);
      const answer = (await response.json().catch(() => ({}))) as { status?: unknown; reference?: unknown };
      return {
        outcome: answer.status === 'paid' ? 'paid' : 'submitted',
        providerReference: typeof answer.reference === 'string' ? answer.reference.slice(0, 200) : null,
      };
    },
  };
}

export function createPayoutAdapter(
  db: Kysely<Database>,
  env: { PAYOUT_ADAPTER: PayoutAdapterName; PAYOUT_WEBHOOK_URL?: string; PAYOUT_WEBHOOK_SECRET?: string },
): PayoutAdapter {
  if (env.PAYOUT_ADAPTER === 'webhook') {
    return webhookAdapter({ url: env.PAYOUT_WEBHOOK_URL!, secret: env.PAYOUT_WEBHOOK_SECRET! });
  }
  return bankBatchAdapter(db);
}
