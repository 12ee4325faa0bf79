import { type Kysely, sql } from 'kysely';
import type { Database, Locale } from '../../../db/schema.js';
import { getT } from '../../utils/i18n.js';
import type { Mailer, OutgoingMail } from '../../utils/mail.server.js';
import { readIdentityProfile, type VaultKeys } from '../identity/vault.server.js';
import { getSettings } from '../settings/settings.server.js';
import { describeNotification, type NotificationView, notificationHref } from './describe-notification.js';
import { ensureMailPreferences } from './ensure-mail-preferences.server.js';
import { MAIL_PREFERENCE_OF, type MailPreferences } from './mail-preferences.js';
import { selectNotificationViews, toNotificationView } from './list-notifications.server.js';

/** At most one mail per member per post in this long. */
const MAIL_INTERVAL = sql`interval '1 hour'`;
/** (member, post) pairs claimed per statement. */
const CLAIM_BATCH = 200;

function kindsMailedFor(preference: keyof MailPreferences) {
  const kinds = Object.entries(MAIL_PREFERENCE_OF)
    .filter(([, wanted]) => wanted === preference)
    .map(([kind]) => sql`${kind}`);
  return sql.join(kinds);
}

/**
 * Whether notification `n` should go out by mail, given its owner `u`, its
 * post `p` and the owner's choices `mp` (no row: everything on). Not when it
 * was read in the app meanwhile, the post is hidden, or the account cannot
 * receive mail.
 */
const WANTED_BY_MAIL = sql<boolean>`(
  n.read_at IS NULL
  AND p.id IS NOT NULL AND p.hidden_at IS NULL
  AND u.disabled_at IS NULL AND u.email_verified_at IS NOT NULL
  AND (
    (n.kind IN (${kindsMailedFor('replies')}) AND coalesce(mp.replies, true))
    OR (n.kind IN (${kindsMailedFor('statusChanges')}) AND coalesce(mp.status_changes, true))
  )
)`;

/**
 * The mail batcher, run every minute by the worker. Notifications nobody
 * wants by mail are marked dealt with at once. The rest go out as one mail
 * per (member, post), covering everything pending for that post, and at most
 * one such mail an hour: a pair mailed less than an hour ago waits for a
 * later run.
 *
 * Concurrent runs never send the same mail twice: a pair is claimed by one
 * statement that moves its notification_mail_log row forward only if the
 * last mail is an hour old, and marks its notifications mailed. Of two runs
 * the second waits on that row and then finds it recent. Mails are sent after
 * the claim, with no transaction open (the embedded database serves one at a
 * time); a mail that fails is released for the next run. A crash between
 * claim and send loses that mail; the notifications stay in the app.
 */
export async function sendNotificationMails(
  db: Kysely<Database>,
  keys: VaultKeys,
  mailer: Mailer,
  publicUrl: string,
): Promise<{ mails: number; notMailed: number }> {
  const notMailed = await settleUnwanted(db);
  const settings = await getSettings(db);
  const identities = new Map<string, string | null>();
  let mails = 0;
  let failed = 0;
  let lastError: unknown;

  for (;;) {
    const claimed = await claimPendingMails(db);
    if (claimed.length === 0) break;
    const groups = await loadGroups(db, claimed.map((row) => row.id));
    const tokens = await ensureMailPreferences(db, [...new Set(groups.map((group) => group.userId))]);

    for (const group of groups) {
      if (!identities.has(group.userId)) {
        // Each read of the vault is audited: one per member per run.
        const identity = await readIdentityProfile(db, keys, { userId: group.userId, readerId: null, purpose: 'send-mail' });
        identities.set(group.userId, identity?.email ?? null);
      }
      const to = identities.get(group.userId);
      if (!to) continue;
      const mail = composeMail({
        to,
        locale: group.locale ?? settings.defaultLocale,
        views: group.views,
        neutralSubject: settings.mailSubjectsNeutral,
        publicUrl,
        unsubscribeToken: tokens.get(group.userId)!,
      });
      try {
        await mailer.send(mail);
        mails += 1;
      } catch (error) {
        failed += 1;
        lastError = error;
        await releaseClaim(db, group);
      }
    }
    const pairs = new Set(claimed.map((row) => `${row.user_id} ${row.post_id}`)).size;
    if (pairs < CLAIM_BATCH || failed > 0) break;
  }

  if (failed > 0) {
    throw new Error(`${failed} notification mail(s) could not be sent; they stay pending for the next run`, { cause: lastError });
  }
  return { mails, notMailed };
}

/** Marks notifications that will never be mailed (kind not wanted, read already, post hidden…) as dealt with. */
async function settleUnwanted(db: Kysely<Database>): Promise<number> {
  const result = await sql`
    UPDATE notification SET mailed_at = now()
    WHERE mailed_at IS NULL AND id IN (
      SELECT n.id FROM notification n
      JOIN app_user u ON u.id = n.user_id
      LEFT JOIN post p ON p.id = n.post_id
      LEFT JOIN mail_preference mp ON mp.user_id = n.user_id
      WHERE n.mailed_at IS NULL AND NOT ${WANTED_BY_MAIL}
    )`.execute(db);
  return Number(result.numAffectedRows ?? 0);
}

/** Claims up to CLAIM_BATCH (member, post) pairs due for a mail, in one statement; returns their notifications. */
async function claimPendingMails(db: Kysely<Database>) {
  const result = await sql<{ id: string; user_id: string; post_id: string }>`
    WITH pending AS (
      SELECT n.user_id, n.post_id
      FROM notification n
      JOIN app_user u ON u.id = n.user_id
      JOIN post p ON p.id = n.post_id
      LEFT JOIN mail_preference mp ON mp.user_id = n.user_id
      LEFT JOIN notification_mail_log l ON l.user_id = n.user_id AND l.post_id = n.post_id
      WHERE n.mailed_at IS NULL AND ${WANTED_BY_MAIL}
        AND (l.last_mailed_at IS NULL OR l.last_mailed_at <= now() - ${MAIL_INTERVAL})
      GROUP BY n.user_id, n.post_id
      ORDER BY min(n.created_at)
      LIMIT ${CLAIM_BATCH}
    ), claimed AS (
      INSERT INTO notification_mail_log AS l (user_id, post_id, last_mailed_at)
      SELECT user_id, post_id, now() FROM pending
      ON CONFLICT (user_id, post_id) DO UPDATE SET last_mailed_at = excluded.last_mailed_at
        WHERE l.last_mailed_at <= now() - ${MAIL_INTERVAL}
      RETURNING l.user_id, l.post_id
    )
    UPDATE notification n SET mailed_at = now()
    FROM claimed
    JOIN app_user u ON u.id = claimed.user_id
    JOIN post p ON p.id = claimed.post_id
    LEFT JOIN mail_preference mp ON mp.user_id = claimed.user_id
    WHERE n.user_id = claimed.user_id AND n.post_id = claimed.post_id
      AND n.mailed_at IS NULL AND ${WANTED_BY_MAIL}
    RETURNING n.id, n.user_id, n.post_id`.execute(db);
  return result.rows;
}

interface MailGroup {
  userId: string;
  postId: string;
  locale: Locale | null;
  views: NotificationView[];
}

/** The claimed notifications as their owners see them, one group per (member, post), oldest first. */
async function loadGroups(db: Kysely<Database>, ids: string[]): Promise<MailGroup[]> {
  const rows = await selectNotificationViews(db)
    .innerJoin('app_user as owner', 'owner.id', 'n.user_id')
    .select(['n.user_id as owner_id', 'n.post_id as about_post_id', 'owner.locale as owner_locale'])
    .where('n.id', 'in', ids)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .execute();
  const groups = new Map<string, MailGroup>();
  for (const row of rows) {
    const key = `${row.owner_id} ${row.about_post_id}`;
    let group = groups.get(key);
    if (!group) {
      group = { userId: row.owner_id, postId: row.about_post_id!, locale: row.owner_locale, views: [] };
      groups.set(key, group);
    }
    group.views.push(toNotificationView(row));
  }
  return [...groups.values()];
}

/** Gives a pair whose mail failed back to the next run. */
async function releaseClaim(db: Kysely<Database>, group: MailGroup): Promise<void> {
  await db
    .updateTable('notification')
    .set({ mailed_at: null })
    .where(
      'id',
      'in',
      group.views.map((view) => view.id),
    )
    .execute();
  await db
    .updateTable('notification_mail_log')
    .set({ last_mailed_at: sql<Date>`now() - ${MAIL_INTERVAL}` })
    .where('user_id', '=', group.userId)
    .where('post_id', '=', group.postId)
    .execute();
}

/**
 * One mail about one post, in the member's language. Other people appear
 * only as pseudonyms or staff display names (the sentences are built from
 * the same views as the notification centre). By default the subject names
 * neither the vendor nor the post: work mailboxes are read by others.
 */
function composeMail(input: {
  to: string;
  locale: Locale;
  views: NotificationView[];
  neutralSubject: boolean;
  publicUrl: string;
  unsubscribeToken: string;
}): OutgoingMail {
  const { to, locale, views, publicUrl } = input;
  const t = getT(locale);
  const title = views.find((view) => view.post)?.post?.title;
  const unsubscribeUrl = `${publicUrl}/unsubscribe/${input.unsubscribeToken}`;
  const postUrl = `${publicUrl}${notificationHref(views.at(-1)!) ?? '/notifications'}`;
  const subject =
    input.neutralSubject || !title ? t('notifications.mail.subjectNeutral') : t('notifications.mail.subjectWithTitle', { title });
  const text = [
    t('notifications.mail.intro'),
    '',
    ...views.map((view) => `- ${describeNotification(t, locale, view)}`),
    '',
    t('notifications.mail.openPost'),
    postUrl,
    '',
    t('notifications.mail.allNotifications'),
    `${publicUrl}/notifications`,
    '',
    '--',
    t('notifications.mail.why'),
    t('notifications.mail.unsubscribe'),
    unsubscribeUrl,
    t('notifications.mail.manage'),
    `${publicUrl}/settings`,
  ].join('\n');
  return {
    to,
    subject,
    text,
    // RFC 2369 and RFC 8058: mail programs offer a one-click unsubscribe
    // button that POSTs "List-Unsubscribe=One-Click" to the link.
    headers: {
      'List-Unsubscribe': `<${unsubscribeUrl}>`,
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    },
  };
}
