import { type Kysely, sql } from 'kysely';

// Frozen in time once landed: never edit a migration that has landed; add a new one.
//
// The money promise at the database level (docs/decisions/0012-ledger.md):
// amounts are bigint minor units; every ledger transaction's entries sum to
// zero per currency (checked at commit); entries and transactions are
// append-only; an account that must not go negative carries a balance kept by
// trigger under a CHECK, so concurrent writers are serialised by its row lock
// and the loser fails instead of overdrawing.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('pool')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull().check(sql`char_length(name) BETWEEN 1 AND 120`))
    .addColumn('currency', 'text', (col) => col.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    .addColumn('budget_minor', 'bigint', (col) => col.notNull().check(sql`budget_minor > 0`))
    .addColumn('period_start', 'date', (col) => col.notNull())
    .addColumn('period_end', 'date', (col) => col.notNull())
    .addColumn('closed_at', 'timestamptz')
    .addColumn('created_by', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('pool_period', sql`period_end >= period_start`)
    .execute();

  await db.schema
    .createTable('ledger_account')
    .addColumn('id', 'text', (col) => col.primaryKey())
    // Pool accounts belong to a pool; 'funding' and 'paid_out' are one per currency.
    .addColumn('pool_id', 'text', (col) => col.references('pool.id'))
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`kind IN ('funding', 'pool_available', 'pool_reserved', 'payee_payable', 'withholding_payable', 'paid_out')`,
        ),
    )
    .addColumn('currency', 'text', (col) => col.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    // Kept by the entry trigger, never written directly; equal to the sum of the account's entries.
    .addColumn('balance_minor', 'bigint', (col) => col.notNull().defaultTo(0))
    .addColumn('may_go_negative', 'boolean', (col) => col.notNull().defaultTo(false))
    .addCheckConstraint('ledger_account_not_overdrawn', sql`may_go_negative OR balance_minor >= 0`)
    .addCheckConstraint('ledger_account_owner', sql`(pool_id IS NULL) = (kind IN ('funding', 'paid_out'))`)
    .addUniqueConstraint('ledger_account_currency_unique', ['id', 'currency'])
    .execute();
  await sql`CREATE UNIQUE INDEX ledger_account_pool_kind_unique ON ledger_account (pool_id, kind) WHERE pool_id IS NOT NULL`.execute(db);
  await sql`CREATE UNIQUE INDEX ledger_account_global_kind_unique ON ledger_account (kind, currency) WHERE pool_id IS NULL`.execute(db);

  await db.schema
    .createTable('ledger_transaction')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('kind', 'text', (col) =>
      col.notNull().check(sql`kind IN ('top_up', 'reserve', 'release', 'debit', 'settle', 'reverse_debit', 'reverse_settle', 'close')`),
    )
    // Names the step it records (e.g. "debit:<payment id>"): a retried step finds its own row instead of writing twice.
    .addColumn('idempotency_key', 'text', (col) => col.notNull().unique())
    .addColumn('pool_id', 'text', (col) => col.references('pool.id'))
    .addColumn('memo', 'text', (col) => col.check(sql`char_length(memo) <= 500`))
    .addColumn('created_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('ledger_transaction_pool_idx').on('ledger_transaction').columns(['pool_id', 'created_at']).execute();
  // Finance reports and the ledger page read transactions by period, newest first, a page at a time.
  await db.schema.createIndex('ledger_transaction_created_idx').on('ledger_transaction').columns(['created_at', 'id']).execute();

  await db.schema
    .createTable('ledger_entry')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('transaction_id', 'text', (col) => col.notNull().references('ledger_transaction.id'))
    .addColumn('account_id', 'text', (col) => col.notNull())
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('amount_minor', 'bigint', (col) => col.notNull().check(sql`amount_minor <> 0`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // An entry's currency is its account's: no silent mixing of currencies.
    .addForeignKeyConstraint('ledger_entry_account_currency_fk', ['account_id', 'currency'], 'ledger_account', ['id', 'currency'])
    .execute();
  await db.schema.createIndex('ledger_entry_transaction_idx').on('ledger_entry').column('transaction_id').execute();
  await db.schema.createIndex('ledger_entry_account_idx').on('ledger_entry').columns(['account_id', 'id']).execute();

  // Append-only: refuse_change() comes from 0001.
  for (const table of ['ledger_entry', 'ledger_transaction']) {
    await sql`CREATE TRIGGER ${sql.raw(`${table}_append_only`)} BEFORE UPDATE OR DELETE ON ${sql.raw(table)}
      FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);
    await sql`CREATE TRIGGER ${sql.raw(`${table}_no_truncate`)} BEFORE TRUNCATE ON ${sql.raw(table)}
      FOR EACH STATEMENT EXECUTE FUNCTION refuse_change()`.execute(db);
  }

  // The balance an account carries moves with each entry, in the entry's
  // transaction; the account row's lock serialises concurrent writers.
  await sql`
    CREATE FUNCTION ledger_apply_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      UPDATE ledger_account SET balance_minor = balance_minor + NEW.amount_minor WHERE id = NEW.account_id;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER ledger_entry_apply AFTER INSERT ON ledger_entry
    FOR EACH ROW EXECUTE FUNCTION ledger_apply_entry()`.execute(db);

  // Checked at commit, once all of a transaction's entries are in.
  await sql`
    CREATE FUNCTION ledger_check_balanced() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      unbalanced record;
    BEGIN
      SELECT currency, sum(amount_minor) AS total INTO unbalanced
        FROM ledger_entry WHERE transaction_id = NEW.transaction_id
        GROUP BY currency HAVING sum(amount_minor) <> 0 LIMIT 1;
      IF FOUND THEN
        RAISE EXCEPTION 'ledger transaction % does not balance in %: off by %', NEW.transaction_id, unbalanced.currency, unbalanced.total
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NULL;
    END $$`.execute(db);
  await sql`CREATE CONSTRAINT TRIGGER ledger_entry_balanced AFTER INSERT ON ledger_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION ledger_check_balanced()`.execute(db);

  // balance_minor is the trigger's alone: a direct write would let it drift from the entries.
  await sql`
    CREATE FUNCTION ledger_account_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'ledger accounts are never deleted' USING ERRCODE = 'insufficient_privilege';
      END IF;
      IF NEW.id <> OLD.id OR NEW.kind <> OLD.kind OR NEW.currency <> OLD.currency
         OR NEW.pool_id IS DISTINCT FROM OLD.pool_id OR NEW.may_go_negative <> OLD.may_go_negative
         OR (NEW.balance_minor <> OLD.balance_minor AND pg_trigger_depth() < 2) THEN
        RAISE EXCEPTION 'ledger accounts change only through entries' USING ERRCODE = 'insufficient_privilege';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER ledger_account_guarded BEFORE UPDATE OR DELETE ON ledger_account
    FOR EACH ROW EXECUTE FUNCTION ledger_account_guard()`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['ledger_entry', 'ledger_transaction', 'ledger_account', 'pool']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  for (const fn of ['ledger_apply_entry', 'ledger_check_balanced', 'ledger_account_guard']) {
    await sql`DROP FUNCTION IF EXISTS ${sql.raw(fn)}()`.execute(db);
  }
}
