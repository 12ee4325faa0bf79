import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { OutgoingMail } from '../../utils/mail.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { hashPassword, passwordProblem } from '../identity/password.server.js';
import { emailLookup, normaliseEmail, type VaultKeys } from '../identity/vault.server.js';
import { consumeEmailToken, issueEmailToken } from './email-tokens.server.js';
import { accountMail } from './mails.js';

/**
 * Starts a reset. Returns the mail to send, or undefined when no account has
 * that email; the caller answers the same way in both cases.
 */
export async function requestPasswordReset(
  db: Kysely<Database>,
  keys: VaultKeys,
  input: { email: string; locale: 'en' | 'zh-CN' },
  publicUrl: string,
): Promise<OutgoingMail | undefined> {
  return db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('app_user')
      .select(['id', 'locale'])
      .where('email_lookup', '=', emailLookup(keys, input.email))
      .where('disabled_at', 'is', null)
      .executeTakeFirst();
    if (!user) return undefined;
    const token = await issueEmailToken(trx, user.id, 'reset');
    return accountMail.reset(normaliseEmail(input.email), user.locale ?? input.locale, `${publicUrl}/reset-password/${token}`);
  });
}

export type ResetPasswordError =
  | 'token_invalid'
  | 'token_used'
  | 'token_expired'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_guessable';

/** Sets the new password and ends every session of the account. */
export async function resetPassword(db: Kysely<Database>, input: { token: string; password: string }): Promise<string> {
  const problem = passwordProblem(input.password);
  if (problem) throw new DomainError<ResetPasswordError>(`password_${problem}`, 'password');
  const passwordHash = await hashPassword(input.password);
  return db.transaction().execute(async (trx) => {
    const result = await consumeEmailToken(trx, input.token, 'reset');
    if (typeof result === 'string') throw new DomainError<ResetPasswordError>(`token_${result}`, undefined, 410);
    await trx
      .updateTable('app_user')
      // Following a reset link proves the mailbox, so it also verifies it.
      .set((eb) => ({ password_hash: passwordHash, email_verified_at: eb.fn.coalesce('email_verified_at', eb.val(new Date())) }))
      .where('id', '=', result.userId)
      .execute();
    await trx.deleteFrom('user_session').where('user_id', '=', result.userId).execute();
    await writeAudit(trx, { actorId: result.userId, action: 'user.reset_password', subjectType: 'user', subjectId: result.userId });
    return result.userId;
  });
}
