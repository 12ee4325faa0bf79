import { sql, type Transaction } from 'kysely';
import type { Database, Role } from '../../../db/schema.js';

/**
 * Locks an account's row and reads its org and roles, so concurrent role
 * changes to one person apply one after the other and each audit row's
 * "before" is what the change really started from.
 */
export async function lockRoleHolder(
  trx: Transaction<Database>,
  userId: string,
): Promise<{ orgId: string | null; roles: Role[] } | undefined> {
  const user = await trx
    .selectFrom('app_user')
    .select(['app_user.org_id'])
    .where('app_user.id', '=', userId)
    .forUpdate()
    .executeTakeFirst();
  if (!user) return undefined;
  const { roles } = await trx
    .selectFrom('user_role')
    .select(sql<Role[]>`coalesce(array_agg(user_role.role ORDER BY user_role.role), '{}')`.as('roles'))
    .where('user_role.user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return { orgId: user.org_id, roles };
}
