import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import { readIdentityProfile, type VaultKeys } from '../identity/vault.server.js';

/** Tells every active finance admin something they answer for; each address read is audited. */
export async function mailFinanceAdmins(
  db: Kysely<Database>,
  keys: VaultKeys,
  mailer: Mailer,
  mail: { subject: { en: string; 'zh-CN': string }; text: { en: string; 'zh-CN': string } },
): Promise<number> {
  const admins = await db
    .selectFrom('app_user')
    .innerJoin('user_role', 'user_role.user_id', 'app_user.id')
    .select(['app_user.id', 'app_user.locale'])
    .where('user_role.role', '=', 'finance_admin')
    .where('app_user.disabled_at', 'is', null)
    .execute();
  let sent = 0;
  for (const admin of admins) {
    const identity = await readIdentityProfile(db, keys, { userId: admin.id, readerId: null, purpose: 'send-mail' });
    if (!identity) continue;
    const locale = admin.locale ?? 'en';
    await mailer.send({ to: identity.email, subject: mail.subject[locale], text: mail.text[locale] });
    sent += 1;
  }
  return sent;
}
