import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { randomId, sha256Hex } from '../../utils/crypto.server.js';
import type { OutgoingMail } from '../../utils/mail.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { hashPassword, passwordProblem } from '../identity/password.server.js';
import { generatePseudonym } from '../identity/pseudonym.js';
import { emailLookup, normaliseEmail, storeIdentityProfile, type VaultKeys } from '../identity/vault.server.js';
import { issueEmailToken } from './email-tokens.server.js';
import { accountMail } from './mails.js';

export const SignUpInputSchema = z.object({
  name: z.string().trim().min(1).max(100),
  email: z.email().max(254),
  password: z.string().max(128),
  locale: z.enum(['en', 'zh-CN']),
  inviteToken: z.string().max(64).optional(),
});
export type SignUpInput = z.infer<typeof SignUpInputSchema>;

export type SignUpError =
  | 'unknown_domain'
  | 'invite_invalid'
  | 'invite_expired'
  | 'invite_revoked'
  | 'invite_used'
  | 'invite_email_mismatch'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_guessable';

/**
 * Signs a person up, by invite or by a registered work-email domain, and
 * returns the one mail to send. When the email already has an account the
 * answer is the same ("check your inbox") and the mail says so instead, so the
 * form never reveals whether an account exists.
 */
export async function signUp(
  db: Kysely<Database>,
  keys: VaultKeys,
  input: SignUpInput,
  publicUrl: string,
): Promise<OutgoingMail> {
  const { name, email, password, locale, inviteToken } = SignUpInputSchema.parse(input);
  const problem = passwordProblem(password, [name, ...name.split(/\s+/), email, ...email.split(/[@._-]/)]);
  if (problem) throw new DomainError<SignUpError>(`password_${problem}`, 'password');
  const lookup = emailLookup(keys, email);
  const passwordHash = await hashPassword(password);

  return db.transaction().execute(async (trx) => {
    const invite = inviteToken ? await takeInvite(trx, inviteToken, lookup) : undefined;
    const orgId = invite ? invite.org_id : await orgForEmailDomain(trx, email);
    if (!invite && !orgId) throw new DomainError<SignUpError>('unknown_domain', 'email');

    const existing = await trx.selectFrom('app_user').select('id').where('email_lookup', '=', lookup).executeTakeFirst();
    if (existing) return accountMail.alreadyRegistered(normaliseEmail(email), locale, publicUrl);

    const userId = await insertUserWithPseudonym(trx, { lookup, passwordHash, orgId, locale });
    await storeIdentityProfile(trx, keys, userId, { name, email: normaliseEmail(email) });
    const roles = invite?.roles ?? [];
    if (roles.length > 0) {
      await trx
        .insertInto('user_role')
        .values(roles.map((role) => ({ user_id: userId, role, granted_by: invite!.created_by })))
        .execute();
    }
    if (invite) {
      await trx.updateTable('invite').set({ accepted_at: new Date() }).where('id', '=', invite.id).execute();
    }
    await writeAudit(trx, {
      actorId: userId,
      action: invite ? 'user.signup.invite' : 'user.signup.domain',
      subjectType: 'user',
      subjectId: userId,
      after: { orgId, roles, inviteId: invite?.id ?? null },
    });
    const token = await issueEmailToken(trx, userId, 'verify');
    return accountMail.verify(normaliseEmail(email), locale, `${publicUrl}/verify-email/${token}`);
  });
}

async function takeInvite(trx: Transaction<Database>, token: string, lookup: string) {
  const invite = await trx
    .selectFrom('invite')
    .select(['id', 'org_id', 'roles', 'email_lookup', 'created_by', 'expires_at', 'revoked_at', 'accepted_at'])
    .where('token_hash', '=', sha256Hex(token))
    .forUpdate()
    .executeTakeFirst();
  if (!invite) throw new DomainError<SignUpError>('invite_invalid');
  if (invite.revoked_at) throw new DomainError<SignUpError>('invite_revoked');
  if (invite.accepted_at) throw new DomainError<SignUpError>('invite_used');
  if (invite.expires_at.getTime() < Date.now()) throw new DomainError<SignUpError>('invite_expired');
  if (invite.email_lookup !== lookup) throw new DomainError<SignUpError>('invite_email_mismatch', 'email');
  return invite;
}

async function orgForEmailDomain(trx: Transaction<Database>, email: string): Promise<string | null> {
  const domain = normaliseEmail(email).split('@')[1] ?? '';
  const row = await trx.selectFrom('org_domain').select('org_id').where('domain', '=', domain).executeTakeFirst();
  return row?.org_id ?? null;
}

/** Inserts the account with a fresh pseudonym, retrying on the rare collision. */
export async function insertUserWithPseudonym(
  trx: Transaction<Database>,
  values: { lookup: string; passwordHash: string; orgId: string | null; locale: 'en' | 'zh-CN'; verified?: boolean },
): Promise<string> {
  for (let attempt = 0; attempt < 8; attempt++) {
    const pseudonym = generatePseudonym(attempt);
    const taken = await trx
      .selectFrom('app_user')
      .select('id')
      .where((eb) => eb.or([eb('pseudonym', '=', pseudonym.en), eb('pseudonym_zh', '=', pseudonym.zh)]))
      .executeTakeFirst();
    if (taken) continue;
    const id = randomId();
    await trx
      .insertInto('app_user')
      .values({
        id,
        email_lookup: values.lookup,
        password_hash: values.passwordHash,
        pseudonym: pseudonym.en,
        pseudonym_zh: pseudonym.zh,
        org_id: values.orgId,
        locale: values.locale,
        email_verified_at: values.verified ? new Date() : null,
      })
      .execute();
    return id;
  }
  throw new Error('Could not find a free pseudonym after 8 attempts');
}

