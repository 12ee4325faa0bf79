import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { type Actor, requireRole } from './actor.server.js';

/** More orgs than a select can sensibly offer; the design expects about 200. */
const MAX_OPTIONS = 1000;

/** Org ids and names for a select (admin only), alphabetically. */
export async function listOrgOptions(db: Kysely<Database>, actor: Actor): Promise<{ id: string; name: string }[]> {
  requireRole(actor, 'admin');
  return db.selectFrom('org').select(['id', 'name']).orderBy('name').limit(MAX_OPTIONS).execute();
}
