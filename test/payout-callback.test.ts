// The payment provider's signed callback: paid settles, failed reverses, a
// replay changes nothing, and every refusal (bad or stale signature, unknown
// payment, bad body) is a 4xx with an audit row — never a 500. The last test
// goes through the real web stack, where the callback has no Origin.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { bankBatchAdapter, signWebhook, webhookAdapter } from '../app/domain/payouts/adapters.server.js';
import { REFUSED_CALLBACKS_PER_ADDRESS, verifyCallbackSignature } from '../app/domain/payouts/callback.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import * as callbackRoute from '../app/routes/payouts.callback.js';
import { randomSecret } from '../app/utils/crypto.server.js';
import { startTestPaymentProvider, type TestPaymentProvider } from './support/payment-provider.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

const secret = randomSecret() + randomSecret();
let app: TestApp;
let world: RewardWorld;
let provider: TestPaymentProvider;

beforeAll(async () => {
  // The provider takes each payment and answers later, by callback.
  provider = await startTestPaymentProvider({ secret, answer: 'accepted' });
  app = await createTestApp({ PAYOUT_ADAPTER: 'webhook', PAYOUT_WEBHOOK_URL: provider.url, PAYOUT_WEBHOOK_SECRET: secret });
  world = await makeRewardWorld(app, 1_000_000_00n);
}, 60_000);

afterAll(async () => {
  await provider?.close();
  await app?.close();
});

const db = () => app.services.db;

/** A reward handed to the provider, waiting for its callback. */
async function submittedPayment() {
  const { rewardId } = await makeApprovedReward(app, world);
  const adapter = webhookAdapter({ url: provider.url, secret });
  expect(await runPayout({ db: db(), keys: app.services.vaultKeys, adapter }, rewardId)).toBe('submitted');
  const payment = await db().selectFrom('payment').selectAll().where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
  return { payment, rewardId };
}

const now = () => Math.floor(Date.now() / 1000);

async function post(
  body: string,
  options: { signature?: string | null; timestamp?: number; address?: string; context?: AppLoadContext; method?: string } = {},
): Promise<{ status: number; json: any; response: Response }> {
  const signature = options.signature === undefined ? signWebhook(secret, body, options.timestamp ?? now()) : options.signature;
  const request = new Request(`${TEST_PUBLIC_URL}/payouts/callback`, {
    method: options.method ?? 'POST',
    headers: { 'Content-Type': 'application/json', ...(signature ? { 'X-Candor-Signature': signature } : {}) },
    body: (options.method ?? 'POST') === 'GET' ? undefined : body,
  });
  const handler = ((options.method ?? 'POST') === 'GET' ? callbackRoute.loader : callbackRoute.action) as Handler;
  const response = (await handler({ request, context: options.context ?? loadContext(app, options.address), params: {} })) as Response;
  return { status: response.status, json: await response.json(), response };
}

async function refusals() {
  return db()
    .selectFrom('audit_log')
    .select(['actor_id', 'subject_id', 'after'])
    .where('action', '=', 'payment.callback_refused')
    .orderBy('id')
    .execute();
}

async function ledgerIsBalanced(): Promise<void> {
  const totals = await sql<{ total: string }>`SELECT sum(amount_minor)::text AS total FROM ledger_entry GROUP BY currency`.execute(db());
  for (const row of totals.rows) expect(row.total).toBe('0');
}

const callback = (idempotencyKey: string, status: 'paid' | 'failed', extra: Record<string, string> = {}) =>
  JSON.stringify({ idempotencyKey, status, ...extra });

describe('payout callback', () => {
  it('a signed "paid" settles the payment once; the same callback again answers 200 and changes nothing', async () => {
    const { payment, rewardId } = await submittedPayment();
    const body = callback(payment.idempotency_key, 'paid', { reference: 'PRV-1001' });
    const first = await post(body);
    expect(first).toMatchObject({ status: 200, json: { received: true, outcome: 'paid' } });
    expect(first.response.headers.get('Cache-Control')).toBe('no-store');
    expect(await db().selectFrom('payment').select(['status', 'provider_reference']).where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual({
      status: 'paid',
      provider_reference: 'PRV-1001',
    });
    expect(await db().selectFrom('reward').select('status').where('id', '=', rewardId).executeTakeFirstOrThrow()).toEqual({ status: 'paid' });

    const replay = await post(body);
    expect(replay).toMatchObject({ status: 200, json: { received: true, outcome: 'already_paid' } });
    const settles = await db().selectFrom('ledger_transaction').select('id').where('idempotency_key', '=', `settle:${payment.id}`).execute();
    expect(settles).toHaveLength(1);
    await ledgerIsBalanced();
  });

  it('a signed "failed" reverses the payment’s postings and reserves the reward again; a replay is idempotent', async () => {
    const { payment, rewardId } = await submittedPayment();
    const reservedBefore = BigInt((await getPoolBalances(db(), world.poolId)).reserved);
    const body = callback(payment.idempotency_key, 'failed', { reason: 'Beneficiary account closed' });
    expect(await post(body)).toMatchObject({ status: 200, json: { outcome: 'failed' } });
    expect(await db().selectFrom('payment').select(['status', 'failure_reason']).where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual({
      status: 'failed',
      failure_reason: 'Beneficiary account closed',
    });
    expect(BigInt((await getPoolBalances(db(), world.poolId)).reserved) - reservedBefore).toBe(1_000_000n);
    expect(await db().selectFrom('reward').select('status').where('id', '=', rewardId).executeTakeFirstOrThrow()).toEqual({ status: 'approved' });
    expect(await post(body)).toMatchObject({ status: 200, json: { outcome: 'already_failed' } });
    const reversals = await db().selectFrom('ledger_transaction').select('kind').where('idempotency_key', '=', `reverse_debit:${payment.id}`).execute();
    expect(reversals).toEqual([{ kind: 'reverse_debit' }]);

    // "Paid" for a payment that already failed: refused and audited, nothing changes.
    const late = await post(callback(payment.idempotency_key, 'paid'));
    expect(late).toMatchObject({ status: 409, json: { error: 'payment_not_settleable' } });
    expect((await refusals()).at(-1)).toMatchObject({ actor_id: null, subject_id: payment.id, after: { code: 'payment_not_settleable', status: 'paid' } });
    await ledgerIsBalanced();
  });

  it('a bad signature is refused with 401 and an audit row, and the payment stays as it was', async () => {
    const { payment } = await submittedPayment();
    const body = callback(payment.idempotency_key, 'paid');
    const before = (await refusals()).length;
    for (const signature of [
      signWebhook('x'.repeat(64), body),
      signWebhook(secret, callback(payment.idempotency_key, 'failed')),
      `t=${now()},v1=${'0'.repeat(64)}`,
      'garbage',
      null,
    ]) {
      expect(await post(body, { signature, address: '198.51.100.1' })).toMatchObject({ status: 401, json: { error: 'bad_signature' } });
    }
    const rows = (await refusals()).slice(before);
    expect(rows).toHaveLength(5);
    expect(rows.every((row) => row.subject_id === null && (row.after as { code: string }).code === 'bad_signature')).toBe(true);
    expect(await db().selectFrom('payment').select('status').where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual({ status: 'submitted' });
  });

  it('a signature older (or newer) than five minutes is refused with 401', async () => {
    const { payment } = await submittedPayment();
    const body = callback(payment.idempotency_key, 'paid');
    expect(await post(body, { timestamp: now() - 6 * 60, address: '198.51.100.2' })).toMatchObject({ status: 401, json: { error: 'stale_timestamp' } });
    expect(await post(body, { timestamp: now() + 6 * 60, address: '198.51.100.2' })).toMatchObject({ status: 401, json: { error: 'stale_timestamp' } });
    expect((await refusals()).at(-1)).toMatchObject({ after: { code: 'stale_timestamp' } });
    expect(await db().selectFrom('payment').select('status').where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual({ status: 'submitted' });
    // Within the window it is accepted.
    expect(await post(body, { timestamp: now() - 4 * 60 })).toMatchObject({ status: 200, json: { outcome: 'paid' } });
  });

  it('the signature check is exactly signWebhook’s, in constant time over the raw bytes', () => {
    const body = new TextEncoder().encode('{"idempotencyKey":"k","status":"paid"}');
    const t = 1_800_000_000;
    const header = signWebhook(secret, new TextDecoder().decode(body), t);
    expect(verifyCallbackSignature(secret, body, header, t)).toBe('ok');
    expect(verifyCallbackSignature(secret, body, header, t + 301)).toBe('stale_timestamp');
    expect(verifyCallbackSignature(secret, body, header, t + 300)).toBe('ok');
    expect(verifyCallbackSignature(secret, body, header.replace(/.$/, (c) => (c === '0' ? '1' : '0')), t)).toBe('bad_signature');
    expect(verifyCallbackSignature(secret, body, header.toUpperCase(), t)).toBe('bad_signature');
    expect(verifyCallbackSignature(secret, new Uint8Array([...body, 32]), header, t)).toBe('bad_signature');
  });

  it('an unknown payment is 404 with an audit row; so is a bank-batch payment, which finance reconciles', async () => {
    const unknown = await post(callback('candor-pay-nosuchpayment', 'paid'));
    expect(unknown).toMatchObject({ status: 404, json: { error: 'unknown_payment' } });
    expect((await refusals()).at(-1)).toMatchObject({ subject_id: null, after: { code: 'unknown_payment', idempotencyKey: 'candor-pay-nosuchpayment' } });

    const { rewardId } = await makeApprovedReward(app, world);
    await runPayout({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) }, rewardId);
    const bankPayment = await db().selectFrom('payment').select(['id', 'idempotency_key', 'status']).where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
    expect(await post(callback(bankPayment.idempotency_key, 'paid'))).toMatchObject({ status: 404 });
    expect(await db().selectFrom('payment').select('status').where('id', '=', bankPayment.id).executeTakeFirstOrThrow()).toEqual({ status: 'submitted' });
  });

  it('a signed body that is not a valid callback is 400, never a 500', async () => {
    for (const body of ['{not json', '', '[]', JSON.stringify({ idempotencyKey: 'k', status: 'maybe' }), JSON.stringify({ status: 'paid' }), '\u00ff\u00fe']) {
      const before = (await refusals()).length;
      expect(await post(body), body).toMatchObject({ status: 400, json: { error: 'bad_request' } });
      expect((await refusals()).slice(before).map((row) => row.after)).toEqual([{ code: 'bad_request' }]);
    }
  });

  it('an address sending too many unsigned callbacks gets 429 without more audit rows; signed callbacks still go through', async () => {
    const address = '203.0.113.99';
    const body = callback('candor-pay-x', 'paid');
    for (let index = 0; index < REFUSED_CALLBACKS_PER_ADDRESS.limit; index += 1) {
      expect((await post(body, { signature: 'garbage', address })).status).toBe(401);
    }
    const before = (await refusals()).length;
    const limited = await post(body, { signature: 'garbage', address });
    expect(limited.status).toBe(429);
    expect(Number(limited.response.headers.get('Retry-After'))).toBeGreaterThan(0);
    expect((await refusals()).length).toBe(before);
    const { payment } = await submittedPayment();
    expect(await post(callback(payment.idempotency_key, 'paid'), { address })).toMatchObject({ status: 200, json: { outcome: 'paid' } });
  });

  it('does not exist unless payouts go through a provider, and answers GET with 405', async () => {
    const bankContext: AppLoadContext = {
      ...loadContext(app),
      services: { ...app.services, env: { ...app.services.env, PAYOUT_ADAPTER: 'bank_batch' } },
    };
    const { payment } = await submittedPayment();
    expect(await post(callback(payment.idempotency_key, 'paid'), { context: bankContext })).toMatchObject({ status: 404 });
    expect(await db().selectFrom('payment').select('status').where('id', '=', payment.id).executeTakeFirstOrThrow()).toEqual({ status: 'submitted' });
    const get = await post('', { method: 'GET' });
    expect(get.status).toBe(405);
    expect(get.response.headers.get('Allow')).toBe('POST');
  });
});

describe('payout callback over HTTP', () => {
  let web: TestWebServer;
  beforeAll(async () => {
    web = await startTestWebServer(app);
  }, 60_000);
  afterAll(async () => {
    await web?.close();
  });

  it('reaches the route without an Origin (the signature is the authority); a cross-site form is still refused', async () => {
    const { payment } = await submittedPayment();
    const body = callback(payment.idempotency_key, 'paid');
    const unsigned = await fetch(`${web.baseUrl}/payouts/callback`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(unsigned.status).toBe(401);
    const crossSite = await fetch(`${web.baseUrl}/payouts/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: 'https://evil.example', 'X-Candor-Signature': signWebhook(secret, body) },
      body,
    });
    expect(crossSite.status).toBe(403);
    const signed = await fetch(`${web.baseUrl}/payouts/callback`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', 'X-Candor-Signature': signWebhook(secret, body) },
      body,
    });
    expect(signed.status).toBe(200);
    expect(await signed.json()).toEqual({ received: true, outcome: 'paid' });
    // Only this path is let through: another POST without Origin is still refused.
    const elsewhere = await fetch(`${web.baseUrl}/payouts/callback/extra`, { method: 'POST', body });
    expect(elsewhere.status).toBe(403);
  }, 60_000);
});
