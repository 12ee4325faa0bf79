import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { Database } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import type { VaultKeys } from '../identity/vault.server.js';
import { mailFinanceAdmins } from '../pools/finance-mail.server.js';

export interface PaymentDiscrepancy {
  paymentId: string;
  problem: 'missing_debit' | 'missing_settle' | 'settle_without_paid_payment' | 'missing_reversal' | 'posting_without_payment';
}

/**
 * The daily check that the adapters' record of payments (the payment rows,
 * their batches and provider answers) and the ledger tell the same story:
 * every payment past "pending" has its debit, every paid one its settlement,
 * every returned one its reversal, and no ledger posting names a payment that
 * doesn't exist or isn't paid. Findings are audited and mailed to finance.
 */
export async function comparePaymentsWithLedger(db: Kysely<Database>, keys: VaultKeys, mailer: Mailer): Promise<PaymentDiscrepancy[]> {
  const posting = (kind: string) => sql<boolean>`EXISTS (SELECT 1 FROM ledger_transaction t WHERE t.idempotency_key = ${kind} || ':' || payment.id)`;
  const payments = await db
    .selectFrom('payment')
    .select([
      'id',
      'status',
      posting('debit').as('has_debit'),
      posting('settle').as('has_settle'),
      posting('reverse_debit').as('has_reversal'),
    ])
    .where('status', '<>', 'pending')
    .execute();
  const findings: PaymentDiscrepancy[] = [];
  for (const payment of payments) {
    if (!payment.has_debit) findings.push({ paymentId: payment.id, problem: 'missing_debit' });
    if (payment.status === 'paid' && !payment.has_settle) findings.push({ paymentId: payment.id, problem: 'missing_settle' });
    if ((payment.status === 'returned' || payment.status === 'failed') && !payment.has_reversal) {
      findings.push({ paymentId: payment.id, problem: 'missing_reversal' });
    }
    if (payment.has_settle && payment.status !== 'paid' && payment.status !== 'returned' && payment.status !== 'failed') {
      findings.push({ paymentId: payment.id, problem: 'settle_without_paid_payment' });
    }
  }
  const orphans = await sql<{ key: string }>`
    SELECT t.idempotency_key AS key FROM ledger_transaction t
    WHERE t.kind IN ('debit', 'settle', 'reverse_debit', 'reverse_settle')
      AND NOT EXISTS (SELECT 1 FROM payment p WHERE t.idempotency_key = t.kind || ':' || p.id)`.execute(db);
  for (const orphan of orphans.rows) findings.push({ paymentId: orphan.key.split(':')[1] ?? orphan.key, problem: 'posting_without_payment' });

  await writeAudit(db, {
    actorId: null,
    action: 'payments.compare',
    subjectType: 'ledger',
    after: { payments: payments.length, discrepancies: findings },
  });
  if (findings.length > 0) {
    const list = findings.map((finding) => `- ${finding.paymentId}: ${finding.problem}`).join('\n');
    await mailFinanceAdmins(db, keys, mailer, {
      subject: { en: 'Payments and ledger disagree', 'zh-CN': '付款记录与账本不一致' },
      text: {
        en: `The daily comparison found ${findings.length} discrepancies between payments and the ledger:\n\n${list}`,
        'zh-CN': `每日核对发现付款记录与账本之间有 ${findings.length} 处不一致：\n\n${list}`,
      },
    });
  }
  return findings;
}
