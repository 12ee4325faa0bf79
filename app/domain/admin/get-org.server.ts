import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import type { Actor } from './actor.server.js';
import { activeMemberCount, type OrgSummary, orgDomains } from './list-orgs.server.js';

export type GetOrgError = 'forbidden' | 'org_not_found';

/**
 * One org with its domains and active member count. Admins see any org; an
 * org admin only their own, and another org looks the same as a missing one.
 */
export async function getOrg(db: Kysely<Database>, actor: Actor, orgId: string): Promise<OrgSummary> {
  const isAdmin = actor.roles.includes('admin');
  if (!isAdmin && !actor.roles.includes('org_admin')) throw new DomainError<GetOrgError>('forbidden', undefined, 403);
  if (!isAdmin && actor.orgId !== orgId) throw new DomainError<GetOrgError>('org_not_found', undefined, 404);
  const row = await db
    .selectFrom('org')
    .select(['org.id', 'org.name', 'org.value_tier', orgDomains, activeMemberCount])
    .where('org.id', '=', orgId)
    .executeTakeFirst();
  if (!row) throw new DomainError<GetOrgError>('org_not_found', undefined, 404);
  return {
    id: row.id,
    name: row.name,
    valueTier: row.value_tier,
    domains: row.domains ?? [],
    activeMemberCount: row.active_member_count ?? 0,
  };
}
