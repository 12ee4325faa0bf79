import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { deleteAllSessions } from '../../utils/session.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { writeOutbox } from '../outbox/write-outbox.server.js';
import { type Actor, requireRole } from './actor.server.js';
import { ALL_ROLES, isStaffRole } from './choices.js';
import { lockRoleHolder } from './lock-role-holder.server.js';

export const GrantRoleInputSchema = z.object({
  userId: z.string().max(64),
  role: z.enum(ALL_ROLES),
});
export type GrantRoleInput = z.input<typeof GrantRoleInputSchema>;

export type GrantRoleError = 'forbidden' | 'account_not_found' | 'role_not_allowed' | 'role_already_held';

/**
 * Grants a role (admin only). Staff roles go to vendor accounts only, and
 * org_admin to members of a customer org only. The person's sessions all end,
 * so the new role takes effect on a fresh login, and an outbox event has the
 * worker mail them about the change.
 */
export async function grantRole(db: Kysely<Database>, actor: Actor, input: GrantRoleInput): Promise<void> {
  requireRole(actor, 'admin');
  const { userId, role } = GrantRoleInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const target = await lockRoleHolder(trx, userId);
    if (!target) throw new DomainError<GrantRoleError>('account_not_found', undefined, 404);
    const allowed = isStaffRole(role) ? target.orgId === null : target.orgId !== null;
    if (!allowed) throw new DomainError<GrantRoleError>('role_not_allowed', 'role');
    if (target.roles.includes(role)) throw new DomainError<GrantRoleError>('role_already_held', 'role', 409);

    await trx.insertInto('user_role').values({ user_id: userId, role, granted_by: actor.id }).execute();
    await deleteAllSessions(trx, userId);
    await writeOutbox(trx, 'user.roles_changed', { userId });
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'role.grant',
      subjectType: 'user',
      subjectId: userId,
      before: { roles: target.roles },
      after: { roles: [...target.roles, role].sort() },
    });
  });
}
