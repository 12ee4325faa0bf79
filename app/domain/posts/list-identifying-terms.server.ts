import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';

/**
 * What names the member's own org: its name and its email domains. For the
 * compose warning only, computed on the server; never sent to the browser.
 */
export async function listIdentifyingTerms(db: Kysely<Database>, member: { orgId: string | null }): Promise<string[]> {
  if (!member.orgId) return [];
  const org = await db
    .selectFrom('org')
    .select((eb) => [
      'org.name',
      eb
        .selectFrom('org_domain')
        .select((inner) => inner.fn.agg<string[]>('array_agg', ['org_domain.domain']).as('domains'))
        .whereRef('org_domain.org_id', '=', 'org.id')
        .as('domains'),
    ])
    .where('org.id', '=', member.orgId)
    .executeTakeFirst();
  if (!org) return [];
  return [org.name, ...(org.domains ?? [])];
}
