import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { hitRateLimit, type RateLimit } from '../../utils/rate-limit.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { isDomainError } from '../errors.js';
import { returnPayment, settlePayment } from './run-payout.server.js';

// The payment provider's callback (docs/decisions/0014-payouts.md): it says
// a payment it was sent is paid or failed. The HMAC signature over the
// timestamp and the exact body is the only authority, so the route reads no
// session; a signature older than five minutes is refused, which bounds a
// replay to a window in which repeating is harmless anyway (settling or
// failing a payment twice changes nothing the second time).

/** How far a signature's timestamp may be from now, either way. */
export const CALLBACK_TOLERANCE_SECONDS = 5 * 60;

export const PayoutCallbackSchema = z.object({
  idempotencyKey: z.string().min(1).max(200),
  status: z.enum(['paid', 'failed']),
  reference: z.string().trim().max(200).optional(),
  reason: z.string().trim().max(500).optional(),
});

export type CallbackRefusal =
  | 'bad_signature'
  | 'stale_timestamp'
  | 'bad_request'
  | 'unknown_payment'
  | 'payment_not_settleable'
  | 'too_many_refusals';

export type CallbackOutcome = 'paid' | 'already_paid' | 'failed' | 'already_failed';

export type CallbackAnswer =
  | { httpStatus: 200; outcome: CallbackOutcome; paymentId: string }
  | { httpStatus: 400 | 401 | 404 | 409; refusal: CallbackRefusal }
  | { httpStatus: 429; refusal: 'too_many_refusals'; retryAfterSeconds: number };

/**
 * Unsigned requests are counted per address: each refusal is audited, and
 * past this many an address is answered 429 without an audit row, so nobody
 * can fill the audit log from outside. Signed requests are never limited.
 */
export const REFUSED_CALLBACKS_PER_ADDRESS: RateLimit = { name: 'payout-callback-refused', limit: 30, windowSeconds: 15 * 60 };

/** Checks `t=<unix seconds>,v1=<hex>` as signWebhook writes it: the MAC in constant time, then the age. */
export function verifyCallbackSignature(
  secret: string,
  body: Uint8Array,
  header: string | null,
  nowSeconds: number,
): 'ok' | 'bad_signature' | 'stale_timestamp' {
  const parts = new Map<string, string[]>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...value] = part.trim().split('=');
    if (name) parts.set(name, [...(parts.get(name) ?? []), value.join('=')]);
  }
  const timestamp = parts.get('t')?.[0];
  const signatures = (parts.get('v1') ?? []).filter((value) => /^[0-9a-f]{64}$/i.test(value));
  if (!timestamp || !/^\d{1,12}$/.test(timestamp) || signatures.length === 0) return 'bad_signature';
  const expected = createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest();
  if (!signatures.some((signature) => timingSafeEqual(expected, Buffer.from(signature, 'hex')))) return 'bad_signature';
  return Math.abs(nowSeconds - Number(timestamp)) > CALLBACK_TOLERANCE_SECONDS ? 'stale_timestamp' : 'ok';
}

/**
 * Takes one provider callback: paid → the payment is settled; failed → its
 * postings are reversed and the reward waits for new payout details. A
 * repeated callback answers 200 with "already_…". Every refusal is audited.
 */
export async function receivePayoutCallback(
  db: Kysely<Database>,
  input: { secret: string; body: Uint8Array; signature: string | null; clientKey: string; now?: Date },
): Promise<CallbackAnswer> {
  const nowSeconds = Math.floor((input.now ?? new Date()).getTime() / 1000);
  const verdict = verifyCallbackSignature(input.secret, input.body, input.signature, nowSeconds);
  if (verdict !== 'ok') {
    // Nothing of an unsigned body is trusted or recorded.
    const limit = await hitRateLimit(db, REFUSED_CALLBACKS_PER_ADDRESS, input.clientKey);
    if (!limit.allowed) return { httpStatus: 429, refusal: 'too_many_refusals', retryAfterSeconds: limit.retryAfterSeconds };
    await auditRefusal(db, verdict, null);
    return { httpStatus: 401, refusal: verdict };
  }

  const parsed = PayoutCallbackSchema.safeParse(parseJson(input.body));
  if (!parsed.success) {
    await auditRefusal(db, 'bad_request', null);
    return { httpStatus: 400, refusal: 'bad_request' };
  }
  const callback = parsed.data;
  // Only payments handed to the provider: a bank-batch payment is reconciled by finance, not by a callback.
  const payment = await db
    .selectFrom('payment')
    .select('id')
    .where('idempotency_key', '=', callback.idempotencyKey)
    .where('adapter', '=', 'webhook')
    .executeTakeFirst();
  if (!payment) {
    await auditRefusal(db, 'unknown_payment', null, { idempotencyKey: callback.idempotencyKey.slice(0, 100) });
    return { httpStatus: 404, refusal: 'unknown_payment' };
  }

  try {
    const outcome = await db.transaction().execute(async (trx): Promise<CallbackOutcome> => {
      if (callback.status === 'paid') {
        const result = await settlePayment(trx, { paymentId: payment.id, actorId: null, providerReference: callback.reference || null });
        return result === 'paid' ? 'paid' : 'already_paid';
      }
      const result = await returnPayment(trx, {
        paymentId: payment.id,
        actorId: null,
        reason: callback.reason || 'Failed by the payment provider',
        outcome: 'failed',
      });
      return result === 'returned' ? 'failed' : 'already_failed';
    });
    return { httpStatus: 200, outcome, paymentId: payment.id };
  } catch (error) {
    // A payment still pending, or a "paid" for one that already failed.
    if (!isDomainError(error)) throw error;
    await auditRefusal(db, 'payment_not_settleable', payment.id, { status: callback.status });
    return { httpStatus: 409, refusal: 'payment_not_settleable' };
  }
}

function parseJson(body: Uint8Array): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return undefined;
  }
}

async function auditRefusal(db: Kysely<Database>, code: CallbackRefusal, paymentId: string | null, details: Record<string, string> = {}) {
  await writeAudit(db, {
    actorId: null,
    action: 'payment.callback_refused',
    subjectType: 'payment',
    subjectId: paymentId,
    after: { code, ...details },
  });
}
