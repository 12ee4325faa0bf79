import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { hashPassword, PASSWORD_MAX, passwordProblem, verifyPassword } from '../identity/password.server.js';

export const ChangePasswordInputSchema = z.object({
  userId: z.string().min(1).max(64),
  /** The session the change is made from; it stays signed in. */
  keepSessionId: z.string().min(1).max(64),
  currentPassword: z.string().max(PASSWORD_MAX),
  newPassword: z.string(),
});
export type ChangePasswordInput = z.infer<typeof ChangePasswordInputSchema>;

export type ChangePasswordError =
  | 'wrong_password'
  | 'password_unchanged'
  | 'password_too_short'
  | 'password_too_long'
  | 'password_common'
  | 'password_guessable';

/**
 * Replaces the password of a signed-in person who proves they know the current
 * one, and ends every other session: whoever else may have had the old
 * password or a stolen session is logged out.
 */
export async function changePassword(db: Kysely<Database>, input: ChangePasswordInput): Promise<{ endedSessions: number }> {
  const { userId, keepSessionId, currentPassword, newPassword } = ChangePasswordInputSchema.parse(input);
  const user = await db
    .selectFrom('app_user')
    .select(['password_hash', 'pseudonym', 'pseudonym_zh'])
    .where('id', '=', userId)
    .where('disabled_at', 'is', null)
    .executeTakeFirst();
  if (!user || !(await verifyPassword(user.password_hash, currentPassword))) {
    throw new DomainError<ChangePasswordError>('wrong_password', 'currentPassword');
  }
  if (newPassword === currentPassword) throw new DomainError<ChangePasswordError>('password_unchanged', 'newPassword');
  const problem = passwordProblem(newPassword, [...user.pseudonym.split(' '), user.pseudonym_zh]);
  if (problem) throw new DomainError<ChangePasswordError>(`password_${problem}`, 'newPassword');
  const passwordHash = await hashPassword(newPassword);

  return db.transaction().execute(async (trx) => {
    // Only if the hash is still the one we verified against: two changes at
    // once must not both win, nor one undo a concurrent reset.
    const updated = await trx
      .updateTable('app_user')
      .set({ password_hash: passwordHash })
      .where('id', '=', userId)
      .where('password_hash', '=', user.password_hash)
      .executeTakeFirst();
    if (updated.numUpdatedRows === 0n) throw new DomainError<ChangePasswordError>('wrong_password', 'currentPassword');
    const ended = await trx
      .deleteFrom('user_session')
      .where('user_id', '=', userId)
      .where('id', '!=', keepSessionId)
      .executeTakeFirst();
    const endedSessions = Number(ended.numDeletedRows);
    await writeAudit(trx, {
      actorId: userId,
      action: 'user.change_password',
      subjectType: 'user',
      subjectId: userId,
      after: { otherSessionsEnded: endedSessions },
    });
    return { endedSessions };
  });
}
