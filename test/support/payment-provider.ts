import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in payment provider on a local port, behaving like the real kind:
 * it checks the HMAC signature, executes a payment when it receives it, and
 * answers a repeated Idempotency-Key with its first answer instead of paying
 * again. A request without a key is a new payment every time, which is what
 * the crash test relies on to catch a missing key.
 */
export interface TestPaymentProvider {
  url: string;
  secret: string;
  /** Payments actually executed, per Candor payment id. */
  executions: Map<string, number>;
  requests: number;
  badSignatures: number;
  close(): Promise<void>;
}

export async function startTestPaymentProvider(options: { secret: string; delayMs?: () => number; answer?: 'paid' | 'accepted' }): Promise<TestPaymentProvider> {
  const answered = new Map<string, string>();
  const provider: TestPaymentProvider = {
    url: '',
    secret: options.secret,
    executions: new Map(),
    requests: 0,
    badSignatures: 0,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      provider.requests += 1;
      if (!validSignature(options.secret, body, request.headers['x-candor-signature'])) {
        provider.badSignatures += 1;
        response.writeHead(401).end();
        return;
      }
      const key = request.headers['idempotency-key'];
      const earlier = typeof key === 'string' ? answered.get(key) : undefined;
      if (earlier) {
        response.writeHead(200, { 'Content-Type': 'application/json' }).end(earlier);
        return;
      }
      const payment = JSON.parse(body) as { paymentId: string };
      provider.executions.set(payment.paymentId, (provider.executions.get(payment.paymentId) ?? 0) + 1);
      const answer = JSON.stringify({ status: options.answer ?? 'paid', reference: `prov-${payment.paymentId}-${provider.requests}` });
      if (typeof key === 'string') answered.set(key, answer);
      // Paid on receipt, answered a little later: a worker killed in between retries.
      setTimeout(() => response.writeHead(200, { 'Content-Type': 'application/json' }).end(answer), options.delayMs?.() ?? 0);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  provider.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/payments`;
  return provider;
}

function validSignature(secret: string, body: string, header: string | string[] | undefined): boolean {
  const match = typeof header === 'string' ? /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header) : null;
  if (!match) return false;
  const expected = createHmac('sha256', secret).update(`${match[1]}.${body}`).digest();
  return timingSafeEqual(expected, Buffer.from(match[2]!, 'hex'));
}
