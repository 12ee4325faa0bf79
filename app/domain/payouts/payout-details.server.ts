import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { DomainError } from '../errors.js';
import { seal, unseal, type VaultKeys } from '../identity/vault.server.js';

type Executor = Kysely<Database> | Transaction<Database>;

/** Bank details as a bank file needs them: IBAN or a domestic account number, the holder, the bank. */
export const PayoutDetailsSchema = z.object({
  accountHolder: z.string().trim().min(1).max(140),
  accountNumber: z
    .string()
    .transform((value) => value.replace(/[\s-]/g, '').toUpperCase())
    .pipe(z.string().regex(/^[A-Z0-9]{6,34}$/, 'account_number_invalid')),
  bankName: z.string().trim().min(1).max(140),
  /** SWIFT/BIC, 8 or 11 characters; optional for domestic transfers. */
  bic: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9]{8}|[A-Z0-9]{11})$/, 'bic_invalid')
    .optional()
    .or(z.literal('').transform(() => undefined)),
});
export type PayoutDetails = z.output<typeof PayoutDetailsSchema>;

export interface PayoutDetailsSummary {
  last4: string;
  updatedAt: Date;
}

const memberAad = (userId: string) => `${userId}:payout`;
const orgAad = (orgId: string) => `org:${orgId}:payout`;

/**
 * A member gives (or replaces) their own payout details. They are sealed in
 * the identity vault and never shown again in full: pages read only the last
 * four characters, kept apart for that.
 */
export async function saveMemberPayoutDetails(
  db: Kysely<Database>,
  keys: VaultKeys,
  actor: Actor,
  input: z.input<typeof PayoutDetailsSchema>,
): Promise<PayoutDetailsSummary> {
  const details = PayoutDetailsSchema.parse(input);
  const last4 = details.accountNumber.slice(-4);
  return db.transaction().execute(async (trx) => {
    const sealed = seal(keys, memberAad(actor.id), JSON.stringify(details));
    const row = await trx
      .insertInto('identity_vault')
      .values({ user_id: actor.id, kind: 'payout', sealed, last4 })
      .onConflict((oc) => oc.columns(['user_id', 'kind']).doUpdateSet({ sealed, last4, updated_at: new Date() }))
      .returning(['last4', 'updated_at'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: actor.id, action: 'vault.write', subjectType: 'user', subjectId: actor.id, after: { kind: 'payout', last4 } });
    return { last4: row.last4 ?? last4, updatedAt: row.updated_at };
  });
}

/** An org admin gives the details the org is paid at, for "pay the org instead". */
export async function saveOrgPayoutDetails(
  db: Kysely<Database>,
  keys: VaultKeys,
  actor: Actor,
  input: z.input<typeof PayoutDetailsSchema>,
): Promise<PayoutDetailsSummary> {
  if (!actor.orgId || !actor.roles.includes('org_admin')) throw new DomainError('forbidden', undefined, 403);
  const orgId = actor.orgId;
  const details = PayoutDetailsSchema.parse(input);
  const last4 = details.accountNumber.slice(-4);
  return db.transaction().execute(async (trx) => {
    const sealed = seal(keys, orgAad(orgId), JSON.stringify(details));
    const row = await trx
      .insertInto('org_payout_vault')
      .values({ org_id: orgId, sealed, last4, updated_by: actor.id })
      .onConflict((oc) => oc.column('org_id').doUpdateSet({ sealed, last4, updated_by: actor.id, updated_at: new Date() }))
      .returning(['last4', 'updated_at'])
      .executeTakeFirstOrThrow();
    await writeAudit(trx, { actorId: actor.id, action: 'vault.write', subjectType: 'org', subjectId: orgId, after: { kind: 'payout', last4 } });
    return { last4: row.last4, updatedAt: row.updated_at };
  });
}

export async function getMemberPayoutSummary(db: Executor, userId: string): Promise<PayoutDetailsSummary | null> {
  const row = await db
    .selectFrom('identity_vault')
    .select(['last4', 'updated_at'])
    .where('user_id', '=', userId)
    .where('kind', '=', 'payout')
    .executeTakeFirst();
  return row?.last4 ? { last4: row.last4, updatedAt: row.updated_at } : null;
}

export async function getOrgPayoutSummary(db: Executor, orgId: string): Promise<PayoutDetailsSummary | null> {
  const row = await db.selectFrom('org_payout_vault').select(['last4', 'updated_at']).where('org_id', '=', orgId).executeTakeFirst();
  return row ? { last4: row.last4, updatedAt: row.updated_at } : null;
}

/**
 * The only way to read payout details in full: for a payment (the payout step
 * or finance exporting a batch). Every read writes an audit row.
 */
export async function readPayeeDetails(
  db: Executor,
  keys: VaultKeys,
  input: { payee: { kind: 'member'; userId: string } | { kind: 'org'; orgId: string }; readerId: string | null; paymentId: string },
): Promise<PayoutDetails | undefined> {
  const { payee } = input;
  const row =
    payee.kind === 'member'
      ? await db
          .selectFrom('identity_vault')
          .select('sealed')
          .where('user_id', '=', payee.userId)
          .where('kind', '=', 'payout')
          .executeTakeFirst()
      : await db.selectFrom('org_payout_vault').select('sealed').where('org_id', '=', payee.orgId).executeTakeFirst();
  await writeAudit(db, {
    actorId: input.readerId,
    action: 'vault.read',
    subjectType: payee.kind === 'member' ? 'user' : 'org',
    subjectId: payee.kind === 'member' ? payee.userId : payee.orgId,
    after: { kind: 'payout', purpose: 'payout', paymentId: input.paymentId, found: Boolean(row) },
  });
  if (!row) return undefined;
  const aad = payee.kind === 'member' ? memberAad(payee.userId) : orgAad(payee.orgId);
  return PayoutDetailsSchema.parse(JSON.parse(unseal(keys, aad, row.sealed)));
}
