import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { csrfGuard, maskUrl } from '../server/web-app.js';

const PUBLIC_ORIGIN = 'http://localhost:3000';

interface Answer {
  status: number;
  body: string;
  setCookie: string[];
}

/** A raw HTTP request: exactly the headers given, nothing added (no Origin, no cookies). */
function send(server: Server, method: string, path: string, headers: Record<string, string> = {}, body?: string): Promise<Answer> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, method, path, headers }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, setCookie: res.headers['set-cookie'] ?? [] }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

function startApp(secure: boolean): Promise<Server> {
  const app = express();
  app.use(csrfGuard(secure ? 'https://candor.example' : PUBLIC_ORIGIN, secure));
  app.all('*', (req, res) => {
    res.type('text/plain').send(`reached ${req.method}`);
  });
  return new Promise((resolve) => {
    const server = app.listen(0, '127.0.0.1', () => resolve(server));
  });
}

function close(server: Server | undefined): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('csrfGuard', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startApp(false);
  });
  afterAll(() => close(server));

  test('a POST from the portal’s own origin passes', async () => {
    const answer = await send(server, 'POST', '/login', { ...FORM, Origin: PUBLIC_ORIGIN }, 'a=1');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('reached POST');
  });

  test('a POST from another origin is refused', async () => {
    for (const origin of ['https://evil.example', 'http://localhost:3001', 'https://localhost:3000', 'null']) {
      const answer = await send(server, 'POST', '/login', { ...FORM, Origin: origin }, 'a=1');
      expect(answer.status, origin).toBe(403);
      expect(answer.body).not.toContain('reached');
    }
  });

  test('other state-changing methods are guarded too', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE']) {
      expect((await send(server, method, '/x', { Origin: 'https://evil.example' })).status, method).toBe(403);
      expect((await send(server, method, '/x', { Origin: PUBLIC_ORIGIN })).status, method).toBe(200);
    }
  });

  test('a foreign Origin is refused even with a valid token', async () => {
    const answer = await send(server, 'POST', '/login', {
      ...FORM,
      Origin: 'https://evil.example',
      Cookie: 'candor_csrf=abc123',
      'X-CSRF-Token': 'abc123',
    });
    expect(answer.status).toBe(403);
  });

  test('no Origin and no token is refused', async () => {
    const answer = await send(server, 'POST', '/login', FORM, 'a=1');
    expect(answer.status).toBe(403);
    expect(answer.body).not.toContain('reached');
  });

  test('no Origin with X-CSRF-Token equal to the candor_csrf cookie passes', async () => {
    const answer = await send(server, 'POST', '/login', {
      ...FORM,
      Cookie: 'other=1; candor_csrf=tok-En_123; more=2',
      'X-CSRF-Token': 'tok-En_123',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('reached POST');
  });

  test('no Origin with a token that does not match the cookie is refused', async () => {
    const cases: Array<Record<string, string>> = [
      { Cookie: 'candor_csrf=tok-En_123', 'X-CSRF-Token': 'tok-En_124' },
      { Cookie: 'candor_csrf=tok-En_123', 'X-CSRF-Token': 'tok-En_12' },
      { Cookie: 'candor_csrf=tok-En_123' },
      { 'X-CSRF-Token': 'tok-En_123' },
      { Cookie: 'not_candor_csrf=tok', 'X-CSRF-Token': 'tok' },
    ];
    for (const headers of cases) {
      expect((await send(server, 'POST', '/login', { ...FORM, ...headers })).status, JSON.stringify(headers)).toBe(403);
    }
  });

  test('a GET passes (whatever its Origin) and sets the candor_csrf cookie', async () => {
    const answer = await send(server, 'GET', '/login');
    expect(answer.status).toBe(200);
    expect(answer.body).toBe('reached GET');
    const cookie = answer.setCookie.find((line) => line.startsWith('candor_csrf='));
    expect(cookie).toBeDefined();
    const token = /^candor_csrf=([^;]+)/.exec(cookie!)![1]!;
    expect(token.length).toBeGreaterThanOrEqual(20);
    expect(cookie).toMatch(/;\s*Path=\//i);
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    // The client reads it to echo it in X-CSRF-Token, so it is not HttpOnly.
    expect(cookie).not.toMatch(/HttpOnly/i);
    expect(cookie).not.toMatch(/;\s*Secure/i);

    // A fresh token per new visitor, and the token then works for a POST without Origin.
    const other = await send(server, 'GET', '/', { Origin: 'https://evil.example' });
    expect(other.status).toBe(200);
    expect(other.setCookie.find((line) => line.startsWith('candor_csrf='))).not.toBe(cookie);
    const post = await send(server, 'POST', '/login', { ...FORM, Cookie: `candor_csrf=${token}`, 'X-CSRF-Token': token });
    expect(post.status).toBe(200);
  });

  test('a GET that already has the cookie keeps it', async () => {
    const answer = await send(server, 'GET', '/', { Cookie: 'candor_csrf=existing' });
    expect(answer.status).toBe(200);
    expect(answer.setCookie.filter((line) => line.startsWith('candor_csrf='))).toEqual([]);
  });

  test('HEAD and OPTIONS pass without Origin', async () => {
    expect((await send(server, 'HEAD', '/')).status).toBe(200);
    expect((await send(server, 'OPTIONS', '/')).status).toBe(200);
  });
});

describe('csrfGuard on https', () => {
  let server: Server;
  beforeAll(async () => {
    server = await startApp(true);
  });
  afterAll(() => close(server));

  test('the cookie is Secure and only the https origin passes', async () => {
    const answer = await send(server, 'GET', '/');
    expect(answer.setCookie.find((line) => line.startsWith('candor_csrf='))).toMatch(/;\s*Secure/i);
    expect((await send(server, 'POST', '/', { Origin: 'https://candor.example' })).status).toBe(200);
    expect((await send(server, 'POST', '/', { Origin: 'http://candor.example' })).status).toBe(403);
  });
});

describe('maskUrl', () => {
  test.each([
    ['/verify-email/abcDEF123_-x', '/verify-email/[redacted]'],
    ['/reset-password/s3cr3t-token', '/reset-password/[redacted]'],
    ['/invite/INV1T3t0k3n', '/invite/[redacted]'],
    ['/verify-email/abc?lang=zh-CN', '/verify-email/[redacted]?lang=zh-CN'],
    ['/reset-password/abc/confirm', '/reset-password/[redacted]/confirm'],
  ])('hides the token in %s', (url, masked) => {
    expect(maskUrl(url)).toBe(masked);
  });

  test('hides token and redirectTo query parameters', () => {
    expect(maskUrl('/login?redirectTo=%2Fsecret&x=1')).toBe('/login?redirectTo=[redacted]&x=1');
    expect(maskUrl('/something?a=1&token=abc&b=2')).toBe('/something?a=1&token=[redacted]&b=2');
  });

  test('the secret never survives masking', () => {
    for (const url of ['/verify-email/SECRETVALUE', '/reset-password/SECRETVALUE?x=1', '/invite/SECRETVALUE', '/x?token=SECRETVALUE']) {
      expect(maskUrl(url)).not.toContain('SECRETVALUE');
    }
  });

  test('leaves ordinary paths alone', () => {
    for (const url of ['/', '/login', '/admin/invites', '/admin/invites/new', '/verify-email', '/healthz?x=1']) {
      expect(maskUrl(url)).toBe(url);
    }
  });
});
