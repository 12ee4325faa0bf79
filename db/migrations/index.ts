import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.js';
import * as m0002 from './0002-community.js';

/** A static list, so bundlers and tsx see every migration; order is the key order. */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-community': m0002,
};
