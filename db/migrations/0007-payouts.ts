import { type Kysely, sql } from 'kysely';

// Frozen in time once landed: never edit a migration that has landed; add a new one.
//
// Payments (docs/decisions/0014-payouts.md): one live payment per reward, an
// idempotency key on every adapter call, and batches finance exports as a
// bank file and reconciles.
export async function up(db: Kysely<any>): Promise<void> {
  // Where an org is paid when it chose "pay the org instead"; sealed like the
  // identity vault (AES-256-GCM), read only by the payout step, audited.
  await db.schema
    .createTable('org_payout_vault')
    .addColumn('org_id', 'text', (col) => col.primaryKey().references('org.id'))
    .addColumn('sealed', 'bytea', (col) => col.notNull())
    .addColumn('last4', 'text', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  // The member's own payout details live in identity_vault (kind 'payout'); the
  // last four characters are kept apart so pages never need to unseal them.
  await db.schema.alterTable('identity_vault').addColumn('last4', 'text').execute();

  await db.schema
    .createTable('payment_batch')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('open').check(sql`status IN ('open', 'exported', 'sent', 'reconciled')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('exported_at', 'timestamptz')
    .addColumn('exported_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('sent_at', 'timestamptz')
    .addColumn('sent_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('reconciled_at', 'timestamptz')
    .execute();
  // One open batch per currency collects new bank payments.
  await sql`CREATE UNIQUE INDEX payment_batch_open_unique ON payment_batch (currency) WHERE status = 'open'`.execute(db);

  await db.schema
    .createTable('payment')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('reward_id', 'text', (col) => col.notNull().references('reward.id'))
    // Sent with every adapter call: the bank file or the provider sees a payment once, however often we retry.
    .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
    .addColumn('adapter', 'text', (col) => col.notNull().check(sql`adapter IN ('bank_batch', 'webhook')`))
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('pending').check(sql`status IN ('pending', 'debited', 'submitted', 'paid', 'returned', 'failed')`),
    )
    .addColumn('pool_id', 'text', (col) => col.notNull().references('pool.id'))
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('gross_minor', 'bigint', (col) => col.notNull().check(sql`gross_minor > 0`))
    .addColumn('withheld_minor', 'bigint', (col) => col.notNull().check(sql`withheld_minor >= 0`))
    .addColumn('net_minor', 'bigint', (col) => col.notNull().check(sql`net_minor > 0`))
    .addColumn('payee_kind', 'text', (col) => col.notNull().check(sql`payee_kind IN ('member', 'org')`))
    .addColumn('batch_id', 'text', (col) => col.references('payment_batch.id'))
    .addColumn('provider_reference', 'text')
    .addColumn('failure_reason', 'text', (col) => col.check(sql`char_length(failure_reason) <= 500`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('debited_at', 'timestamptz')
    .addColumn('submitted_at', 'timestamptz')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('returned_at', 'timestamptz')
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('payment_amounts', sql`net_minor + withheld_minor = gross_minor`)
    .execute();
  // At most one live payment per reward; a returned or failed one may be followed by a new one.
  await sql`CREATE UNIQUE INDEX payment_reward_live_unique ON payment (reward_id) WHERE status NOT IN ('returned', 'failed')`.execute(db);
  await sql`CREATE INDEX payment_unfinished_idx ON payment (updated_at) WHERE status IN ('pending', 'debited')`.execute(db);
  await db.schema.createIndex('payment_batch_idx').on('payment').columns(['batch_id']).execute();

  // The database, not the queue, is the truth: an event counts as handled only
  // when its handler finished, so the reconciler can re-enqueue what a queue
  // that lost its data never ran.
  await db.schema.alterTable('outbox').addColumn('processed_at', 'timestamptz').execute();
  await sql`CREATE INDEX outbox_unprocessed_idx ON outbox (enqueued_at) WHERE processed_at IS NULL AND enqueued_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('outbox').dropColumn('processed_at').execute();
  for (const table of ['payment', 'payment_batch', 'org_payout_vault']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await db.schema.alterTable('identity_vault').dropColumn('last4').execute();
}
