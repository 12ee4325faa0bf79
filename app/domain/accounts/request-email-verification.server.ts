import type { AppServices } from '../../utils/services.server.js';
import { emailLookup, normaliseEmail } from '../identity/vault.server.js';
import { issueEmailToken } from './email-tokens.server.js';
import { accountMail } from './mails.js';

/** Sends a fresh confirmation link to an account that is not yet verified. */
export async function requestEmailVerification(
  services: Pick<AppServices, 'db' | 'vaultKeys' | 'mailer' | 'env'>,
  input: { email: string; locale: 'en' | 'zh-CN' },
): Promise<void> {
  const { db, vaultKeys, mailer, env } = services;
  const mail = await db.transaction().execute(async (trx) => {
    const user = await trx
      .selectFrom('app_user')
      .select(['id', 'locale'])
      .where('email_lookup', '=', emailLookup(vaultKeys, input.email))
      .where('email_verified_at', 'is', null)
      .executeTakeFirst();
    if (!user) return undefined;
    const token = await issueEmailToken(trx, user.id, 'verify');
    return accountMail.verify(normaliseEmail(input.email), user.locale ?? input.locale, `${env.PUBLIC_URL}/verify-email/${token}`);
  });
  if (mail) await mailer.send(mail);
}
