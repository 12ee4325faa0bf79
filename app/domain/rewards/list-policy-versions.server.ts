import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { requireFinanceRole } from '../pools/finance-access.server.js';
import { getCurrentPolicy } from './current-policy.server.js';
import { type PolicyRules, PolicyRulesSchema } from './policy.js';

export const POLICY_HISTORY_LIMIT = 50;

export interface PolicyVersionView {
  id: string;
  version: number;
  rules: PolicyRules;
  note: string | null;
  /** The publisher's staff display name; null for a publisher without one. */
  by: string | null;
  /** Written by the portal itself (version 1, on first use), not by a person. */
  byPortal: boolean;
  at: Date;
}

export interface PolicyOverview {
  current: PolicyVersionView;
  /** Newest first, the current version included. */
  versions: PolicyVersionView[];
}

/** The policy in force and the versions before it, for finance. */
export async function listPolicyVersions(db: Kysely<Database>, actor: Actor): Promise<PolicyOverview> {
  requireFinanceRole(actor);
  await getCurrentPolicy(db);
  const rows = await db
    .selectFrom('reward_policy')
    .leftJoin('app_user', 'app_user.id', 'reward_policy.created_by')
    .select([
      'reward_policy.id',
      'reward_policy.version',
      'reward_policy.rules',
      'reward_policy.note',
      'reward_policy.created_at',
      'reward_policy.created_by',
      'app_user.staff_display_name',
    ])
    .orderBy('reward_policy.version', 'desc')
    .limit(POLICY_HISTORY_LIMIT)
    .execute();
  const versions = rows.map((row) => ({
    id: row.id,
    version: row.version,
    rules: PolicyRulesSchema.parse(row.rules),
    note: row.note,
    by: row.staff_display_name,
    byPortal: row.created_by === null,
    at: row.created_at,
  }));
  return { current: versions[0]!, versions };
}
