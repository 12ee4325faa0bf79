import { type Kysely, sql, type Transaction } from 'kysely';
import type { Database } from '../../../db/schema.js';
import { randomId } from '../../utils/crypto.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import type { VaultKeys } from '../identity/vault.server.js';
import { type LedgerLine, postLedgerTransaction } from '../ledger/ledger.server.js';
import { createNotifications } from '../notifications/create-notifications.server.js';
import { type PayoutAdapter, remittanceFor } from './adapters.server.js';
import { readPayeeDetails } from './payout-details.server.js';

export interface PayoutDeps {
  db: Kysely<Database>;
  keys: VaultKeys;
  adapter: PayoutAdapter;
}

export type PayoutState = 'skipped' | 'awaiting_details' | 'submitted' | 'paid';

interface LivePayment {
  id: string;
  idempotency_key: string;
  status: string;
  currency: string;
  net_minor: string;
  payee_kind: 'member' | 'org';
}

/**
 * Takes one approved reward through reserve → debit → adapter → paid. Each
 * step is recorded before the next starts and each is idempotent: the payment
 * row is created once (one live payment per reward, a unique index), the
 * debit is a ledger posting keyed by the payment, and the adapter call carries
 * the payment's idempotency key. A worker killed at any point and retried
 * continues from the last recorded step and never pays twice.
 */
export async function runPayout(deps: PayoutDeps, rewardId: string): Promise<PayoutState> {
  const { db } = deps;
  const prepared = await db.transaction().execute((trx) => preparePayment(trx, deps, rewardId));
  if (prepared.state !== 'ready') return prepared.state;
  const { payment, beneficiaryId, orgId } = prepared;

  if (payment.status === 'debited') {
    const payee = deps.adapter.needsPayeeDetails
      ? await readPayeeDetails(db, deps.keys, {
          payee: payment.payee_kind === 'member' ? { kind: 'member', userId: beneficiaryId } : { kind: 'org', orgId: orgId! },
          readerId: null,
          paymentId: payment.id,
        })
      : undefined;
    const result = await deps.adapter.submit(
      {
        paymentId: payment.id,
        idempotencyKey: payment.idempotency_key,
        currency: payment.currency,
        netMinor: BigInt(payment.net_minor),
        remittance: remittanceFor(payment.id),
      },
      payee,
    );
    await db.transaction().execute(async (trx) => {
      await trx
        .updateTable('payment')
        .set({ status: 'submitted', provider_reference: result.providerReference, submitted_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
        .where('id', '=', payment.id)
        .where('status', '=', 'debited')
        .execute();
      if (result.outcome === 'paid') await settlePayment(trx, { paymentId: payment.id, actorId: null, providerReference: result.providerReference });
    });
    return result.outcome === 'paid' ? 'paid' : 'submitted';
  }
  return payment.status === 'paid' ? 'paid' : 'submitted';
}

type Prepared =
  | { state: 'skipped' | 'awaiting_details' }
  | { state: 'ready'; payment: LivePayment; beneficiaryId: string; orgId: string | null };

/** Steps 1–2 in one transaction: the payment row exists and the pool is debited. */
async function preparePayment(trx: Transaction<Database>, deps: PayoutDeps, rewardId: string): Promise<Prepared> {
  const reward = await trx
    .selectFrom('reward')
    .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
    .innerJoin('app_user', 'app_user.id', 'reward.beneficiary_id')
    .select([
      'reward.id',
      'reward.status',
      'reward.payout_mode',
      'reward.beneficiary_id',
      'reward.currency',
      'reward.gross_minor',
      'reward.withheld_minor',
      'reward.net_minor',
      'nomination.pool_id',
      'app_user.org_id',
    ])
    .where('reward.id', '=', rewardId)
    .forUpdate('reward')
    .executeTakeFirst();
  if (!reward || !reward.pool_id || !['approved', 'paying'].includes(reward.status)) return { state: 'skipped' };
  if (reward.payout_mode !== 'member' && reward.payout_mode !== 'org') return { state: 'skipped' };

  let payment = await trx
    .selectFrom('payment')
    .select(['id', 'idempotency_key', 'status', 'currency', 'net_minor', 'payee_kind'])
    .where('reward_id', '=', reward.id)
    .where('status', 'not in', ['returned', 'failed'])
    .executeTakeFirst();

  if (!payment) {
    if (!(await hasFreshPayeeDetails(trx, reward.id, reward.payout_mode, reward.beneficiary_id, reward.org_id))) {
      return { state: 'awaiting_details' };
    }
    const id = randomId();
    payment = {
      id,
      idempotency_key: `candor-pay-${id}`,
      status: 'pending',
      currency: reward.currency,
      net_minor: reward.net_minor,
      payee_kind: reward.payout_mode,
    };
    await trx
      .insertInto('payment')
      .values({
        id,
        reward_id: reward.id,
        idempotency_key: payment.idempotency_key,
        adapter: deps.adapter.name,
        pool_id: reward.pool_id,
        currency: reward.currency,
        gross_minor: reward.gross_minor,
        withheld_minor: reward.withheld_minor,
        net_minor: reward.net_minor,
        payee_kind: reward.payout_mode,
      })
      .execute();
    await trx.updateTable('reward').set({ status: 'paying', updated_at: sql<Date>`now()` }).where('id', '=', reward.id).execute();
  }

  if (payment.status === 'pending') {
    const gross = BigInt(reward.gross_minor);
    const withheld = BigInt(reward.withheld_minor);
    const lines: LedgerLine[] = [
      { account: { poolId: reward.pool_id, kind: 'pool_reserved' }, amountMinor: -gross },
      { account: { poolId: reward.pool_id, kind: 'payee_payable' }, amountMinor: gross - withheld },
    ];
    if (withheld > 0n) lines.push({ account: { poolId: reward.pool_id, kind: 'withholding_payable' }, amountMinor: withheld });
    await postLedgerTransaction(trx, {
      kind: 'debit',
      idempotencyKey: `debit:${payment.id}`,
      poolId: reward.pool_id,
      memo: `payment ${payment.id}`,
      actorId: null,
      lines,
    });
    await trx
      .updateTable('payment')
      .set({ status: 'debited', debited_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
      .where('id', '=', payment.id)
      .execute();
    payment = { ...payment, status: 'debited' };
  }
  return { state: 'ready', payment, beneficiaryId: reward.beneficiary_id, orgId: reward.org_id };
}

/**
 * Payout details exist — and, after a returned payment, were changed since it
 * came back, so the same wrong account is not paid again.
 */
async function hasFreshPayeeDetails(
  trx: Transaction<Database>,
  rewardId: string,
  mode: 'member' | 'org',
  userId: string,
  orgId: string | null,
): Promise<boolean> {
  const details =
    mode === 'member'
      ? await trx.selectFrom('identity_vault').select('updated_at').where('user_id', '=', userId).where('kind', '=', 'payout').executeTakeFirst()
      : orgId
        ? await trx.selectFrom('org_payout_vault').select('updated_at').where('org_id', '=', orgId).executeTakeFirst()
        : undefined;
  if (!details) return false;
  const lastReturn = await trx
    .selectFrom('payment')
    .select('returned_at')
    .where('reward_id', '=', rewardId)
    .where('status', 'in', ['returned', 'failed'])
    .orderBy('returned_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return !lastReturn?.returned_at || details.updated_at > lastReturn.returned_at;
}

export type SettleError = 'payment_not_found' | 'payment_not_settleable';

/** Confirms a payment as paid (provider callback, or finance reconciling a batch): money leaves the pool for good. */
export async function settlePayment(
  trx: Transaction<Database>,
  input: { paymentId: string; actorId: string | null; providerReference?: string | null },
): Promise<'paid' | 'already_paid'> {
  const payment = await trx
    .selectFrom('payment')
    .innerJoin('reward', 'reward.id', 'payment.reward_id')
    .innerJoin('nomination', 'nomination.id', 'reward.nomination_id')
    .select(['payment.id', 'payment.status', 'payment.pool_id', 'payment.currency', 'payment.net_minor', 'payment.reward_id', 'reward.beneficiary_id', 'nomination.post_id'])
    .where('payment.id', '=', input.paymentId)
    .forUpdate('payment')
    .executeTakeFirst();
  if (!payment) throw new DomainError<SettleError>('payment_not_found', undefined, 404);
  if (payment.status === 'paid') return 'already_paid';
  if (payment.status !== 'debited' && payment.status !== 'submitted') {
    throw new DomainError<SettleError>('payment_not_settleable', undefined, 409);
  }
  const net = BigInt(payment.net_minor);
  await postLedgerTransaction(trx, {
    kind: 'settle',
    idempotencyKey: `settle:${payment.id}`,
    poolId: payment.pool_id,
    memo: input.providerReference ?? null,
    actorId: input.actorId,
    lines: [
      { account: { poolId: payment.pool_id, kind: 'payee_payable' }, amountMinor: -net },
      { account: { currency: payment.currency, kind: 'paid_out' }, amountMinor: net },
    ],
  });
  await trx
    .updateTable('payment')
    .set({
      status: 'paid',
      paid_at: sql<Date>`now()`,
      provider_reference: input.providerReference ?? sql<string | null>`provider_reference`,
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .execute();
  await trx
    .updateTable('reward')
    .set({ status: 'paid', paid_at: sql<Date>`now()`, updated_at: sql<Date>`now()` })
    .where('id', '=', payment.reward_id)
    .execute();
  await createNotifications(trx, `reward-paid:${payment.id}`, [
    { userId: payment.beneficiary_id, kind: 'reward_paid', postId: payment.post_id, data: {} },
  ]);
  await writeAudit(trx, {
    actorId: input.actorId,
    action: 'payment.paid',
    subjectType: 'payment',
    subjectId: payment.id,
    after: { netMinor: payment.net_minor, currency: payment.currency, reference: input.providerReference ?? null },
  });
  return 'paid';
}

/**
 * A payment came back (wrong account, closed account) or the provider failed
 * it: its ledger entries are reversed, the gross is reserved again, and the
 * reward waits for the member to fix their details before a new payment.
 */
export async function returnPayment(
  trx: Transaction<Database>,
  input: { paymentId: string; actorId: string | null; reason: string; outcome?: 'returned' | 'failed' },
): Promise<'returned' | 'already_returned'> {
  const payment = await trx
    .selectFrom('payment')
    .select(['id', 'status', 'pool_id', 'currency', 'gross_minor', 'withheld_minor', 'net_minor', 'reward_id'])
    .where('id', '=', input.paymentId)
    .forUpdate()
    .executeTakeFirst();
  if (!payment) throw new DomainError<SettleError>('payment_not_found', undefined, 404);
  if (payment.status === 'returned' || payment.status === 'failed') return 'already_returned';
  if (payment.status === 'pending') throw new DomainError<SettleError>('payment_not_settleable', undefined, 409);
  const gross = BigInt(payment.gross_minor);
  const withheld = BigInt(payment.withheld_minor);
  const net = BigInt(payment.net_minor);
  if (payment.status === 'paid') {
    await postLedgerTransaction(trx, {
      kind: 'reverse_settle',
      idempotencyKey: `reverse_settle:${payment.id}`,
      poolId: payment.pool_id,
      memo: input.reason,
      actorId: input.actorId,
      lines: [
        { account: { currency: payment.currency, kind: 'paid_out' }, amountMinor: -net },
        { account: { poolId: payment.pool_id, kind: 'payee_payable' }, amountMinor: net },
      ],
    });
  }
  const lines: LedgerLine[] = [
    { account: { poolId: payment.pool_id, kind: 'payee_payable' }, amountMinor: -net },
    { account: { poolId: payment.pool_id, kind: 'pool_reserved' }, amountMinor: gross },
  ];
  if (withheld > 0n) lines.push({ account: { poolId: payment.pool_id, kind: 'withholding_payable' }, amountMinor: -withheld });
  await postLedgerTransaction(trx, {
    kind: 'reverse_debit',
    idempotencyKey: `reverse_debit:${payment.id}`,
    poolId: payment.pool_id,
    memo: input.reason,
    actorId: input.actorId,
    lines,
  });
  await trx
    .updateTable('payment')
    .set({
      status: input.outcome ?? 'returned',
      returned_at: sql<Date>`now()`,
      failure_reason: input.reason.slice(0, 500),
      updated_at: sql<Date>`now()`,
    })
    .where('id', '=', payment.id)
    .execute();
  await trx
    .updateTable('reward')
    .set({ status: 'approved', paid_at: null, updated_at: sql<Date>`now()` })
    .where('id', '=', payment.reward_id)
    .execute();
  await writeAudit(trx, {
    actorId: input.actorId,
    action: `payment.${input.outcome ?? 'returned'}`,
    subjectType: 'payment',
    subjectId: payment.id,
    before: { status: payment.status },
    after: { reason: input.reason },
  });
  return 'returned';
}
