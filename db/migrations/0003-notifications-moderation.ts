import { type Kysely, sql } from 'kysely';

// Frozen in time once landed: never edit a migration that has landed; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  // In-app notifications. Rows carry ids and small facts (a status, a reason),
  // never another person's identity: pages render names from pseudonyms.
  await db.schema
    .createTable('notification')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('kind', 'text', (col) =>
      col
        .notNull()
        .check(sql`kind IN ('reply', 'comment', 'status_changed', 'post_hidden', 'post_restored', 'comment_hidden', 'comment_restored', 'post_merged', 'reward_approved', 'reward_paid')`),
    )
    .addColumn('post_id', 'text', (col) => col.references('post.id').onDelete('cascade'))
    .addColumn('comment_id', 'text', (col) => col.references('comment.id').onDelete('cascade'))
    .addColumn('data', 'jsonb', (col) => col.notNull().defaultTo(sql`'{}'::jsonb`))
    // The event that caused it, so a redelivered job does not notify twice.
    .addColumn('source_key', 'text', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('read_at', 'timestamptz')
    // Null until the mail batcher has dealt with it (mailed, or not wanted by mail).
    .addColumn('mailed_at', 'timestamptz')
    .addUniqueConstraint('notification_source_unique', ['user_id', 'source_key'])
    .execute();
  await db.schema.createIndex('notification_user_idx').on('notification').columns(['user_id', 'created_at']).execute();
  await sql`CREATE INDEX notification_unread_idx ON notification (user_id) WHERE read_at IS NULL`.execute(db);
  await sql`CREATE INDEX notification_unmailed_idx ON notification (created_at) WHERE mailed_at IS NULL`.execute(db);

  // What a member wants by mail; the token makes the one-click unsubscribe
  // link work without logging in.
  await db.schema
    .createTable('mail_preference')
    .addColumn('user_id', 'text', (col) => col.primaryKey().references('app_user.id'))
    .addColumn('replies', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('status_changes', 'boolean', (col) => col.notNull().defaultTo(true))
    .addColumn('unsubscribe_token', 'text', (col) => col.notNull().unique())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // At most one mail per (member, post) per hour: when the last one went out.
  await db.schema
    .createTable('notification_mail_log')
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('last_mailed_at', 'timestamptz', (col) => col.notNull())
    .addPrimaryKeyConstraint('notification_mail_log_pk', ['user_id', 'post_id'])
    .execute();

  // One row per reporter per item: a member reporting twice counts once.
  await db.schema
    .createTable('report')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('case_id', 'text', (col) => col.notNull())
    .addColumn('reporter_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('reason', 'text', (col) => col.notNull().check(sql`reason IN ('spam', 'abuse', 'identifying', 'off_topic', 'other')`))
    .addColumn('note', 'text', (col) => col.check(sql`char_length(note) <= 500`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  // The moderation queue: repeated reports of one item collapse into one open case.
  await db.schema
    .createTable('moderation_case')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('subject_type', 'text', (col) => col.notNull().check(sql`subject_type IN ('post', 'comment')`))
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('comment_id', 'text', (col) => col.references('comment.id').onDelete('cascade'))
    .addColumn('report_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`report_count >= 0`))
    .addColumn('first_reported_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('last_reported_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('resolution', 'text', (col) => col.check(sql`resolution IN ('hidden', 'dismissed')`))
    .addColumn('resolved_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('resolved_at', 'timestamptz')
    .addColumn('resolution_note', 'text', (col) => col.check(sql`char_length(resolution_note) <= 1000`))
    .addCheckConstraint(
      'moderation_case_subject',
      sql`(subject_type = 'post' AND comment_id IS NULL) OR (subject_type = 'comment' AND comment_id IS NOT NULL)`,
    )
    .addCheckConstraint('moderation_case_resolved', sql`(resolution IS NULL) = (resolved_at IS NULL)`)
    .execute();
  await sql`CREATE UNIQUE INDEX moderation_case_open_unique
    ON moderation_case (post_id, coalesce(comment_id, '')) WHERE resolved_at IS NULL`.execute(db);
  // The queue's order: most reported first, then the oldest, keyset-paged.
  await sql`CREATE INDEX moderation_case_queue_idx
    ON moderation_case (report_count DESC, first_reported_at, id) WHERE resolved_at IS NULL`.execute(db);
  await sql`ALTER TABLE report ADD CONSTRAINT report_case_fk FOREIGN KEY (case_id) REFERENCES moderation_case (id) ON DELETE CASCADE`.execute(
    db,
  );
  await db.schema.createIndex('report_reporter_unique').on('report').columns(['case_id', 'reporter_id']).unique().execute();

  // Who hid an item is in the audit log; the reason is shown to the author.
  await db.schema.alterTable('post').addColumn('hidden_by', 'text', (col) => col.references('app_user.id')).execute();
  await db.schema.alterTable('comment').addColumn('hidden_by', 'text', (col) => col.references('app_user.id')).execute();
  // The moderators' list of hidden items, newest first, keyset-paged.
  await sql`CREATE INDEX post_hidden_idx ON post (hidden_at DESC, id DESC) WHERE hidden_at IS NOT NULL`.execute(db);
  await sql`CREATE INDEX comment_hidden_idx ON comment (hidden_at DESC, id DESC) WHERE hidden_at IS NOT NULL`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS comment_hidden_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS post_hidden_idx`.execute(db);
  await db.schema.alterTable('comment').dropColumn('hidden_by').execute();
  await db.schema.alterTable('post').dropColumn('hidden_by').execute();
  for (const table of ['report', 'moderation_case', 'notification_mail_log', 'mail_preference', 'notification']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
