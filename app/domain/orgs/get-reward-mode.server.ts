import { type Kysely, sql } from 'kysely';
import type { Database, RewardMode } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';

export interface OrgRewardMode {
  mode: RewardMode;
  /**
   * Who consented, as the viewer may know it: themselves, or another org
   * admin of their org. Never that colleague's pseudonym: people in the same
   * org know each other's names, and a name tied to a pseudonym unmasks
   * everything posted under it. Null while nobody has chosen (the default,
   * recognition only).
   */
  setBy: 'you' | 'another_org_admin' | null;
  /** Day-level ('YYYY-MM-DD', UTC); the audit log keeps the exact time. */
  setDay: string | null;
}

/** The reward mode of the viewer's own org; null for people in no org (vendor staff). */
export async function getOrgRewardMode(db: Kysely<Database>, viewer: Pick<Actor, 'id' | 'orgId'>): Promise<OrgRewardMode | null> {
  if (!viewer.orgId) return null;
  const row = await db
    .selectFrom('org')
    .select([
      'reward_mode',
      'reward_mode_set_by',
      sql<string | null>`to_char(reward_mode_set_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')`.as('set_day'),
    ])
    .where('id', '=', viewer.orgId)
    .executeTakeFirst();
  if (!row) return null;
  return {
    mode: row.reward_mode,
    setBy: row.reward_mode_set_by === null ? null : row.reward_mode_set_by === viewer.id ? 'you' : 'another_org_admin',
    setDay: row.set_day,
  };
}
