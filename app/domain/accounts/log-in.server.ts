import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { DomainError } from '../errors.js';
import { verifyAgainstDecoy, verifyPassword } from '../identity/password.server.js';
import { emailLookup, type VaultKeys } from '../identity/vault.server.js';

export type LogInError = 'wrong_credentials' | 'not_verified';

/**
 * Checks email and password. An unknown email and a wrong password give the
 * same error after the same argon2 work, so neither answer nor timing tells
 * whether an account exists.
 */
export async function logIn(
  db: Kysely<Database>,
  keys: VaultKeys,
  input: { email: string; password: string },
): Promise<{ userId: string }> {
  const user = await db
    .selectFrom('app_user')
    .select(['id', 'password_hash', 'email_verified_at', 'disabled_at'])
    .where('email_lookup', '=', emailLookup(keys, input.email))
    .executeTakeFirst();
  const passwordOk = user
    ? await verifyPassword(user.password_hash, input.password)
    : await verifyAgainstDecoy(input.password);
  if (!user || !passwordOk || user.disabled_at) throw new DomainError<LogInError>('wrong_credentials');
  // Only someone who knows the password learns that the account is unverified.
  if (!user.email_verified_at) throw new DomainError<LogInError>('not_verified');
  return { userId: user.id };
}
