import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { ROLES } from '../../../db/schema.js';
import { randomId, randomSecret, sha256Hex } from '../../utils/crypto.server.js';
import type { OutgoingMail } from '../../utils/mail.server.js';
import { accountMail } from '../accounts/mails.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { emailHint, emailLookup, normaliseEmail, type VaultKeys } from '../identity/vault.server.js';
import { getSettings } from '../settings/settings.server.js';
import type { Actor } from './actor.server.js';

export const CreateInviteInputSchema = z.object({
  email: z.email().max(254),
  /** Null for vendor staff; required when an org admin invites. */
  orgId: z.string().max(64).nullable(),
  roles: z.array(z.enum(ROLES)).max(ROLES.length).default([]),
  locale: z.enum(['en', 'zh-CN']).default('en'),
});
export type CreateInviteInput = z.input<typeof CreateInviteInputSchema>;

export type CreateInviteError = 'org_not_found' | 'not_your_org' | 'role_not_allowed' | 'already_invited';

/**
 * Creates an invite link and the mail that carries it. Admins may invite
 * anyone, to any org or as staff, with any roles; org admins only members of
 * their own org, as members or org admins. Only the token's SHA-256 and a
 * keyed hash of the email are stored, plus a masked hint for the list.
 */
export async function createInvite(
  db: Kysely<Database>,
  keys: VaultKeys,
  inviter: Actor,
  input: CreateInviteInput,
  publicUrl: string,
): Promise<{ inviteId: string; link: string; mail: OutgoingMail }> {
  const { email, orgId, roles, locale } = CreateInviteInputSchema.parse(input);
  const isAdmin = inviter.roles.includes('admin');
  if (!isAdmin) {
    if (!inviter.roles.includes('org_admin') || !inviter.orgId || orgId !== inviter.orgId) {
      throw new DomainError<CreateInviteError>('not_your_org', 'orgId', 403);
    }
    if (roles.some((role) => role !== 'org_admin')) throw new DomainError<CreateInviteError>('role_not_allowed', 'roles', 403);
  }
  // Org admins are members of an org; staff roles belong to vendor accounts.
  if (orgId && roles.some((role) => role !== 'org_admin')) throw new DomainError<CreateInviteError>('role_not_allowed', 'roles');
  if (!orgId && roles.includes('org_admin')) throw new DomainError<CreateInviteError>('role_not_allowed', 'roles');

  const token = randomSecret();
  const id = randomId();
  const lookup = emailLookup(keys, email);
  const inviteExpiryDays = await db.transaction().execute(async (trx) => {
    if (orgId) {
      const org = await trx.selectFrom('org').select('id').where('id', '=', orgId).executeTakeFirst();
      if (!org) throw new DomainError<CreateInviteError>('org_not_found', 'orgId', 404);
    }
    const pending = await trx
      .selectFrom('invite')
      .select('id')
      .where('email_lookup', '=', lookup)
      .where('revoked_at', 'is', null)
      .where('accepted_at', 'is', null)
      .where('expires_at', '>', new Date())
      .executeTakeFirst();
    if (pending) throw new DomainError<CreateInviteError>('already_invited', 'email', 409);
    const { inviteExpiryDays: days } = await getSettings(trx);
    await trx
      .insertInto('invite')
      .values({
        id,
        token_hash: sha256Hex(token),
        org_id: orgId,
        roles,
        email_lookup: lookup,
        email_hint: emailHint(email),
        created_by: inviter.id,
        expires_at: new Date(Date.now() + days * 86_400_000),
      })
      .execute();
    await writeAudit(trx, {
      actorId: inviter.id,
      action: 'invite.create',
      subjectType: 'invite',
      subjectId: id,
      after: { orgId, roles, emailHint: emailHint(email), expiresInDays: days },
    });
    return days;
  });
  const link = `${publicUrl}/invite/${token}`;
  return { inviteId: id, link, mail: accountMail.invite(normaliseEmail(email), locale, link, inviteExpiryDays) };
}
