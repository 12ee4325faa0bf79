import { type Kysely, sql } from 'kysely';

// Frozen in time: never edit a migration that has landed; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('product_area')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('slug', 'text', (col) => col.notNull().unique().check(sql`slug ~ '^[a-z0-9-]{1,40}$'`))
    .addColumn('name_en', 'text', (col) => col.notNull())
    .addColumn('name_zh', 'text', (col) => col.notNull())
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    .addColumn('archived_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('post')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('author_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('type', 'text', (col) => col.notNull().check(sql`type IN ('complaint', 'request')`))
    .addColumn('product_area_id', 'text', (col) => col.notNull().references('product_area.id'))
    .addColumn('title', 'text', (col) => col.notNull().check(sql`char_length(title) BETWEEN 1 AND 200`))
    .addColumn('body', 'text', (col) => col.notNull().check(sql`char_length(body) BETWEEN 1 AND 20000`))
    // Rendered and sanitised once, when written (docs/decisions/0010-markdown.md).
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('impact_hours_per_week', 'integer', (col) => col.check(sql`impact_hours_per_week BETWEEN 0 AND 10000`))
    .addColumn('impact_sites', 'integer', (col) => col.check(sql`impact_sites BETWEEN 0 AND 10000000`))
    .addColumn('impact_note', 'text', (col) => col.check(sql`char_length(impact_note) <= 500`))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('open')
        .check(sql`status IN ('open', 'under_review', 'planned', 'in_progress', 'shipped', 'declined', 'merged')`),
    )
    .addColumn('merged_into_id', 'text', (col) => col.references('post.id'))
    .addColumn('triaged_at', 'timestamptz')
    .addColumn('hidden_at', 'timestamptz')
    .addColumn('hidden_reason', 'text')
    // The same form sent twice carries the same key: the second is not a new post.
    .addColumn('submission_key', 'text', (col) => col.notNull())
    // Counters kept up to date in the vote's transaction, never recounted by pages.
    .addColumn('vote_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`vote_count >= 0`))
    .addColumn('weighted_score', 'integer', (col) => col.notNull().defaultTo(0).check(sql`weighted_score >= 0`))
    .addColumn('org_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`org_count >= 0`))
    .addColumn('comment_count', 'integer', (col) => col.notNull().defaultTo(0).check(sql`comment_count >= 0`))
    // log10(votes) + age bonus: a "hot" rank that needs no periodic decay job.
    .addColumn('hot_rank', 'double precision', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('post_submission_unique', ['author_id', 'submission_key'])
    .execute();
  // One index per feed order, each ending in id so keyset pages are stable.
  for (const [name, column] of [
    ['post_feed_new_idx', 'created_at'],
    ['post_feed_hot_idx', 'hot_rank'],
    ['post_feed_top_idx', 'weighted_score'],
    ['post_feed_orgs_idx', 'org_count'],
  ] as const) {
    await sql`CREATE INDEX ${sql.raw(name)} ON post (${sql.raw(column)} DESC, id DESC) WHERE hidden_at IS NULL`.execute(db);
  }
  await db.schema.createIndex('post_author_idx').on('post').columns(['author_id', 'created_at']).execute();
  await db.schema.createIndex('post_area_idx').on('post').columns(['product_area_id', 'created_at']).execute();
  // Trigram indexes: similarity and search that work for Chinese (no word spaces) as well as English.
  await sql`CREATE INDEX post_title_trgm_idx ON post USING gin (title gin_trgm_ops)`.execute(db);
  await sql`CREATE INDEX post_body_trgm_idx ON post USING gin (body gin_trgm_ops)`.execute(db);

  await db.schema
    .createTable('post_revision')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('title', 'text', (col) => col.notNull())
    .addColumn('body', 'text', (col) => col.notNull())
    .addColumn('impact_hours_per_week', 'integer')
    .addColumn('impact_sites', 'integer')
    .addColumn('impact_note', 'text')
    .addColumn('replaced_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('post_revision_post_idx').on('post_revision').columns(['post_id', 'replaced_at']).execute();

  // Who voted is never shown; the row exists so one member counts once.
  await db.schema
    .createTable('vote')
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('voter_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('impact_note', 'text', (col) => col.check(sql`char_length(impact_note) <= 500`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('vote_pk', ['post_id', 'voter_id'])
    .execute();
  await db.schema.createIndex('vote_voter_idx').on('vote').column('voter_id').execute();

  await db.schema
    .createTable('comment')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('author_id', 'text', (col) => col.notNull().references('app_user.id'))
    // One level of replies: a reply's parent is a top-level comment.
    .addColumn('parent_id', 'text', (col) => col.references('comment.id'))
    .addColumn('body', 'text', (col) => col.notNull().check(sql`char_length(body) BETWEEN 1 AND 5000`))
    .addColumn('body_html', 'text', (col) => col.notNull())
    .addColumn('is_official', 'boolean', (col) => col.notNull().defaultTo(false))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('edited_at', 'timestamptz')
    .addColumn('deleted_at', 'timestamptz')
    .addColumn('hidden_at', 'timestamptz')
    .addColumn('hidden_reason', 'text')
    .execute();
  await db.schema.createIndex('comment_post_idx').on('comment').columns(['post_id', 'created_at']).execute();

  await db.schema
    .createTable('follow')
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('follow_pk', ['post_id', 'user_id'])
    .execute();
  await db.schema.createIndex('follow_user_idx').on('follow').column('user_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['follow', 'comment', 'vote', 'post_revision', 'post', 'product_area']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
