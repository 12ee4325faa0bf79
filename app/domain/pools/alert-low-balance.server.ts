import type { Kysely } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import type { VaultKeys } from '../identity/vault.server.js';
import { getPoolAvailable } from '../ledger/ledger.server.js';
import { formatMoney } from '../money/money.js';
import { mailFinanceAdmins } from './finance-mail.server.js';

/** Mails finance admins that a pool runs low, with its balance now (it may have been topped up since). */
export async function alertLowBalance(db: Kysely<Database>, keys: VaultKeys, mailer: Mailer, poolId: string): Promise<number> {
  const pool = await db.selectFrom('pool').select(['name', 'currency']).where('id', '=', poolId).executeTakeFirst();
  if (!pool) return 0;
  const available = await getPoolAvailable(db, poolId);
  return mailFinanceAdmins(db, keys, mailer, {
    subject: { en: 'A reward pool is running low', 'zh-CN': '奖励资金池余额不足' },
    text: {
      en: `The pool "${pool.name}" has ${formatMoney(available, pool.currency, 'en')} available, below the low-balance threshold. Approvals it cannot cover will be refused until it is topped up.`,
      'zh-CN': `资金池“${pool.name}”的可用余额为 ${formatMoney(available, pool.currency, 'zh-CN')}，已低于预警阈值。充值前，超出余额的审批将被拒绝。`,
    },
  });
}
