import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { deleteAllSessions } from '../../utils/session.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { writeOutbox } from '../outbox/write-outbox.server.js';
import { type Actor, requireRole } from './actor.server.js';
import { ALL_ROLES } from './choices.js';
import { lockRoleHolder } from './lock-role-holder.server.js';

export const RevokeRoleInputSchema = z.object({
  userId: z.string().max(64),
  role: z.enum(ALL_ROLES),
});
export type RevokeRoleInput = z.input<typeof RevokeRoleInputSchema>;

export type RevokeRoleError = 'forbidden' | 'account_not_found' | 'role_not_held' | 'last_admin';

/**
 * Takes a role away (admin only), ending all the person's sessions and
 * announcing the change through the outbox. The last active admin keeps the
 * role: without one nobody could grant it again.
 */
export async function revokeRole(db: Kysely<Database>, actor: Actor, input: RevokeRoleInput): Promise<void> {
  requireRole(actor, 'admin');
  const { userId, role } = RevokeRoleInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    if (role === 'admin') {
      // Lock every admin row first: two admins revoking each other at once
      // then run one after the other, and the second sees the first's change.
      await trx.selectFrom('user_role').select('user_id').where('role', '=', 'admin').forUpdate().execute();
    }
    const target = await lockRoleHolder(trx, userId);
    if (!target) throw new DomainError<RevokeRoleError>('account_not_found', undefined, 404);
    if (!target.roles.includes(role)) throw new DomainError<RevokeRoleError>('role_not_held', 'role', 409);
    if (role === 'admin') {
      const others = await trx
        .selectFrom('user_role')
        .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
        .select(sql<number>`count(*)::int`.as('n'))
        .where('user_role.role', '=', 'admin')
        .where('user_role.user_id', '!=', userId)
        .where('app_user.disabled_at', 'is', null)
        .where('app_user.email_verified_at', 'is not', null)
        .executeTakeFirstOrThrow();
      if (others.n === 0) throw new DomainError<RevokeRoleError>('last_admin', 'role', 409);
    }

    await trx.deleteFrom('user_role').where('user_id', '=', userId).where('role', '=', role).execute();
    await deleteAllSessions(trx, userId);
    await writeOutbox(trx, 'user.roles_changed', { userId });
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'role.revoke',
      subjectType: 'user',
      subjectId: userId,
      before: { roles: target.roles },
      after: { roles: target.roles.filter((held) => held !== role) },
    });
  });
}
