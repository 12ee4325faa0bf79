import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-community.js';
import * as m0003 from './0003-notifications-moderation.js';
import * as m0004 from './0004-triage-roadmap.js';
import * as m0005 from './0005-bounty-ledger.js';
import * as m0006 from './0006-rewards.js';
import * as m0007 from './0007-payouts.js';

/** A static list, so bundlers and tsx see every migration; order is the key order. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-community': m0002,
  '0003-notifications-moderation': m0003,
  '0004-triage-roadmap': m0004,
  '0005-bounty-ledger': m0005,
  '0006-rewards': m0006,
  '0007-payouts': m0007,
};
