import { type Kysely, sql } from 'kysely';

// Frozen in time once landed: never edit a migration that has landed; add a new one.
//
// Nominations and rewards (docs/decisions/0013-rewards.md). The rules that
// protect money are constraints here as well as checks in the code: one
// nomination per (post, trigger), one share per beneficiary, one decision per
// approver, and an approver who is neither the proposer, an adjuster nor a
// beneficiary.
export async function up(db: Kysely<any>): Promise<void> {
  // Each customer org decides how its people may be rewarded (anti-bribery,
  // conflict of interest): recorded with who consented and when.
  await db.schema
    .alterTable('org')
    .addColumn('reward_mode', 'text', (col) =>
      col.notNull().defaultTo('recognition').check(sql`reward_mode IN ('member', 'org', 'recognition')`),
    )
    .addColumn('reward_mode_set_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('reward_mode_set_at', 'timestamptz')
    .execute();

  // Versioned policy: a nomination names the version it was computed under.
  await db.schema
    .createTable('reward_policy')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('version', 'integer', (col) => col.notNull().unique().check(sql`version > 0`))
    .addColumn('rules', 'jsonb', (col) => col.notNull())
    .addColumn('note', 'text', (col) => col.check(sql`char_length(note) <= 500`))
    .addColumn('created_by', 'text', (col) => col.references('app_user.id'))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('nomination')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('post_id', 'text', (col) => col.notNull().references('post.id'))
    .addColumn('trigger', 'text', (col) =>
      col.notNull().check(sql`trigger IN ('complaint_fixed', 'request_adopted', 'request_shipped')`),
    )
    .addColumn('policy_id', 'text', (col) => col.notNull().references('reward_policy.id'))
    .addColumn('pool_id', 'text', (col) => col.references('pool.id'))
    .addColumn('currency', 'text', (col) => col.notNull().check(sql`currency ~ '^[A-Z]{3}$'`))
    // What the policy computed, and what finance settled on (within the tier's range).
    .addColumn('computed_minor', 'bigint', (col) => col.notNull().check(sql`computed_minor > 0`))
    .addColumn('amount_minor', 'bigint', (col) => col.notNull().check(sql`amount_minor > 0`))
    .addColumn('impact_percent', 'integer', (col) => col.notNull().check(sql`impact_percent > 0`))
    .addColumn('explanation', 'jsonb', (col) => col.notNull())
    .addColumn('status', 'text', (col) =>
      col.notNull().defaultTo('pending').check(sql`status IN ('pending', 'approved', 'rejected', 'cancelled')`),
    )
    // Null when the adoption worker proposed it.
    .addColumn('proposed_by', 'text', (col) => col.references('app_user.id'))
    // A nomination cancelled by a rollback and earned again is reopened, not
    // duplicated: decisions and ledger steps belong to one round.
    .addColumn('round', 'integer', (col) => col.notNull().defaultTo(1).check(sql`round > 0`))
    .addColumn('approvals_required', 'integer', (col) => col.notNull().defaultTo(1).check(sql`approvals_required IN (1, 2)`))
    .addColumn('decided_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('nomination_post_trigger_unique', ['post_id', 'trigger'])
    .execute();
  await sql`CREATE INDEX nomination_queue_idx ON nomination (created_at) WHERE status = 'pending'`.execute(db);
  // The decided tabs of the queue (approved, rejected, cancelled), most recently decided first.
  await sql`CREATE INDEX nomination_decided_idx ON nomination (status, decided_at, id) WHERE status <> 'pending'`.execute(db);

  await db.schema
    .createTable('nomination_adjustment')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('nomination_id', 'text', (col) => col.notNull().references('nomination.id'))
    .addColumn('actor_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('from_minor', 'bigint', (col) => col.notNull())
    .addColumn('to_minor', 'bigint', (col) => col.notNull())
    .addColumn('reason', 'text', (col) => col.notNull().check(sql`char_length(reason) BETWEEN 1 AND 500`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('nomination_adjustment_nomination_idx').on('nomination_adjustment').column('nomination_id').execute();

  // One row per person rewarded by a nomination: the main author and co-authors of merged duplicates.
  await db.schema
    .createTable('reward')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('nomination_id', 'text', (col) => col.notNull().references('nomination.id'))
    .addColumn('beneficiary_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('role', 'text', (col) => col.notNull().check(sql`role IN ('author', 'coauthor')`))
    .addColumn('currency', 'text', (col) => col.notNull())
    .addColumn('gross_minor', 'bigint', (col) => col.notNull().check(sql`gross_minor >= 0`))
    .addColumn('withheld_minor', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`withheld_minor >= 0`))
    .addColumn('net_minor', 'bigint', (col) => col.notNull().defaultTo(0).check(sql`net_minor >= 0`))
    // Fixed at approval from the beneficiary's org: pay the member, pay the org, or recognition only.
    .addColumn('payout_mode', 'text', (col) => col.check(sql`payout_mode IN ('member', 'org', 'recognition')`))
    .addColumn('status', 'text', (col) =>
      col
        .notNull()
        .defaultTo('nominated')
        .check(sql`status IN ('nominated', 'approved', 'paying', 'paid', 'returned', 'rejected', 'cancelled', 'recognised')`),
    )
    // A rollback after payment does not take money back: finance is asked to look.
    .addColumn('flagged_at', 'timestamptz')
    .addColumn('flag_reason', 'text')
    .addColumn('approved_at', 'timestamptz')
    .addColumn('paid_at', 'timestamptz')
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reward_nomination_beneficiary_unique', ['nomination_id', 'beneficiary_id'])
    .addCheckConstraint('reward_net_plus_withheld', sql`status NOT IN ('approved', 'paying', 'paid') OR net_minor + withheld_minor = gross_minor`)
    .execute();
  await db.schema.createIndex('reward_beneficiary_idx').on('reward').columns(['beneficiary_id', 'created_at']).execute();
  await sql`CREATE INDEX reward_unpaid_idx ON reward (approved_at) WHERE status IN ('approved', 'paying')`.execute(db);
  // Finance's list of rewards flagged after a rollback: few rows, read often.
  await sql`CREATE INDEX reward_flagged_idx ON reward (flagged_at, id) WHERE flagged_at IS NOT NULL`.execute(db);
  // The public hall of fame, newest first: paid rewards by payday, recognition by approval.
  await sql`CREATE INDEX reward_hall_of_fame_idx ON reward ((coalesce(paid_at, approved_at)) DESC, id DESC)
    WHERE status IN ('paid', 'recognised')`.execute(db);
  // The KOL leaderboard and profiles count adopted posts only, never the whole post table.
  await sql`CREATE INDEX post_adopted_author_idx ON post (author_id, status)
    WHERE status IN ('planned', 'in_progress', 'shipped') AND hidden_at IS NULL`.execute(db);

  await db.schema
    .createTable('nomination_decision')
    .addColumn('id', 'text', (col) => col.primaryKey())
    .addColumn('nomination_id', 'text', (col) => col.notNull().references('nomination.id'))
    .addColumn('approver_id', 'text', (col) => col.notNull().references('app_user.id'))
    .addColumn('round', 'integer', (col) => col.notNull())
    .addColumn('decision', 'text', (col) => col.notNull().check(sql`decision IN ('approve', 'reject')`))
    .addColumn('reason', 'text', (col) => col.check(sql`char_length(reason) <= 1000`))
    .addColumn('created_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('nomination_decision_once', ['nomination_id', 'round', 'approver_id'])
    .addCheckConstraint('nomination_decision_reject_reason', sql`decision = 'approve' OR char_length(reason) > 0`)
    .execute();

  // Maker-checker in the database: whoever proposed, adjusted or benefits
  // from a nomination cannot decide it, whatever code path writes the row.
  await sql`
    CREATE FUNCTION nomination_decision_checker() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF EXISTS (SELECT 1 FROM nomination WHERE id = NEW.nomination_id AND proposed_by = NEW.approver_id)
         OR EXISTS (SELECT 1 FROM nomination_adjustment WHERE nomination_id = NEW.nomination_id AND actor_id = NEW.approver_id)
         OR EXISTS (SELECT 1 FROM reward WHERE nomination_id = NEW.nomination_id AND beneficiary_id = NEW.approver_id) THEN
        RAISE EXCEPTION 'the approver of nomination % proposed, adjusted or benefits from it', NEW.nomination_id
          USING ERRCODE = 'check_violation', CONSTRAINT = 'nomination_decision_maker_checker';
      END IF;
      RETURN NEW;
    END $$`.execute(db);
  await sql`CREATE TRIGGER nomination_decision_maker_checker BEFORE INSERT OR UPDATE ON nomination_decision
    FOR EACH ROW EXECUTE FUNCTION nomination_decision_checker()`.execute(db);
  // Decisions are the record of who approved what: never rewritten.
  await sql`CREATE TRIGGER nomination_decision_append_only BEFORE UPDATE OR DELETE ON nomination_decision
    FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);
  await sql`CREATE TRIGGER nomination_adjustment_append_only BEFORE UPDATE OR DELETE ON nomination_adjustment
    FOR EACH ROW EXECUTE FUNCTION refuse_change()`.execute(db);

  // The member's own choice to stay off the public hall of fame.
  await db.schema
    .alterTable('app_user')
    .addColumn('hall_of_fame_opt_out', 'boolean', (col) => col.notNull().defaultTo(false))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`DROP INDEX IF EXISTS post_adopted_author_idx`.execute(db);
  await db.schema.alterTable('app_user').dropColumn('hall_of_fame_opt_out').execute();
  for (const table of ['nomination_decision', 'reward', 'nomination_adjustment', 'nomination', 'reward_policy']) {
    await db.schema.dropTable(table).ifExists().execute();
  }
  await sql`DROP FUNCTION IF EXISTS nomination_decision_checker()`.execute(db);
  await db.schema.alterTable('org').dropColumn('reward_mode').dropColumn('reward_mode_set_by').dropColumn('reward_mode_set_at').execute();
}
