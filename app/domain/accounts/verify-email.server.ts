import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { consumeEmailToken } from './email-tokens.server.js';

export type VerifyEmailError = 'token_invalid' | 'token_used' | 'token_expired';

/** Marks the email verified; a link works once. Returns the user id. */
export async function verifyEmail(db: Kysely<Database>, token: string): Promise<string> {
  return db.transaction().execute(async (trx) => {
    const result = await consumeEmailToken(trx, token, 'verify');
    if (typeof result === 'string') throw new DomainError<VerifyEmailError>(`token_${result}`, undefined, 410);
    await trx
      .updateTable('app_user')
      .set({ email_verified_at: new Date() })
      .where('id', '=', result.userId)
      .where('email_verified_at', 'is', null)
      .execute();
    await writeAudit(trx, { actorId: result.userId, action: 'user.verify_email', subjectType: 'user', subjectId: result.userId });
    return result.userId;
  });
}
