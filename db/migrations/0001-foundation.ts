import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has landed; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`CREATE EXTENSION IF NOT EXISTS pg_trgm`.execute(db).catch(() => undefined);

  await db.schema
    .createTable('org')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('name', 'text', (col) => col.notNull().unique())
    .addColumn('value_tier', 'text', (col) =>
      col.notNull().check(sql`value_tier IN ('strategic', 'major', 'standard')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('org_domain')
    .addColumn('domain', 'text', (col) =>
      col.primaryKey().check(sql`domain = lower(domain) AND domain ~ '^[a-z0-9.-]+\\.[a-z]{2,}$'`),
    )
    .addColumn('org_id', 'text', (col) => col.notNull().references('org.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('org_domain_org_idx').on('org_domain').column('org_id').execute();

  // The account. Deliberately holds no name and no email: those live encrypted
  // in identity_vault, reachable by email only through a keyed hash.
  await db.schema
    .createTable('app_user')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('email_lookup', 'text', (col) => col.notNull().unique())
    .addColumn('password_hash', 'text', (col) => col.notNull())
    .addColumn('pseudonym', 'text', (col) => col.notNull().unique())
    .addColumn('pseudonym_zh', 'text', (col) => col.notNull().unique())
    .addColumn('org_id', 'text', (col) => col.references('org.id'))
    .addColumn('staff_display_name', 'text')
    .addColumn('locale', 'text', (col) => col.check(sql`locale IN ('en', 'zh-CN')`))
    .addColumn('email_verified_at', 'timestamptz')
    .addColumn('disabled_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('app_user_org_idx').on('app_user').column('org_id').execute();

  await db.schema
    .createTable('user_role')
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('role', 'text', (col) =>
      col
        .notNull()
        .check(
          sql`role IN ('org_admin', 'triager', 'product_admin', 'finance_approver', 'finance_admin', 'admin', 'auditor')`,
        ),
    )
    .addColumn('granted_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('granted_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('user_role_pk', ['user_id', 'role'])
    .execute();

  // AES-256-GCM ciphertexts: nonce (12 bytes) || tag (16 bytes) || ciphertext.
  await db.schema
    .createTable('identity_vault')
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('kind', 'text', (col) => col.notNull().check(sql`kind IN ('profile', 'payout')`))
    .addColumn('sealed', 'bytea', (col) => col.notNull())
    .addColumn('key_version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('identity_vault_pk', ['user_id', 'kind'])
    .execute();

  await db.schema
    .createTable('user_session')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('secret_hash', 'bytea', (col) => col.notNull())
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_seen_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('user_session_user_idx').on('user_session').column('user_id').execute();

  await db.schema
    .createTable('invite')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('org_id', 'text', (col) => col.references('org.id').onDelete('cascade'))
    .addColumn('roles', sql`text[]`, (col) => col.notNull().defaultTo(sql`'{}'`))
    .addColumn('email_lookup', 'text', (col) => col.notNull())
    .addColumn('email_hint', 'text', (col) => col.notNull())
    .addColumn('created_by', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('revoked_at', 'timestamptz')
    .addColumn('accepted_at', 'timestamptz')
    .execute();
  // Keyset pages of invites: one org's, and (for admins) everyone's.
  await db.schema.createIndex('invite_org_page_idx').on('invite').columns(['org_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('invite_page_idx').on('invite').columns(['created_at', 'id']).execute();
  await db.schema.createIndex('invite_email_idx').on('invite').column('email_lookup').execute();

  await db.schema
    .createTable('email_token')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('token_hash', 'text', (col) => col.notNull().unique())
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (col) => col.notNull().check(sql`purpose IN ('verify', 'reset')`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('expires_at', 'timestamptz', (col) => col.notNull())
    .addColumn('used_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('setting')
    .addColumn('key', 'text', (col) => col.primaryKey())
    .addColumn('value', 'jsonb', (col) => col.notNull())
    .addColumn('updated_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('audit_log')
    .addColumn('id', 'bigserial', (col) => col.primaryKey())
    .addColumn('actor_id', 'text', (col) => col.references('app_user.id'))
    .addColumn('action', 'text', (col) => col.notNull())
    .addColumn('subject_type', 'text', (col) => col.notNull())
    .addColumn('subject_id', 'text')
    .addColumn('before', 'jsonb')
    .addColumn('after', 'jsonb')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('audit_log_created_idx').on('audit_log').column('created_at').execute();
  await sql`
    CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
    END $$`.execute(db);
  await sql`
    CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);

  // Transactional outbox: written in the same transaction as the change it
  // announces; the relay enqueues each row once (job id = outbox-<id>).
  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('topic', 'text', (col) => col.notNull())
    .addColumn('payload', 'jsonb', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    // A relay claims a row for a short lease, enqueues it outside any
    // transaction, then sets enqueued_at; an expired lease is claimed again.
    .addColumn('claimed_until', 'timestamptz')
    .addColumn('enqueued_at', 'timestamptz')
    .execute();
  await sql`CREATE INDEX outbox_pending_idx ON outbox (created_at) WHERE enqueued_at IS NULL`.execute(db);

  // Mail kept in the database when no SMTP_URL is set (embedded/dev only).
  await db.schema
    .createTable('dev_mail')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('to_address', 'text', (col) => col.notNull())
    .addColumn('subject', 'text', (col) => col.notNull())
    .addColumn('text_body', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // Short-lived fixed-window counters (no personal data: buckets are keyed
  // hashes of the email or the client address). See decision 0006.
  await db.schema
    .createTable('rate_limit_window')
    .addColumn('bucket', 'text', (col) => col.primaryKey())
    .addColumn('hits', 'integer', (col) => col.notNull())
    .addColumn('window_ends_at', 'timestamptz', (col) => col.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'rate_limit_window',
    'dev_mail',
    'outbox',
    'audit_log',
    'setting',
    'email_token',
    'invite',
    'user_session',
    'identity_vault',
    'user_role',
    'app_user',
    'org_domain',
    'org',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`DROP FUNCTION IF EXISTS refuse_change()`.execute(db);
}
