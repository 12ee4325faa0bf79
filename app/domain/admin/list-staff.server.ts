import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database, Role } from '../../../db/schema.js';
import { type Actor, requireRole } from './actor.server.js';

export const ListStaffInputSchema = z.object({
  /** The id of the last account on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(200).default(100),
});
export type ListStaffInput = z.input<typeof ListStaffInputSchema>;

export interface StaffMember {
  id: string;
  pseudonym: string;
  pseudonymZh: string;
  staffDisplayName: string | null;
  /** Org admins belong to a customer org; which one is not shown here. */
  isOrgMember: boolean;
  roles: Role[];
}

/**
 * Every account holding a role, by pseudonym: pseudonyms, display names and
 * roles only, never a name or an email. Admin only.
 */
export async function listStaff(
  db: Kysely<Database>,
  actor: Actor,
  input: ListStaffInput = {},
): Promise<{ staff: StaffMember[]; nextAfter: string | null }> {
  requireRole(actor, 'admin');
  const { after, limit } = ListStaffInputSchema.parse(input);
  let query = db
    .selectFrom('app_user')
    .select([
      'app_user.id',
      'app_user.pseudonym',
      'app_user.pseudonym_zh',
      'app_user.staff_display_name',
      'app_user.org_id',
      (eb) =>
        eb
          .selectFrom('user_role')
          .select(sql<Role[]>`array_agg(user_role.role ORDER BY user_role.role)`.as('roles'))
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .as('roles'),
    ])
    // user_role is small (only role holders), so start from it rather than
    // scanning every member.
    .where('app_user.id', 'in', (eb) => eb.selectFrom('user_role').select('user_role.user_id'))
    .orderBy('app_user.pseudonym')
    .limit(limit + 1);
  if (after) {
    query = query.where('app_user.pseudonym', '>', (eb) =>
      eb.selectFrom('app_user as cursor').select('cursor.pseudonym').where('cursor.id', '=', after),
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    staff: page.map((row) => ({
      id: row.id,
      pseudonym: row.pseudonym,
      pseudonymZh: row.pseudonym_zh,
      staffDisplayName: row.staff_display_name,
      isOrgMember: row.org_id !== null,
      roles: row.roles ?? [],
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}
