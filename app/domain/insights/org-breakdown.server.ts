import { type Kysely, sql } from 'kysely';
import type { Database, ValueTier } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import { ORG_GROUPS, type OrgGroup } from './choices.js';

// Every breakdown or filter by customer org on a staff page or export goes
// through this file, so the anonymity rule lives in one place:
// - an org is named only by its value tier, and only when it has at least k
//   active members (DESIGN.md, "Pseudonymity"); smaller orgs are "other";
// - every figure shown stands for at least k people, "other" included;
// - a filter is refused when the group it selects, or everyone it leaves
//   out, is fewer than k people: comparing the filtered list with the
//   unfiltered one would single them out.

export interface OrgPopulation {
  orgId: string;
  tier: ValueTier;
  /** Verified, not disabled: the count the post and profile pages use. */
  activeMembers: number;
}

/** Every customer org with its tier and active member count: one grouped query. */
export async function listOrgPopulation(db: Kysely<Database>): Promise<OrgPopulation[]> {
  const rows = await db
    .selectFrom('org')
    .leftJoin('app_user', (join) =>
      join
        .onRef('app_user.org_id', '=', 'org.id')
        .on('app_user.disabled_at', 'is', null)
        .on('app_user.email_verified_at', 'is not', null),
    )
    .select(['org.id', 'org.value_tier', sql<number>`count(app_user.id)::int`.as('active_members')])
    .groupBy('org.id')
    .execute();
  return rows.map((row) => ({ orgId: row.id, tier: row.value_tier, activeMembers: row.active_members }));
}

export interface OrgGroups {
  /** The anonymity threshold these groups were made with. */
  k: number;
  /** Each org's group: its tier when it has at least k active members, else 'other'. */
  groupOf: ReadonlyMap<string, OrgGroup>;
  membersOf: ReadonlyMap<string, number>;
  tierOf: ReadonlyMap<string, ValueTier>;
  /** Active members per group, and in all customer orgs together. */
  membersIn: Readonly<Record<OrgGroup, number>>;
  totalMembers: number;
}

export function groupOrgs(population: readonly OrgPopulation[], k: number): OrgGroups {
  const groupOf = new Map<string, OrgGroup>();
  const membersOf = new Map<string, number>();
  const tierOf = new Map<string, ValueTier>();
  const membersIn: Record<OrgGroup, number> = { strategic: 0, major: 0, standard: 0, other: 0 };
  for (const org of population) {
    const group: OrgGroup = org.activeMembers >= k ? org.tier : 'other';
    groupOf.set(org.orgId, group);
    membersOf.set(org.orgId, org.activeMembers);
    tierOf.set(org.orgId, org.tier);
    membersIn[group] += org.activeMembers;
  }
  const totalMembers = membersIn.strategic + membersIn.major + membersIn.standard + membersIn.other;
  return { k, groupOf, membersOf, tierOf, membersIn, totalMembers };
}

export type OrgFilterError = 'org_group_too_small' | 'org_group_remainder_too_small';

/** Fewer than k, but not nobody: a group of no one singles no one out. */
const singlesOut = (members: number, k: number) => members > 0 && members < k;

/**
 * The orgs a filter by `group` selects, or a refusal (400, on the 'org'
 * field) when the selected people or the people left out are fewer than k.
 */
export function orgIdsForFilter(groups: OrgGroups, group: OrgGroup): string[] {
  const selected = groups.membersIn[group];
  if (singlesOut(selected, groups.k)) throw new DomainError<OrgFilterError>('org_group_too_small', 'org');
  if (singlesOut(groups.totalMembers - selected, groups.k)) {
    throw new DomainError<OrgFilterError>('org_group_remainder_too_small', 'org');
  }
  return [...groups.groupOf].filter(([, of]) => of === group).map(([orgId]) => orgId);
}

/**
 * The groups a breakdown by tier (not by org) may show. A tier's orgs each
 * have at least k members, so every tier stands for k people; "other" may
 * not. While it stands for fewer than k (but someone), the smallest tier is
 * folded into it. If even everyone together is fewer than k, all of them are
 * "other", which stands for too few to show: a caller shows only groups of
 * at least k members (`membersIn`). The result feeds orgIdsForFilter too, so
 * a filter selects exactly what a breakdown row shows.
 */
export function foldSmallGroups(groups: OrgGroups): OrgGroups {
  const folded = new Set<OrgGroup>(['other']);
  const tiersBySize = ORG_GROUPS.filter((group) => group !== 'other').sort(
    (a, b) => groups.membersIn[a] - groups.membersIn[b] || ORG_GROUPS.indexOf(a) - ORG_GROUPS.indexOf(b),
  );
  const membersOfOther = () => [...folded].reduce((sum, group) => sum + groups.membersIn[group], 0);
  for (const tier of tiersBySize) {
    if (!singlesOut(membersOfOther(), groups.k)) break;
    folded.add(tier);
  }
  const groupOf = new Map<string, OrgGroup>();
  const membersIn: Record<OrgGroup, number> = { strategic: 0, major: 0, standard: 0, other: 0 };
  for (const [orgId, group] of groups.groupOf) {
    const shown = folded.has(group) ? 'other' : group;
    groupOf.set(orgId, shown);
    membersIn[shown] += groups.membersOf.get(orgId) ?? 0;
  }
  return { ...groups, groupOf, membersIn };
}

export type Metrics = Record<string, number>;

export interface OrgBreakdownRow<M extends Metrics> {
  /** Stable within one answer ('strategic-1'); never the org's id or name. */
  key: string;
  tier: ValueTier;
  /** 1 for the tier's biggest org in this breakdown, 2 for the next… */
  ordinal: number;
  metrics: M;
}

export interface OrgBreakdown<M extends Metrics> {
  rows: OrgBreakdownRow<M>[];
  /** Smaller orgs and those past the limit, together; null when there is nothing to show. */
  other: { metrics: M } | null;
}

/**
 * Figures per customer org (`rows`, one per org; staff without an org left
 * out by the caller), made safe to show: the biggest `limit` orgs with at
 * least k active members each get a row named by tier; everything else is
 * summed into "other". When "other" would stand for fewer than k people,
 * the smallest shown rows are folded into it until it stands for k; if all
 * customers together are fewer than k, nothing is shown.
 */
export function breakdownByOrg<M extends Metrics>(
  groups: OrgGroups,
  rows: ReadonlyArray<{ orgId: string; metrics: M }>,
  options: { rankBy: keyof M & string; limit: number },
): OrgBreakdown<M> {
  const metricsOf = new Map(rows.map((row) => [row.orgId, row.metrics]));
  const named = rows
    .filter((row) => (groups.groupOf.get(row.orgId) ?? 'other') !== 'other')
    .sort((a, b) => b.metrics[options.rankBy]! - a.metrics[options.rankBy]! || a.orgId.localeCompare(b.orgId));
  const shown = named.slice(0, options.limit);
  const otherOrgs = new Set([...groups.groupOf].filter(([, group]) => group === 'other').map(([orgId]) => orgId));
  for (const row of named.slice(options.limit)) otherOrgs.add(row.orgId);
  const membersOfOther = () => [...otherOrgs].reduce((sum, orgId) => sum + (groups.membersOf.get(orgId) ?? 0), 0);
  while (singlesOut(membersOfOther(), groups.k) && shown.length > 0) otherOrgs.add(shown.pop()!.orgId);
  if (singlesOut(membersOfOther(), groups.k)) return { rows: [], other: null };

  const ordinals = new Map<ValueTier, number>();
  const namedRows = shown.map((row) => {
    const tier = groups.tierOf.get(row.orgId)!;
    const ordinal = (ordinals.get(tier) ?? 0) + 1;
    ordinals.set(tier, ordinal);
    return { key: `${tier}-${ordinal}`, tier, ordinal, metrics: row.metrics };
  });

  let other: M | null = null;
  for (const orgId of otherOrgs) {
    const metrics = metricsOf.get(orgId);
    if (!metrics) continue;
    other = other ? sumMetrics(other, metrics) : { ...metrics };
  }
  const otherHasFigures = other !== null && Object.values(other).some((value) => value !== 0);
  return { rows: namedRows, other: otherHasFigures ? { metrics: other! } : null };
}

function sumMetrics<M extends Metrics>(a: M, b: M): M {
  const sum: Metrics = { ...a };
  for (const [name, value] of Object.entries(b)) sum[name] = (sum[name] ?? 0) + value;
  return sum as M;
}
