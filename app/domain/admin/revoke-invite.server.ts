import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import type { Actor } from './actor.server.js';

export const RevokeInviteInputSchema = z.object({ inviteId: z.string().max(64) });
export type RevokeInviteInput = z.input<typeof RevokeInviteInputSchema>;

export type RevokeInviteError = 'forbidden' | 'invite_not_found' | 'invite_accepted' | 'invite_revoked';

/**
 * Makes an invite link unusable. Admins may revoke any invite; an org admin
 * only invites into their own org, and anyone else's looks like a missing one.
 */
export async function revokeInvite(db: Kysely<Database>, actor: Actor, input: RevokeInviteInput): Promise<void> {
  const { inviteId } = RevokeInviteInputSchema.parse(input);
  const isAdmin = actor.roles.includes('admin');
  if (!isAdmin && (!actor.roles.includes('org_admin') || !actor.orgId)) {
    throw new DomainError<RevokeInviteError>('forbidden', undefined, 403);
  }
  await db.transaction().execute(async (trx) => {
    let query = trx
      .selectFrom('invite')
      .select(['id', 'org_id', 'accepted_at', 'revoked_at', 'expires_at'])
      .where('id', '=', inviteId)
      .forUpdate();
    if (!isAdmin) query = query.where('org_id', '=', actor.orgId);
    const invite = await query.executeTakeFirst();
    if (!invite) throw new DomainError<RevokeInviteError>('invite_not_found', undefined, 404);
    if (invite.accepted_at) throw new DomainError<RevokeInviteError>('invite_accepted', undefined, 409);
    if (invite.revoked_at) throw new DomainError<RevokeInviteError>('invite_revoked', undefined, 409);
    const revokedAt = new Date();
    await trx.updateTable('invite').set({ revoked_at: revokedAt }).where('id', '=', inviteId).execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'invite.revoke',
      subjectType: 'invite',
      subjectId: inviteId,
      before: { status: invite.expires_at <= revokedAt ? 'expired' : 'pending' },
      after: { status: 'revoked' },
    });
  });
}
