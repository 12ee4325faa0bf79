import { randomBytes } from 'node:crypto';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEnv } from '../app/utils/env.server.js';
import { createLogger, createServices, type Services } from '../server/services.js';
import { createWebApp } from '../server/web-app.js';
import { migrateQueueSchema, queueConnection } from '../workers/queue.js';
import { createTestDatabase, type TestDatabase } from './support/database.js';

/** A TCP proxy in front of the database that can be cut and restored. */
class Switch {
  private server?: net.Server;
  private sockets = new Set<net.Socket>();
  port = 0;
  constructor(private target: { host: string; port: number }) {}
  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target.port, this.target.host);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => undefined);
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => this.server!.listen(this.port, '127.0.0.1', resolve));
    this.port = (this.server!.address() as AddressInfo).port;
  }
  async down(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()));
  }
}

let database: TestDatabase;
let proxy: Switch;
let services: Services;
let baseUrl: string;
let httpServer: net.Server;

beforeAll(async () => {
  database = await createTestDatabase();
  const target = new URL(database.url);
  proxy = new Switch({ host: target.hostname, port: Number(target.port || 5432) });
  await proxy.up();
  const proxied = new URL(database.url);
  proxied.hostname = '127.0.0.1';
  proxied.port = String(proxy.port);
  const env = parseEnv({
    DATABASE_URL: proxied.toString(),
    REDIS_URL: process.env.REDIS_URL,
    QUEUE_PREFIX: `test-${randomBytes(4).toString('hex')}`,
    PUBLIC_URL: 'http://localhost:3000',
    VAULT_KEY: randomBytes(32).toString('base64'),
    LOG_LEVEL: 'silent',
  });
  await migrateQueueSchema(queueConnection(env));
  services = createServices(env, createLogger(env));
  // Page requests that pass the availability gate reach this stand-in build.
  const app = createWebApp(
    services,
    async () => {
      throw new Error('no Remix build in this test');
    },
    '/nonexistent',
  );
  httpServer = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => httpServer.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => httpServer?.close(resolve));
  await services?.close().catch(() => undefined);
  await proxy?.down().catch(() => undefined);
  await database?.close();
});

async function eventually(check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('availability', () => {
  it('reports the database and the queue at /healthz', async () => {
    const response = await fetch(`${baseUrl}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', queue: 'ok' });
  });

  it('answers 503 from /healthz and pages while the database is down, and recovers without a restart', async () => {
    await proxy.down();
    await eventually(async () => (await fetch(`${baseUrl}/healthz`)).status === 503);
    const health = (await (await fetch(`${baseUrl}/healthz`)).json()) as { database: string };
    expect(health.database).toBe('down');
    // Pages follow within the monitor's one-second refresh.
    await eventually(async () => (await fetch(`${baseUrl}/login`)).status === 503);
    const page = await fetch(`${baseUrl}/login`);
    expect(page.status).toBe(503);
    expect(page.headers.get('retry-after')).toBe('10');
    expect(await page.text()).toContain('Temporarily unavailable');

    await proxy.up();
    await eventually(async () => (await fetch(`${baseUrl}/healthz`)).status === 200);
    await eventually(async () => (await fetch(`${baseUrl}/login`)).status !== 503);
  });
});
