import { type Kysely, sql } from 'kysely';

// Frozen in time once landed: never edit a migration that has landed; add a new one.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('tag')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('slug', 'text', (col) => col.notNull().unique().check(sql`slug ~ '^[a-z0-9-]{1,40}$'`))
    .addColumn('name_en', 'text', (col) => col.notNull().check(sql`char_length(name_en) BETWEEN 1 AND 60`))
    .addColumn('name_zh', 'text', (col) => col.notNull().check(sql`char_length(name_zh) BETWEEN 1 AND 60`))
    // A named colour from the design system's palette, never free CSS.
    .addColumn('color', 'text', (col) =>
      col.notNull().defaultTo('slate').check(sql`color IN ('slate', 'blue', 'green', 'amber', 'red', 'violet', 'teal', 'pink')`),
    )
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('archived_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('post_tag')
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('tag_id', 'text', (col) => col.notNull().references('tag.id'))
    .addPrimaryKeyConstraint('post_tag_pk', ['post_id', 'tag_id'])
    .execute();
  await db.schema.createIndex('post_tag_tag_idx').on('post_tag').columns(['tag_id', 'post_id']).execute();

  await db.schema
    .createTable('roadmap_item')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('title', 'text', (col) => col.notNull().check(sql`char_length(title) BETWEEN 1 AND 200`))
    .addColumn('description', 'text', (col) => col.notNull().defaultTo('').check(sql`char_length(description) <= 10000`))
    .addColumn('description_html', 'text', (col) => col.notNull().defaultTo(''))
    .addColumn('status', 'text', (col) => col.notNull().defaultTo('planned').check(sql`status IN ('planned', 'in_progress', 'shipped')`))
    .addColumn('position', 'integer', (col) => col.notNull().defaultTo(0))
    // Optimistic check: an edit names the version it started from.
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('shipped_at', 'timestamptz')
    .addColumn('created_by', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('roadmap_item_shipped', sql`(status = 'shipped') = (shipped_at IS NOT NULL)`)
    .execute();
  await db.schema.createIndex('roadmap_item_board_idx').on('roadmap_item').columns(['status', 'position']).execute();
  await sql`CREATE INDEX roadmap_item_changelog_idx ON roadmap_item (shipped_at DESC) WHERE shipped_at IS NOT NULL`.execute(db);

  await db.schema
    .alterTable('post')
    .addColumn('assignee_id', 'text', (col) => col.references('app_user.id'))
    // Optimistic check for triage edits: "changed meanwhile, reload".
    .addColumn('version', 'integer', (col) => col.notNull().defaultTo(1))
    .addColumn('status_changed_at', 'timestamptz')
    .addColumn('sla_flagged_at', 'timestamptz')
    .addColumn('roadmap_item_id', 'text', (col) => col.references('roadmap_item.id').onDelete('set null'))
    .execute();
  await sql`CREATE INDEX post_triage_inbox_idx ON post (created_at, id) WHERE triaged_at IS NULL AND hidden_at IS NULL`.execute(db);
  await sql`CREATE INDEX post_roadmap_item_idx ON post (roadmap_item_id) WHERE roadmap_item_id IS NOT NULL`.execute(db);
  // The insights dashboard's time to triage reads the last weeks' triaged posts.
  await sql`CREATE INDEX post_triaged_idx ON post (triaged_at) WHERE triaged_at IS NOT NULL AND hidden_at IS NULL`.execute(db);
  await db.schema.createIndex('post_assignee_idx').on('post').columns(['assignee_id']).execute();

  // The public timeline of a post: who on the vendor side changed what, when, and why.
  await db.schema
    .createTable('post_status_change')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('from_status', 'text', (col) => col.notNull())
    .addColumn('to_status', 'text', (col) => col.notNull())
    .addColumn('actor_id', 'text', (col) => col.references('app_user.id'))
    .addColumn('note', 'text', (col) => col.check(sql`char_length(note) <= 2000`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('post_status_change_post_idx').on('post_status_change').columns(['post_id', 'created_at']).execute();
  await db.schema.createIndex('post_status_change_time_idx').on('post_status_change').columns(['created_at']).execute();

  // A merge, kept in full so an undo within 24 hours restores votes and followers exactly.
  await db.schema
    .createTable('post_merge')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('source_post_id', 'text', (col) => col.notNull().references('post.id'))
    .addColumn('target_post_id', 'text', (col) => col.notNull().references('post.id'))
    .addColumn('source_status_before', 'text', (col) => col.notNull())
    // A merge triages the duplicate (it leaves the inbox); an undo puts back what was there.
    .addColumn('source_triaged_at_before', 'timestamptz')
    .addColumn('merged_by', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('merged_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('undone_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('undone_at', 'timestamptz')
    .addCheckConstraint('post_merge_not_self', sql`source_post_id <> target_post_id`)
    .execute();
  await sql`CREATE UNIQUE INDEX post_merge_active_unique ON post_merge (source_post_id) WHERE undone_at IS NULL`.execute(db);
  await db.schema.createIndex('post_merge_target_idx').on('post_merge').columns(['target_post_id']).execute();

  await db.schema
    .createTable('post_merge_vote')
    .addColumn('merge_id', 'text', (col) => col.notNull().references('post_merge.id').onDelete('cascade'))
    .addColumn('voter_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('impact_note', 'text')
    .addColumn('voted_at', 'timestamptz', (col) => col.notNull())
    // True when the voter had voted on the target too: they count once, and an undo leaves the target's vote.
    .addColumn('already_on_target', 'boolean', (col) => col.notNull())
    .addPrimaryKeyConstraint('post_merge_vote_pk', ['merge_id', 'voter_id'])
    .execute();

  await db.schema
    .createTable('post_merge_follow')
    .addColumn('merge_id', 'text', (col) => col.notNull().references('post_merge.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('followed_at', 'timestamptz', (col) => col.notNull())
    .addColumn('already_on_target', 'boolean', (col) => col.notNull())
    .addPrimaryKeyConstraint('post_merge_follow_pk', ['merge_id', 'user_id'])
    .execute();

  // Authors of merged duplicates share in the target's reward (bounty issue).
  await db.schema
    .createTable('post_coauthor')
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id').onDelete('cascade'))
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('merge_id', 'text', (col) => col.notNull().references('post_merge.id'))
    // When the co-author's own post was written: the earliest valid author gets the main reward.
    .addColumn('authored_at', 'timestamptz', (col) => col.notNull())
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('post_coauthor_pk', ['post_id', 'user_id', 'merge_id'])
    .execute();

  // At most one overdue-triage digest per triager per day.
  await db.schema
    .createTable('triage_digest')
    .addColumn('user_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('sent_on', 'date', (col) => col.notNull())
    .addColumn('post_count', 'integer', (col) => col.notNull())
    .addPrimaryKeyConstraint('triage_digest_pk', ['user_id', 'sent_on'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'triage_digest',
    'post_coauthor',
    'post_merge_follow',
    'post_merge_vote',
    'post_merge',
    'post_status_change',
  ]) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`DROP INDEX IF EXISTS post_triage_inbox_idx`.execute(db);
  await sql`DROP INDEX IF EXISTS post_triaged_idx`.execute(db);
  await db.schema
    .alterTable('post')
    .dropColumn('roadmap_item_id')
    .dropColumn('sla_flagged_at')
    .dropColumn('status_changed_at')
    .dropColumn('version')
    .dropColumn('assignee_id')
    .execute();
  for (const table of ['roadmap_item', 'post_tag', 'tag']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
}
