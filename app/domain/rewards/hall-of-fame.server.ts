import { type Kysely, sql } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../../db/schema.js';
import type { Actor } from '../admin/actor.server.js';
import { writeAudit } from '../audit/write-audit.server.js';
import { pseudonymFor } from '../identity/pseudonym.js';

export const HALL_OF_FAME_PAGE_SIZE = 25;

export const ListHallOfFameInputSchema = z.object({
  locale: z.enum(['en', 'zh-CN']).default('en'),
  /** The id of the last entry on the previous page. */
  after: z.string().max(64).optional(),
  limit: z.number().int().min(1).max(100).default(HALL_OF_FAME_PAGE_SIZE),
});

export interface HallOfFameEntry {
  /** The reward's opaque id; the page cursor. */
  id: string;
  member: { id: string; pseudonym: string };
  post: { id: string; title: string };
  /** A paid cash reward shows its gross amount; recognition only shows no amount at all. */
  honour: { kind: 'paid'; currency: string; grossMinor: string } | { kind: 'recognised' };
  /** 'YYYY-MM' (UTC): a month, never a day, so the entry cannot be matched to a payday. */
  month: string;
}

/** When a reward entered the hall of fame: paid, or approved as recognition only. */
const HONOURED_AT = sql<Date>`coalesce(r.paid_at, r.approved_at)`;

/**
 * The public hall of fame, newest first, one keyset page at a time: paid
 * cash rewards and recognition-only ones. Pseudonyms only (no org, no day);
 * members who opted out, disabled accounts and hidden posts are left out
 * entirely.
 */
export async function listHallOfFame(
  db: Kysely<Database>,
  input: z.input<typeof ListHallOfFameInputSchema> = {},
): Promise<{ entries: HallOfFameEntry[]; nextAfter: string | null }> {
  const { locale, after, limit } = ListHallOfFameInputSchema.parse(input);
  let query = db
    .selectFrom('reward as r')
    .innerJoin('nomination as n', 'n.id', 'r.nomination_id')
    .innerJoin('post as p', 'p.id', 'n.post_id')
    .innerJoin('app_user as u', 'u.id', 'r.beneficiary_id')
    .select([
      'r.id',
      'r.status',
      'r.currency',
      'r.gross_minor',
      'u.id as member_id',
      'u.pseudonym',
      'u.pseudonym_zh',
      'p.id as post_id',
      'p.title as post_title',
      sql<string>`to_char(${HONOURED_AT} AT TIME ZONE 'UTC', 'YYYY-MM')`.as('month'),
    ])
    .where('r.status', 'in', ['paid', 'recognised'])
    .where('u.hall_of_fame_opt_out', '=', false)
    .where('u.disabled_at', 'is', null)
    .where('p.hidden_at', 'is', null)
    .orderBy(HONOURED_AT, 'desc')
    .orderBy('r.id', 'desc')
    .limit(limit + 1);
  if (after) {
    query = query.where(
      sql<boolean>`(${HONOURED_AT}, r.id) < (SELECT coalesce(c.paid_at, c.approved_at), c.id FROM reward c WHERE c.id = ${after})`,
    );
  }
  const rows = await query.execute();
  const page = rows.slice(0, limit);
  return {
    entries: page.map((row) => ({
      id: row.id,
      member: { id: row.member_id, pseudonym: pseudonymFor(row, locale) },
      post: { id: row.post_id, title: row.post_title },
      honour: row.status === 'paid' ? { kind: 'paid', currency: row.currency, grossMinor: row.gross_minor } : { kind: 'recognised' },
      month: row.month,
    })),
    nextAfter: rows.length > limit ? (page.at(-1)?.id ?? null) : null,
  };
}

/** Whether the member keeps themselves off the hall of fame and the leaderboard. */
export async function getHallOfFameOptOut(db: Kysely<Database>, userId: string): Promise<boolean> {
  const row = await db.selectFrom('app_user').select('hall_of_fame_opt_out').where('id', '=', userId).executeTakeFirst();
  return row?.hall_of_fame_opt_out ?? false;
}

export const SetHallOfFameOptOutInputSchema = z.object({ optOut: z.boolean() });

/** A member's own choice to be left out of the hall of fame and the leaderboard (or back in), audited. */
export async function setHallOfFameOptOut(
  db: Kysely<Database>,
  actor: Pick<Actor, 'id'>,
  input: z.input<typeof SetHallOfFameOptOutInputSchema>,
): Promise<void> {
  const { optOut } = SetHallOfFameOptOutInputSchema.parse(input);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('app_user')
      .select('hall_of_fame_opt_out')
      .where('id', '=', actor.id)
      .forUpdate()
      .executeTakeFirstOrThrow();
    if (before.hall_of_fame_opt_out === optOut) return;
    await trx.updateTable('app_user').set({ hall_of_fame_opt_out: optOut }).where('id', '=', actor.id).execute();
    await writeAudit(trx, {
      actorId: actor.id,
      action: 'user.hall_of_fame_opt_out',
      subjectType: 'user',
      subjectId: actor.id,
      before: { optOut: before.hall_of_fame_opt_out },
      after: { optOut },
    });
  });
}
