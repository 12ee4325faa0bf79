import { type Kysely, sql } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { requireTriager, TRIAGE_ROLES } from './triage-roles.js';

export interface TriagerOption {
  id: string;
  /** The staff display name, or the pseudonym of staff who have none: never a real name. */
  name: string;
}

/** Everyone a post can be assigned to: active holders of a triage role, by name. */
export async function listTriagers(db: Kysely<Database>, actor: Actor, locale: Locale): Promise<TriagerOption[]> {
  requireTriager(actor);
  const name = sql<string>`coalesce(app_user.staff_display_name, ${sql.ref(locale === 'zh-CN' ? 'app_user.pseudonym_zh' : 'app_user.pseudonym')})`;
  // Staff are a short list; user_role holds only role holders, so start from it.
  return db
    .selectFrom('app_user')
    .select(['app_user.id', name.as('name')])
    .where('app_user.id', 'in', (eb) => eb.selectFrom('user_role').select('user_role.user_id').where('user_role.role', 'in', TRIAGE_ROLES))
    .where('app_user.disabled_at', 'is', null)
    .orderBy(name)
    .orderBy('app_user.id')
    .execute();
}
