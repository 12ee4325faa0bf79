import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import type { VaultKeys } from '../domain/identity/vault.server.js';
import type { Env } from './env.server.js';
import type { Mailer } from './mail.server.js';

/** What the composition root (server/, workers/, tests) hands to every request. */
export interface AppServices {
  env: Env;
  db: Db;
  vaultKeys: VaultKeys;
  mailer: Mailer;
  logger: Logger;
  /** Reports whether the queue backend answers; used by /healthz and pages. */
  queueHealthy(): Promise<boolean>;
}

export type { Db };

declare module '@remix-run/node' {
  interface AppLoadContext {
    services: AppServices;
    /** Per-request CSP nonce for inline scripts. */
    nonce: string;
    /** The client's address, for rate limiting only; never stored with content. */
    clientAddress: string;
  }
}
