import type { ActionFunctionArgs } from '@remix-run/node';
import { receivePayoutCallback } from '~/domain/payouts/callback.server';
import { keyedHash } from '~/utils/crypto.server';

// POST /payouts/callback: the payment provider says a payment is paid or
// failed. No session and no CSRF token (server/web-app.ts lets it through
// without an Origin): the HMAC signature over the body is the authority.
// Only there when payouts go through the provider (PAYOUT_ADAPTER=webhook).

const json = (body: unknown, status: number, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', ...headers },
  });

export function loader() {
  return json({ error: 'method_not_allowed' }, 405, { Allow: 'POST' });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const { env, db, vaultKeys } = context.services;
  if (env.PAYOUT_ADAPTER !== 'webhook' || !env.PAYOUT_WEBHOOK_SECRET) return json({ error: 'not_found' }, 404);
  if (request.method !== 'POST') return json({ error: 'method_not_allowed' }, 405, { Allow: 'POST' });
  const answer = await receivePayoutCallback(db, {
    secret: env.PAYOUT_WEBHOOK_SECRET,
    body: new Uint8Array(await request.arrayBuffer()),
    signature: request.headers.get('X-Candor-Signature'),
    clientKey: keyedHash(vaultKeys.rateLimit, context.clientAddress),
  });
  if (answer.httpStatus === 200) return json({ received: true, outcome: answer.outcome }, 200);
  if (answer.httpStatus === 429) return json({ error: answer.refusal }, 429, { 'Retry-After': String(answer.retryAfterSeconds) });
  return json({ error: answer.refusal }, answer.httpStatus);
}
