import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { DEFAULT_POLICY_RULES, type PolicyRules, PolicyRulesSchema } from './policy.js';

type Executor = Kysely<Database> | Transaction<Database>;

export interface PolicyVersion {
  id: string;
  version: number;
  rules: PolicyRules;
}

/** The newest policy version; version 1 (DESIGN.md's example amounts) is written on first use. */
export async function getCurrentPolicy(db: Executor): Promise<PolicyVersion> {
  const newest = await readNewest(db);
  if (newest) return newest;
  await db
    .insertInto('reward_policy')
    .values({ id: randomId(), version: 1, rules: JSON.stringify(DEFAULT_POLICY_RULES), note: 'Initial policy' })
    .onConflict((oc) => oc.column('version').doNothing())
    .execute();
  return (await readNewest(db))!;
}

export async function getPolicy(db: Executor, policyId: string): Promise<PolicyVersion> {
  const row = await db.selectFrom('reward_policy').select(['id', 'version', 'rules']).where('id', '=', policyId).executeTakeFirstOrThrow();
  return { id: row.id, version: row.version, rules: PolicyRulesSchema.parse(row.rules) };
}

async function readNewest(db: Executor): Promise<PolicyVersion | undefined> {
  const row = await db
    .selectFrom('reward_policy')
    .select(['id', 'version', 'rules'])
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row && { id: row.id, version: row.version, rules: PolicyRulesSchema.parse(row.rules) };
}
