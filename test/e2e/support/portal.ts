import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from './paths.js';

export { DEMO_LOGINS, DEMO_PASSWORD } from '../../../db/seed.js';

export interface Portal {
  /** e.g. http://localhost:41234 — the portal's PUBLIC_URL, so Origin checks pass. */
  url: string;
  port: number;
  dataDir: string;
  /** Everything the server printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

export interface StartPortalOptions {
  /** Extra environment for the server (e.g. settings under test). */
  env?: Record<string, string>;
  /** How long to wait for /healthz; default 120 s. */
  startTimeoutMs?: number;
}

/**
 * Starts the built portal (`server/embedded.ts`, as `npm start` does after its
 * build) in a child process: embedded PGlite in a fresh temporary DATA_DIR
 * seeded with the demo data, on a free port. Resolves when /healthz answers
 * 200. `stop()` sends SIGTERM, waits for the exit and removes the directory.
 *
 * DATABASE_URL, REDIS_URL and SMTP_URL are dropped from the inherited
 * environment, so every portal starts empty and keeps its mail in the database
 * (readable at /admin/mailbox); pass them in `env` to override.
 */
export async function startPortal(options: StartPortalOptions = {}): Promise<Portal> {
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'candor-e2e-'));
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'SMTP_URL', 'PUBLIC_URL', 'VAULT_KEY', 'HOST', 'VITEST', 'VITEST_POOL_ID', 'VITEST_WORKER_ID']) {
    delete env[name];
  }
  Object.assign(env, {
    NODE_ENV: 'production',
    DATA_DIR: dataDir,
    PORT: String(port),
    LOG_LEVEL: process.env.E2E_LOG_LEVEL ?? 'warn',
    ...options.env,
  });

  // `node --import tsx` is `npx tsx` without the wrapper processes: the pid we
  // signal is the server itself. Its own process group, so nothing leaks.
  const child = spawn(process.execPath, ['--import', 'tsx', 'server/embedded.ts'], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let output = '';
  const keep = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    if (output.length > 200_000) output = output.slice(-100_000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? (signal ? -1 : null))));

  const portal: Portal = {
    url,
    port,
    dataDir,
    output: () => output,
    stop: async () => {
      await stopChild(child, exited);
      await rm(dataDir, { recursive: true, force: true });
    },
  };

  try {
    await waitForHealthy(url, exited, options.startTimeoutMs ?? 120_000);
  } catch (error) {
    await portal.stop();
    throw new Error(`${(error as Error).message}\n--- portal output ---\n${output.slice(-8_000)}`);
  }
  return portal;
}

async function waitForHealthy(url: string, exited: Promise<number | null>, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void exited.then((code) => {
    exitCode = code;
  });
  const deadline = Date.now() + timeoutMs;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    if (exitCode !== undefined) throw new Error(`The portal exited (code ${exitCode}) before it was healthy`);
    try {
      const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(5_000) });
      if (response.status === 200) return;
      last = `${response.status} ${await response.text()}`;
    } catch (error) {
      last = (error as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`The portal at ${url} was not healthy within ${timeoutMs / 1000} s (last: ${last})`);
}

async function stopChild(child: ChildProcess, exited: Promise<number | null>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const signalGroup = (signal: NodeJS.Signals) => {
    try {
      process.kill(-child.pid!, signal);
    } catch {
      child.kill(signal);
    }
  };
  signalGroup('SIGTERM');
  const timeout = new Promise<'timeout'>((resolve) => setTimeout(() => resolve('timeout'), 15_000).unref());
  if ((await Promise.race([exited, timeout])) === 'timeout') {
    signalGroup('SIGKILL');
    await exited;
  }
}

/** A port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
