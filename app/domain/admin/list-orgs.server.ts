import { type ExpressionBuilder, type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, ValueTier } from '../../../db/schema.js';
import { type Actor, requireRole } from './actor.server.js';

export const ListOrgsInputSchema = z.object({
  /** The id of the last org on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(50),
});
export type ListOrgsInput = z.input<typeof ListOrgsInputSchema>;

export interface OrgSummary {
  id: string;
  name: string;
  valueTier: ValueTier;
  domains: string[];
  /** How many verified, enabled accounts belong to it; never who. */
  activeMemberCount: number;
}

/** The org's registered domains, alphabetically. */
export function orgDomains(eb: ExpressionBuilder<Database, 'org'>) {
  return eb
    .selectFrom('org_domain')
    .select(sql<string[]>`coalesce(array_agg(org_domain.domain ORDER BY org_domain.domain), '{}')`.as('domains'))
    .whereRef('org_domain.org_id', '=', 'org.id')
    .as('domains');
}

/** Members who can log in: verified and not disabled (the anonymity threshold counts the same). */
export function activeMemberCount(eb: ExpressionBuilder<Database, 'org'>) {
  return eb
    .selectFrom('app_user')
    .select(sql<number>`count(*)::int`.as('n'))
    .whereRef('app_user.org_id', '=', 'org.id')
    .where('app_user.disabled_at', 'is', null)
    .where('app_user.email_verified_at', 'is not', null)
    .as('active_member_count');
}

/**
 * Orgs by name, one page at a time (keyset on the unique name), with their
 * domains and active member count. Admin only.
 */
export async function listOrgs(
  db: Kysely<Database>,
  actor: Actor,
  input: ListOrgsInput = {},
): Promise<{ orgs: OrgSummary[]; nextAfter: string | null }> {
  requireRole(actor, 'admin');
  const { after, limit } = ListOrgsInputSchema.parse(input);
  let query = db
    .selectFrom('org')
    .select(['org.id', 'org.name', 'org.value_tier', orgDomains, activeMemberCount])
    .orderBy('org.name')
    .limit(limit + 1);
  if (after) {
    query = query.where('org.name', '>', (eb) => eb.selectFrom('org as cursor').select('cursor.name').where('cursor.id', '=', after));
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    orgs: page.map((row) => ({
      id: row.id,
      name: row.name,
      valueTier: row.value_tier,
      domains: row.domains ?? [],
      activeMemberCount: row.active_member_count ?? 0,
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
