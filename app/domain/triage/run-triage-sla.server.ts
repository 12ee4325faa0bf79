import { type Kysely, sql } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';
import type { Mailer } from '../../utils/mail.server.js';
import { readIdentityProfile, type VaultKeys } from '../identity/vault.server.js';
import { getSettings } from '../settings/settings.server.js';
import { TRIAGE_ROLES } from './triage-roles.js';

/** A digest lists this many posts by title, then says how many more wait. */
const DIGEST_LISTED_POSTS = 20;

const TEXT = {
  en: {
    neutralSubject: 'Your daily summary',
    subject: (count: number) => `Triage: ${count} ${count === 1 ? 'post is' : 'posts are'} past the SLA`,
    intro: (count: number, hours: number) =>
      `${count} ${count === 1 ? 'post has' : 'posts have'} waited for triage for more than ${hours} hours (assigned to you, or to nobody yet):`,
    more: (count: number) => `…and ${count} more.`,
    inbox: (link: string) => `Open the triage inbox: ${link}`,
  },
  'zh-CN': {
    neutralSubject: '您的每日摘要',
    subject: (count: number) => `分拣：${count} 个帖子已超过处理时限`,
    intro: (count: number, hours: number) => `有 ${count} 个帖子等待分拣已超过 ${hours} 小时（分配给您的，或尚未分配的）：`,
    more: (count: number) => `……另有 ${count} 个。`,
    inbox: (link: string) => `打开分拣收件箱：${link}`,
  },
} as const;

/**
 * The triage SLA job (every 15 minutes): flags untriaged posts that have
 * waited longer than the SLA (once each), then sends each triager and product
 * admin at most one digest a day of their overdue posts: those assigned to
 * them and those assigned to nobody. The day is claimed by inserting the
 * triage_digest row before sending, so runs that overlap send one digest; a
 * send that fails gives the claim back for the next run.
 */
export async function runTriageSla(
  db: Kysely<Database>,
  keys: VaultKeys,
  mailer: Mailer,
  publicUrl: string,
): Promise<{ flagged: number; digests: number }> {
  const settings = await getSettings(db);
  const flaggedResult = await db
    .updateTable('post')
    .set({ sla_flagged_at: sql<Date>`now()` })
    .where('triaged_at', 'is', null)
    .where('hidden_at', 'is', null)
    .where('status', '=', 'open')
    .where('sla_flagged_at', 'is', null)
    .where('created_at', '<', sql<Date>`now() - make_interval(hours => ${settings.triageSlaHours})`)
    .executeTakeFirst();

  const staff = await db
    .selectFrom('app_user')
    .select(['app_user.id', 'app_user.locale'])
    .where('app_user.id', 'in', (eb) => eb.selectFrom('user_role').select('user_role.user_id').where('user_role.role', 'in', TRIAGE_ROLES))
    .where('app_user.disabled_at', 'is', null)
    .where('app_user.email_verified_at', 'is not', null)
    .orderBy('app_user.id')
    .execute();

  let digests = 0;
  const failures: Error[] = [];
  for (const person of staff) {
    const overdue = await db
      .selectFrom('post')
      .select(['id', 'title', sql<number>`count(*) OVER ()::int`.as('total')])
      // Flagged and still untriaged: overdue, even if the SLA setting has grown since.
      .where('triaged_at', 'is', null)
      .where('hidden_at', 'is', null)
      .where('status', '=', 'open')
      .where('sla_flagged_at', 'is not', null)
      .where((eb) => eb.or([eb('assignee_id', '=', person.id), eb('assignee_id', 'is', null)]))
      .orderBy('created_at')
      .orderBy('id')
      .limit(DIGEST_LISTED_POSTS)
      .execute();
    const total = overdue[0]?.total ?? 0;
    if (total === 0) continue;

    const claimed = await db
      .insertInto('triage_digest')
      .values({ user_id: person.id, sent_on: sql<string>`(now() AT TIME ZONE 'UTC')::date`, post_count: total })
      .onConflict((oc) => oc.columns(['user_id', 'sent_on']).doNothing())
      .returning('sent_on')
      .executeTakeFirst();
    if (!claimed) continue;

    try {
      const identity = await readIdentityProfile(db, keys, { userId: person.id, readerId: null, purpose: 'send-mail' });
      if (!identity) continue;
      const locale: Locale = person.locale ?? settings.defaultLocale;
      const text = TEXT[locale];
      const lines = [
        text.intro(total, settings.triageSlaHours),
        '',
        ...overdue.flatMap((post) => [`- ${post.title}`, `  ${publicUrl}/posts/${post.id}`]),
        ...(total > overdue.length ? ['', text.more(total - overdue.length)] : []),
        '',
        text.inbox(`${publicUrl}/triage`),
      ];
      await mailer.send({
        to: identity.email,
        subject: settings.mailSubjectsNeutral ? text.neutralSubject : text.subject(total),
        text: lines.join('\n'),
      });
      digests += 1;
    } catch (error) {
      await db.deleteFrom('triage_digest').where('user_id', '=', person.id).where('sent_on', '=', claimed.sent_on).execute();
      failures.push(error as Error);
    }
  }
  if (failures.length > 0) {
    throw new Error(`${failures.length} triage digest(s) could not be sent, will retry: ${failures[0]!.message}`);
  }
  return { flagged: Number(flaggedResult.numUpdatedRows), digests };
}
