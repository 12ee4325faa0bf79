import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import { readIdentityProfile, type VaultKeys } from '../identity/vault.server.js';

const TEXT = {
  en: {
    subject: 'Your account was changed',
    body: (roles: string) =>
      `The roles on your account are now: ${roles}.\n\nYou have been logged out everywhere; log in again to continue. If you did not expect this, tell your administrator.`,
    none: 'member only',
  },
  'zh-CN': {
    subject: '您的账户已变更',
    body: (roles: string) => `您账户的角色现为：${roles}。\n\n您已在所有设备上退出登录，请重新登录。如非预期，请联系管理员。`,
    none: '仅成员',
  },
} as const;

/**
 * Tells a person that their roles changed (a privilege change they should
 * know about). Runs in the worker; reading the address is an audited vault read.
 */
export async function notifyRolesChanged(
  db: Kysely<Database>,
  keys: VaultKeys,
  mailer: Mailer,
  userId: string,
): Promise<void> {
  const user = await db
    .selectFrom('app_user')
    .select(['locale', (eb) => eb.selectFrom('user_role').select((i) => i.fn.agg<string[]>('array_agg', ['role']).as('r')).whereRef('user_role.user_id', '=', 'app_user.id').as('roles')])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!user) return;
  const identity = await readIdentityProfile(db, keys, { userId, readerId: null, purpose: 'send-mail' });
  if (!identity) return;
  const text = TEXT[user.locale ?? 'en'];
  const roles = user.roles?.length ? user.roles.join(', ') : text.none;
  await mailer.send({ to: identity.email, subject: text.subject, text: text.body(roles) });
}
