import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { deleteComment } from '../app/domain/comments/delete-comment.server.js';
import { followPost } from '../app/domain/follows/follow-post.server.js';
import { unfollowPost } from '../app/domain/follows/unfollow-post.server.js';
import { countUnreadNotifications } from '../app/domain/notifications/count-unread.server.js';
import { createNotifications } from '../app/domain/notifications/create-notifications.server.js';
import { describeNotification } from '../app/domain/notifications/describe-notification.js';
import { listNotifications } from '../app/domain/notifications/list-notifications.server.js';
import { notifyCommentCreated } from '../app/domain/notifications/notify-comment-created.server.js';
import { notifyStatusChanged } from '../app/domain/notifications/notify-status-changed.server.js';
import { sendNotificationMails } from '../app/domain/notifications/send-notification-mails.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import en from '../app/locales/en.js';
import zhCN from '../app/locales/zh-CN.js';
import * as adminSettingsRoute from '../app/routes/admin.settings.js';
import * as notificationsRoute from '../app/routes/notifications.js';
import * as settingsRoute from '../app/routes/settings.js';
import * as unsubscribeRoute from '../app/routes/unsubscribe.$token.js';
import { getT } from '../app/utils/i18n.js';
import type { Mailer, OutgoingMail } from '../app/utils/mail.server.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { PostStatus, Role } from '../db/schema.js';
import { startWorkers } from '../workers/start.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import { startTestWebServer } from './support/web.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let areaId: string;
let orgId: string;
/** Writes posts. */
let author: CreatedUser;
/** Comments on others' posts. */
let commenter: CreatedUser;
/** Follows posts; reads in Chinese. */
let follower: CreatedUser;
let stranger: CreatedUser;
let triager: CreatedUser;
let admin: CreatedUser;
const STAFF_NAME = 'Lin (Product)';

const db = () => app.services.db;
const actor = (user: CreatedUser, roles: Role[] = []) => ({ id: user.id, orgId, roles });
const staff = (user: CreatedUser, roles: Role[]) => ({ id: user.id, orgId: null, roles });

// Distinctive real identities: none may appear in anything shown or mailed to another person.
const IDENTITIES = {
  author: { name: 'Ottoline Vexworth', email: 'ottoline.vexworth@notif.example' },
  commenter: { name: 'Barnaby Quillfeather', email: 'barnaby.quillfeather@notif.example' },
  follower: { name: 'Cressida Yarrowby', email: 'cressida.yarrowby@notif.example' },
  stranger: { name: 'Evander Throssel', email: 'evander.throssel@notif.example' },
  triager: { name: 'Tamsin Holloway', email: 'tamsin.holloway@vendor.example' },
};

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'core', nameEn: 'Core network', nameZh: '核心网' });
  orgId = await makeOrg(app, { name: 'Notification Org', valueTier: 'major' });
  author = await makeUser(app, { orgId, ...IDENTITIES.author });
  commenter = await makeUser(app, { orgId, ...IDENTITIES.commenter });
  follower = await makeUser(app, { orgId, ...IDENTITIES.follower });
  stranger = await makeUser(app, { orgId, ...IDENTITIES.stranger });
  triager = await makeUser(app, { roles: ['triager'], ...IDENTITIES.triager });
  admin = await makeUser(app, { roles: ['admin'] });
  await db().updateTable('app_user').set({ staff_display_name: STAFF_NAME }).where('id', '=', triager.id).execute();
  await db().updateTable('app_user').set({ locale: 'zh-CN' }).where('id', '=', follower.id).execute();
}, 60_000);
afterAll(async () => {
  await app?.close();
});

let titleCounter = 0;
async function newPost(by: CreatedUser = author): Promise<{ postId: string; title: string }> {
  titleCounter += 1;
  const title = `Alarm storm ${titleCounter} of the night`;
  const postId = await createPostRow(db(), { authorId: by.id, productAreaId: areaId, title });
  return { postId, title };
}

async function notificationsOf(userId: string, postId?: string) {
  let query = db()
    .selectFrom('notification')
    .select(['id', 'user_id', 'kind', 'post_id', 'comment_id', 'data', 'source_key', 'read_at', 'mailed_at'])
    .where('user_id', '=', userId)
    .orderBy('created_at');
  if (postId) query = query.where('post_id', '=', postId);
  return query.execute();
}

async function recipientsOf(sourceKey: string): Promise<Record<string, string>> {
  const rows = await db().selectFrom('notification').select(['user_id', 'kind']).where('source_key', '=', sourceKey).execute();
  return Object.fromEntries(rows.map((row) => [row.user_id, row.kind]));
}

async function changeStatus(postId: string, to: PostStatus, note: string | null = null, by: CreatedUser = triager) {
  const [change] = await db().transaction().execute((trx) => applyStatusChanges(trx, by.id, [{ postId, to, note }]));
  return change!;
}

async function call(
  handler: Handler,
  path: string,
  params: Record<string, string>,
  as: CreatedUser | null,
  form?: Record<string, string>,
  headers: Record<string, string> = form ? { Origin: TEST_PUBLIC_URL } : {},
): Promise<{ status: number; location?: string | null; data?: any }> {
  const cookie = as ? await sessionCookieFor(app, as.id) : undefined;
  const request = makeRequest(path, { form, cookie, method: form ? 'POST' : 'GET', headers });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** A mailer that keeps what it is given, headers included. */
function capturingMailer(fail = false): Mailer & { sent: OutgoingMail[] } {
  const sent: OutgoingMail[] = [];
  const send = async (mail: OutgoingMail) => {
    if (fail) throw new Error('SMTP is down');
    sent.push(mail);
  };
  return {
    sent,
    keepsMailInDatabase: false,
    send,
    sendInBackground: (mail) => void send(mail),
    trySend: async (mail) => send(mail).then(() => true),
    drain: async () => undefined,
  };
}

function runMailer(mailer: Mailer) {
  return sendNotificationMails(db(), app.services.vaultKeys, mailer, TEST_PUBLIC_URL);
}

/** Lets the clock run on for the mail limit: every pair's last mail an hour and a minute ago. */
async function anHourLater() {
  await db()
    .updateTable('notification_mail_log')
    .set({ last_mailed_at: sql<Date>`now() - interval '61 minutes'` })
    .execute();
}

/** Marks everything earlier tests left pending as dealt with, so each mail test starts clean. */
async function settleAllPending() {
  await db().updateTable('notification').set({ mailed_at: sql<Date>`now()` }).where('mailed_at', 'is', null).execute();
  await db().deleteFrom('notification_mail_log').execute();
}

const secretsExcept = (...own: Array<keyof typeof IDENTITIES>) =>
  Object.entries(IDENTITIES)
    .filter(([key]) => !own.includes(key as keyof typeof IDENTITIES))
    .flatMap(([, identity]) => [identity.name, identity.email, identity.email.split('@')[0]!]);

describe('who hears of a comment', () => {
  it('notifies the post’s followers, never the comment’s writer, and a redelivery adds nothing', async () => {
    const { postId } = await newPost();
    await followPost(db(), actor(follower), postId);
    const { id } = await addComment(db(), actor(commenter), { postId, body: 'Same on our sites.' });

    expect(await notifyCommentCreated(db(), id)).toBe(2);
    expect(await recipientsOf(`comment:${id}`)).toEqual({ [author.id]: 'comment', [follower.id]: 'comment' });
    // The job runs again after a crash: nothing twice.
    expect(await notifyCommentCreated(db(), id)).toBe(0);
    expect(await notificationsOf(author.id, postId)).toHaveLength(1);
  });

  it('tells the replied-to author of a reply even when they do not follow the post, and the followers of a comment', async () => {
    const { postId } = await newPost();
    await followPost(db(), actor(follower), postId);
    const { id: topId } = await addComment(db(), actor(stranger), { postId, body: 'Which release?' });
    const { id: replyId } = await addComment(db(), actor(commenter), { postId, parentId: topId, body: '24.3 here.' });

    expect(await notifyCommentCreated(db(), replyId)).toBe(3);
    expect(await recipientsOf(`comment:${replyId}`)).toEqual({
      [stranger.id]: 'reply',
      [author.id]: 'comment',
      [follower.id]: 'comment',
    });

    // Answering oneself tells the followers, not oneself.
    const { id: ownReply } = await addComment(db(), actor(stranger), { postId, parentId: topId, body: 'Also 24.4.' });
    await notifyCommentCreated(db(), ownReply);
    expect(await recipientsOf(`comment:${ownReply}`)).toEqual({ [author.id]: 'comment', [follower.id]: 'comment' });
  });

  it('says nothing of a comment deleted or hidden before the job ran, or on a hidden post', async () => {
    const { postId } = await newPost();
    const { id: deleted } = await addComment(db(), actor(commenter), { postId, body: 'Oops.' });
    await deleteComment(db(), actor(commenter), { commentId: deleted });
    expect(await notifyCommentCreated(db(), deleted)).toBe(0);

    const { id: hidden } = await addComment(db(), actor(commenter), { postId, body: 'Spam.' });
    await db().updateTable('comment').set({ hidden_at: new Date(), hidden_reason: 'spam' }).where('id', '=', hidden).execute();
    expect(await notifyCommentCreated(db(), hidden)).toBe(0);

    const { id: onHiddenPost } = await addComment(db(), actor(commenter), { postId, body: 'Still here.' });
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'off topic' }).where('id', '=', postId).execute();
    expect(await notifyCommentCreated(db(), onHiddenPost)).toBe(0);
    expect(await notificationsOf(author.id, postId)).toEqual([]);
    expect(await notifyCommentCreated(db(), 'nosuchcomment')).toBe(0);
  });

  it('writes the comment.created event in the comment’s own transaction', async () => {
    const { postId } = await newPost();
    const { id } = await addComment(db(), actor(commenter), { postId, body: 'Recorded.' });
    const events = await db()
      .selectFrom('outbox')
      .select(['topic', 'payload'])
      .where(sql<boolean>`payload->>'commentId' = ${id}`)
      .execute();
    expect(events).toEqual([{ topic: 'comment.created', payload: { commentId: id } }]);

    // When writing the event fails, the comment is not there either: one transaction.
    await sql`CREATE FUNCTION refuse_comment_event() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.topic = 'comment.created' THEN RAISE EXCEPTION 'outbox unavailable'; END IF;
        RETURN NEW;
      END $$`.execute(db());
    await sql`CREATE TRIGGER refuse_comment_event BEFORE INSERT ON outbox FOR EACH ROW EXECUTE FUNCTION refuse_comment_event()`.execute(db());
    try {
      await expect(addComment(db(), actor(commenter), { postId, body: 'Lost with its event.' })).rejects.toThrow(/outbox unavailable/);
    } finally {
      await sql`DROP TRIGGER refuse_comment_event ON outbox`.execute(db());
      await sql`DROP FUNCTION refuse_comment_event()`.execute(db());
    }
    const comments = await db().selectFrom('comment').select('body').where('post_id', '=', postId).execute();
    expect(comments.map((comment) => comment.body)).toEqual(['Recorded.']);
    const post = await db().selectFrom('post').select('comment_count').where('id', '=', postId).executeTakeFirstOrThrow();
    expect(post.comment_count).toBe(1);
  });
});

describe('who hears of a status change', () => {
  it('tells followers and voters once each, with the note, never the staff member who moved it; a redelivery adds nothing', async () => {
    const { postId } = await newPost();
    // A voter follows by voting: one notification, not two.
    await toggleVote(db(), actor(commenter), { postId });
    // A voter who stopped following still hears of it.
    await toggleVote(db(), actor(stranger), { postId });
    await unfollowPost(db(), actor(stranger), postId);
    await followPost(db(), actor(follower), postId);
    // The triager follows too, but moved it.
    await followPost(db(), staff(triager, ['triager']), postId);

    const change = await changeStatus(postId, 'planned', 'Scheduled for 24.6.');
    expect(await notifyStatusChanged(db(), change.changeId)).toBe(4);
    const recipients = await recipientsOf(`status:${change.changeId}`);
    expect(Object.keys(recipients).sort()).toEqual([author.id, commenter.id, stranger.id, follower.id].sort());
    const [row] = await notificationsOf(author.id, postId);
    expect(row).toMatchObject({ kind: 'status_changed', data: { from: 'open', to: 'planned', note: 'Scheduled for 24.6.' } });

    expect(await notifyStatusChanged(db(), change.changeId)).toBe(0);
    expect(await notificationsOf(author.id, postId)).toHaveLength(1);
  });

  it('says nothing while the post is hidden', async () => {
    const { postId } = await newPost();
    const change = await changeStatus(postId, 'under_review');
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'duplicate spam' }).where('id', '=', postId).execute();
    expect(await notifyStatusChanged(db(), change.changeId)).toBe(0);
  });
});

describe('the notification centre', () => {
  it('shows only the owner’s notifications, newest first, as sentences in their language', async () => {
    const { postId, title } = await newPost();
    await followPost(db(), actor(follower), postId);
    const { id: commentId } = await addComment(db(), actor(commenter), { postId, body: 'Seen it.' });
    await notifyCommentCreated(db(), commentId);
    const { id: officialId } = await addComment(db(), staff(triager, ['triager']), { postId, parentId: commentId, body: 'On it.' });
    await notifyCommentCreated(db(), officialId);
    const change = await changeStatus(postId, 'planned', 'Fix in 24.6.');
    await notifyStatusChanged(db(), change.changeId);

    const page = await call(notificationsRoute.loader as Handler, '/notifications', {}, author);
    expect(page.status).toBe(200);
    const own = new Set((await notificationsOf(author.id)).map((row) => row.id));
    expect(page.data.notifications.length).toBeGreaterThanOrEqual(3);
    expect(page.data.notifications.every((view: { id: string }) => own.has(view.id))).toBe(true);

    const t = getT('en');
    const newest = page.data.notifications.slice(0, 3).map((view: any) => describeNotification(t, 'en', view));
    expect(newest).toEqual([
      `Your post “${title}” moved to Planned: Fix in 24.6.`,
      `${STAFF_NAME} commented officially on “${title}”.`,
      `${commenter.pseudonym} commented on “${title}”.`,
    ]);

    // The follower reads Chinese, and sees the commenter's Chinese pseudonym.
    const { pseudonym_zh } = await db().selectFrom('app_user').select('pseudonym_zh').where('id', '=', commenter.id).executeTakeFirstOrThrow();
    const followerPage = await listNotifications(db(), follower);
    const zh = followerPage.notifications.map((view) => describeNotification(getT('zh-CN'), 'zh-CN', view));
    expect(zh).toContain(`“${title}”状态已变为已计划：Fix in 24.6.`);
    expect(zh).toContain(`${pseudonym_zh} 评论了“${title}”。`);

    // Pseudonyms and staff display names only; day-level dates; no user ids.
    const text = JSON.stringify(page.data);
    for (const secret of secretsExcept('author')) expect(text).not.toContain(secret);
    expect(text).not.toContain(commenter.id);
    expect(text).not.toContain(triager.id);
    expect(text).not.toMatch(/T\d{2}:\d{2}/);
  });

  it('pages by keyset: every notification once, newest first', async () => {
    const { postId } = await newPost(stranger);
    const reader = await makeUser(app, { orgId });
    for (let index = 0; index < 35; index++) {
      await createNotifications(db(), `test:${index}`, [{ userId: reader.id, kind: 'comment', postId }]);
    }
    const first = await call(notificationsRoute.loader as Handler, '/notifications', {}, reader);
    expect(first.data.notifications).toHaveLength(30);
    expect(first.data.nextAfter).toBe(first.data.notifications[29].id);
    const second = await call(notificationsRoute.loader as Handler, `/notifications?after=${first.data.nextAfter}`, {}, reader);
    expect(second.data.notifications).toHaveLength(5);
    expect(second.data.nextAfter).toBeNull();
    const ids = [...first.data.notifications, ...second.data.notifications].map((view: { id: string }) => view.id);
    expect(new Set(ids).size).toBe(35);
    const stored = await db()
      .selectFrom('notification')
      .select('id')
      .where('user_id', '=', reader.id)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute();
    expect(ids).toEqual(stored.map((row) => row.id));

    // Another person's notification as the cursor reveals nothing of theirs.
    const [foreign] = await notificationsOf(author.id);
    const probe = await call(notificationsRoute.loader as Handler, `/notifications?after=${foreign!.id}`, {}, reader);
    expect(probe.data.notifications).toEqual([]);
  });

  it('counts unread; opening one marks it read and leads to the comment; nobody can open another’s', async () => {
    const { postId } = await newPost();
    const reader = await makeUser(app, { orgId });
    await followPost(db(), actor(reader), postId);
    const { id: commentId } = await addComment(db(), actor(commenter), { postId, body: 'Look.' });
    await notifyCommentCreated(db(), commentId);
    const [mine] = await notificationsOf(reader.id);
    expect(await countUnreadNotifications(db(), reader.id)).toBe(1);

    // Someone else posting its id: not found, and it stays unread.
    const foreign = await call(notificationsRoute.action as Handler, '/notifications', {}, stranger, { intent: 'open', notificationId: mine!.id });
    expect(foreign.status).toBe(404);
    expect(await countUnreadNotifications(db(), reader.id)).toBe(1);

    const opened = await call(notificationsRoute.action as Handler, '/notifications', {}, reader, { intent: 'open', notificationId: mine!.id });
    expect(opened.status).toBe(302);
    expect(opened.location).toBe(`/posts/${postId}#comment-${commentId}`);
    expect(await countUnreadNotifications(db(), reader.id)).toBe(0);
    const page = await call(notificationsRoute.loader as Handler, '/notifications', {}, reader);
    expect(page.data.notifications[0]).toMatchObject({ id: mine!.id, read: true });
  });

  it('“Mark all as read” touches only the owner’s notifications', async () => {
    const { postId } = await newPost();
    await followPost(db(), actor(follower), postId);
    const { id } = await addComment(db(), actor(commenter), { postId, body: 'News.' });
    await notifyCommentCreated(db(), id);
    expect(await countUnreadNotifications(db(), author.id)).toBeGreaterThan(0);
    const followerUnread = await countUnreadNotifications(db(), follower.id);
    expect(followerUnread).toBeGreaterThan(0);

    const done = await call(notificationsRoute.action as Handler, '/notifications', {}, author, { intent: 'read-all' });
    expect(done.status).toBe(302);
    expect(done.location).toBe('/notifications');
    expect(await countUnreadNotifications(db(), author.id)).toBe(0);
    expect(await countUnreadNotifications(db(), follower.id)).toBe(followerUnread);
  });

  it('shows a post the reader can no longer see as a generic line without its title', async () => {
    const { postId, title } = await newPost();
    await followPost(db(), actor(follower), postId);
    const change = await changeStatus(postId, 'under_review');
    await notifyStatusChanged(db(), change.changeId);
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'spam' }).where('id', '=', postId).execute();

    const page = await call(notificationsRoute.loader as Handler, '/notifications', {}, follower);
    const line = page.data.notifications.find((view: { post: unknown; id: string }) => view.post === null);
    expect(line).toBeDefined();
    expect(JSON.stringify(page.data)).not.toContain(title);
    expect(describeNotification(getT('en'), 'en', line)).toBe(en.notifications.lines.unavailable);
    const opened = await call(notificationsRoute.action as Handler, '/notifications', {}, follower, { intent: 'open', notificationId: line.id });
    expect(opened.location).toBe('/notifications');

    // Its author still sees it, title and all.
    const authorPage = await listNotifications(db(), author);
    expect(authorPage.notifications.some((view) => view.post?.title === title)).toBe(true);
  });

  it('answers a form it cannot process with 400 and changes nothing', async () => {
    const unknown = await call(notificationsRoute.action as Handler, '/notifications', {}, author, { intent: 'explode' });
    expect(unknown.status).toBe(400);
    expect(Object.values(unknown.data.result.error).flat()).toEqual(['notifications.errors.unknownAction']);
    const noId = await call(notificationsRoute.action as Handler, '/notifications', {}, author, { intent: 'open' });
    expect(noId.status).toBe(400);
    const tooLong = await call(notificationsRoute.action as Handler, '/notifications', {}, author, { intent: 'open', notificationId: 'x'.repeat(65) });
    expect(tooLong.status).toBe(400);
  });
});

describe('notification mails', () => {
  beforeEach(settleAllPending);

  async function commentOn(postId: string, by: CreatedUser = commenter, body = 'Another data point.') {
    const { id } = await addComment(db(), actor(by), { postId, body });
    await notifyCommentCreated(db(), id);
    return id;
  }

  const mailsTo = (mailer: { sent: OutgoingMail[] }, who: CreatedUser) => mailer.sent.filter((mail) => mail.to === who.email);

  it('sends one mail per member per post covering everything pending, then nothing more for an hour', async () => {
    const { postId, title } = await newPost();
    await commentOn(postId);
    await commentOn(postId, stranger, 'Us too.');
    const change = await changeStatus(postId, 'planned', 'In 24.6.');
    await notifyStatusChanged(db(), change.changeId);

    const mailer = capturingMailer();
    expect(await runMailer(mailer)).toMatchObject({ mails: 1 });
    const [mail] = mailsTo(mailer, author);
    expect(mail!.text).toContain(`${commenter.pseudonym} commented on “${title}”.`);
    expect(mail!.text).toContain(`${stranger.pseudonym} commented on “${title}”.`);
    expect(mail!.text).toContain(`Your post “${title}” moved to Planned: In 24.6.`);
    expect(mail!.text).toContain(`${TEST_PUBLIC_URL}/notifications`);
    expect(mail!.text).toContain(`${TEST_PUBLIC_URL}/posts/${postId}`);
    expect((await notificationsOf(author.id, postId)).every((row) => row.mailed_at !== null)).toBe(true);

    // Within the hour a new comment waits, still pending.
    await commentOn(postId, stranger, 'And again.');
    expect(await runMailer(mailer)).toMatchObject({ mails: 0 });
    expect((await notificationsOf(author.id, postId)).filter((row) => row.mailed_at === null)).toHaveLength(1);

    // An hour on, it goes out alone.
    await anHourLater();
    expect(await runMailer(mailer)).toMatchObject({ mails: 1 });
    const later = mailsTo(mailer, author)[1]!;
    expect(later.text.match(/^- /gm)).toHaveLength(1);
    expect(later.text).toContain(`${stranger.pseudonym} commented on “${title}”.`);
  });

  it('sends two mails for news on two posts', async () => {
    const first = await newPost();
    const second = await newPost();
    await commentOn(first.postId);
    await commentOn(second.postId);
    const mailer = capturingMailer();
    expect(await runMailer(mailer)).toMatchObject({ mails: 2 });
    const texts = mailsTo(mailer, author).map((mail) => mail.text);
    expect(texts.filter((text) => text.includes(`/posts/${first.postId}`))).toHaveLength(1);
    expect(texts.filter((text) => text.includes(`/posts/${second.postId}`))).toHaveLength(1);
  });

  it('respects the member’s choices; moderation notices and notifications already read are never mailed', async () => {
    const member = await makeUser(app, { orgId });
    const { postId } = await newPost(member);
    await call(settingsRoute.action as Handler, '/settings', {}, member, { intent: 'mail', statusChanges: 'on' });
    expect(await db().selectFrom('mail_preference').select(['replies', 'status_changes']).where('user_id', '=', member.id).executeTakeFirst()).toEqual({
      replies: false,
      status_changes: true,
    });
    await commentOn(postId);
    await createNotifications(db(), 'test:hidden', [{ userId: member.id, kind: 'post_hidden', postId, data: { reason: 'spam' } }]);

    const mailer = capturingMailer();
    const run = await runMailer(mailer);
    expect(mailsTo(mailer, member)).toEqual([]);
    expect(run.notMailed).toBeGreaterThanOrEqual(2);
    // Dealt with, not left pending forever.
    expect((await notificationsOf(member.id)).every((row) => row.mailed_at !== null)).toBe(true);

    const change = await changeStatus(postId, 'under_review');
    await notifyStatusChanged(db(), change.changeId);
    await runMailer(mailer);
    expect(mailsTo(mailer, member)).toHaveLength(1);

    // Read in the app before the batch went out: no mail.
    await anHourLater();
    const again = await changeStatus(postId, 'planned');
    await notifyStatusChanged(db(), again.changeId);
    await db().updateTable('notification').set({ read_at: new Date() }).where('user_id', '=', member.id).execute();
    await runMailer(mailer);
    expect(mailsTo(mailer, member)).toHaveLength(1);
  });

  it('keeps the subject neutral by default and names the post only when the setting is off', async () => {
    const { postId, title } = await newPost();
    await commentOn(postId);
    const neutral = capturingMailer();
    await runMailer(neutral);
    expect(mailsTo(neutral, author).map((mail) => mail.subject)).toEqual([en.notifications.mail.subjectNeutral]);
    expect(neutral.sent.every((mail) => !mail.subject.includes(title) && !/candor/i.test(mail.subject))).toBe(true);

    await updateSettings(db(), admin.id, { mailSubjectsNeutral: false });
    try {
      await anHourLater();
      await commentOn(postId);
      const titled = capturingMailer();
      await runMailer(titled);
      expect(mailsTo(titled, author).map((mail) => mail.subject)).toEqual([`New activity on “${title}”`]);
    } finally {
      await updateSettings(db(), admin.id, { mailSubjectsNeutral: true });
    }
  });

  it('writes in the member’s language, names others only by pseudonym or staff name, and carries a one-click unsubscribe', async () => {
    const { postId, title } = await newPost();
    await followPost(db(), actor(follower), postId);
    const { id: top } = await addComment(db(), actor(follower), { postId, body: 'Mine.' });
    const { id: official } = await addComment(db(), staff(triager, ['triager']), { postId, parentId: top, body: 'Fixed soon.' });
    await notifyCommentCreated(db(), official);
    await commentOn(postId);

    const mailer = capturingMailer();
    await runMailer(mailer);
    const [mail] = mailsTo(mailer, follower);
    expect(mail!.subject).toBe(zhCN.notifications.mail.subjectNeutral);
    const { pseudonym_zh } = await db().selectFrom('app_user').select('pseudonym_zh').where('id', '=', commenter.id).executeTakeFirstOrThrow();
    expect(mail!.text).toContain(`${STAFF_NAME} 官方回复了您在“${title}”下的评论。`);
    expect(mail!.text).toContain(`${pseudonym_zh} 评论了“${title}”。`);
    for (const secret of secretsExcept('follower')) {
      expect(mail!.text).not.toContain(secret);
      expect(mail!.subject).not.toContain(secret);
    }
    const { unsubscribe_token } = await db()
      .selectFrom('mail_preference')
      .select('unsubscribe_token')
      .where('user_id', '=', follower.id)
      .executeTakeFirstOrThrow();
    const link = `${TEST_PUBLIC_URL}/unsubscribe/${unsubscribe_token}`;
    expect(mail!.text).toContain(link);
    expect(mail!.headers).toEqual({ 'List-Unsubscribe': `<${link}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });

    // Reading the address was an audited vault read.
    const reads = await db()
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'vault.read')
      .where('subject_id', '=', follower.id)
      .execute();
    expect(reads.some((read) => (read.after as { purpose?: string }).purpose === 'send-mail')).toBe(true);
  });

  it('sends each mail once when two runs overlap', async () => {
    const members = await Promise.all(Array.from({ length: 5 }, () => makeUser(app, { orgId })));
    const posts = [await newPost(), await newPost()];
    for (const { postId } of posts) {
      for (const member of members) await followPost(db(), actor(member), postId);
      await commentOn(postId);
    }
    const mailer = capturingMailer();
    const [first, second] = await Promise.all([runMailer(mailer), runMailer(mailer)]);
    // Five members and the author, on two posts.
    expect(first.mails + second.mails).toBe(12);
    const pairs = mailer.sent.map((mail) => `${mail.to} ${posts.find(({ postId }) => mail.text.includes(`/posts/${postId}`))!.postId}`);
    expect(pairs).toHaveLength(12);
    expect(new Set(pairs).size).toBe(12);
    expect(await runMailer(mailer)).toMatchObject({ mails: 0 });
  });

  it('gives a mail that failed back to the next run', async () => {
    const { postId } = await newPost();
    await commentOn(postId);
    await expect(runMailer(capturingMailer(true))).rejects.toThrow(/could not be sent/);
    expect((await notificationsOf(author.id, postId)).every((row) => row.mailed_at === null)).toBe(true);

    const mailer = capturingMailer();
    expect(await runMailer(mailer)).toMatchObject({ mails: 1 });
    expect(mailsTo(mailer, author)).toHaveLength(1);
  });
});

describe('unsubscribing', () => {
  async function tokenOf(user: CreatedUser): Promise<string> {
    const { postId } = await newPost(user);
    const { id } = await addComment(db(), actor(commenter), { postId, body: 'Ping.' });
    await notifyCommentCreated(db(), id);
    await settleAllPending();
    // The first mail creates the member's preferences and token.
    await db().updateTable('notification').set({ mailed_at: null }).where('user_id', '=', user.id).execute();
    await runMailer(capturingMailer());
    const row = await db().selectFrom('mail_preference').select('unsubscribe_token').where('user_id', '=', user.id).executeTakeFirstOrThrow();
    return row.unsubscribe_token;
  }

  async function preferencesOf(user: CreatedUser) {
    return db().selectFrom('mail_preference').select(['replies', 'status_changes']).where('user_id', '=', user.id).executeTakeFirstOrThrow();
  }

  const page = (token: string) => ({ path: `/unsubscribe/${token}`, params: { token } });

  it('shows the choices without logging in, and nothing about whose they are', async () => {
    const member = await makeUser(app, { orgId });
    const token = await tokenOf(member);
    const { path, params } = page(token);
    const shown = await call(unsubscribeRoute.loader as Handler, path, params, null);
    expect(shown.status).toBe(200);
    expect(shown.data).toEqual({ preferences: { replies: true, statusChanges: true } });
  });

  it('answers an unknown or malformed link with 404 and changes nothing', async () => {
    for (const token of ['a'.repeat(32), 'NOT-A-TOKEN', 'x'.repeat(65)]) {
      const { path, params } = page(token);
      expect((await call(unsubscribeRoute.loader as Handler, path, params, null)).status).toBe(404);
      expect((await call(unsubscribeRoute.action as Handler, path, params, null, { intent: 'all' })).status).toBe(404);
    }
  });

  it('unsubscribes from everything, or from the kinds chosen, with a form and no session', async () => {
    const member = await makeUser(app, { orgId });
    const token = await tokenOf(member);
    const { path, params } = page(token);

    const chosen = await call(unsubscribeRoute.action as Handler, path, params, null, { intent: 'choose', statusChanges: 'on' });
    expect(chosen).toMatchObject({ status: 302, location: path });
    expect(await preferencesOf(member)).toEqual({ replies: false, status_changes: true });

    const all = await call(unsubscribeRoute.action as Handler, path, params, null, { intent: 'all' });
    expect(all.status).toBe(302);
    expect(await preferencesOf(member)).toEqual({ replies: false, status_changes: false });

    // And back on, from the same page.
    await call(unsubscribeRoute.action as Handler, path, params, null, { intent: 'choose', replies: 'on', statusChanges: 'on' });
    expect(await preferencesOf(member)).toEqual({ replies: true, status_changes: true });
    // Signed-in members see the same choices on /settings.
    const settings = await call(settingsRoute.loader as Handler, '/settings', {}, member);
    expect(settings.data.mailPreferences).toEqual({ replies: true, statusChanges: true });
  });

  it('takes a mail program’s one-click POST without Origin, cookie or token, and nothing else that way', async () => {
    const member = await makeUser(app, { orgId });
    const token = await tokenOf(member);
    const { path, params } = page(token);

    const refused = await call(unsubscribeRoute.action as Handler, path, params, null, { intent: 'choose', replies: 'on' }, {});
    expect(refused.status).toBe(403);
    expect(await preferencesOf(member)).toEqual({ replies: true, status_changes: true });

    const oneClick = await call(unsubscribeRoute.action as Handler, path, params, null, { 'List-Unsubscribe': 'One-Click' }, {});
    expect(oneClick).toMatchObject({ status: 200, data: { done: true } });
    expect(await preferencesOf(member)).toEqual({ replies: false, status_changes: false });

    // Unsubscribed members get no more mail.
    const { postId } = await newPost(member);
    await commentOn(postId);
    const mailer = capturingMailer();
    await runMailer(mailer);
    expect(mailer.sent.filter((mail) => mail.to === member.email)).toEqual([]);

    async function commentOn(onPost: string) {
      const { id } = await addComment(db(), actor(commenter), { postId: onPost, body: 'One more.' });
      await notifyCommentCreated(db(), id);
    }
  });

  it('lets the one-click POST through the web server’s CSRF check, and only to unsubscribe links', async () => {
    const member = await makeUser(app, { orgId });
    const token = await tokenOf(member);
    const web = await startTestWebServer(app);
    try {
      const post = (path: string, body: string, headers: Record<string, string> = {}) =>
        fetch(`${web.baseUrl}${path}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
          body,
          redirect: 'manual',
        });
      // Another form without Origin on the same link, and one-click elsewhere, stay refused.
      expect((await post(`/unsubscribe/${token}`, 'intent=all')).status).toBe(403);
      expect((await post('/notifications', 'List-Unsubscribe=One-Click')).status).toBe(403);
      expect((await post(`/unsubscribe/${token}`, 'List-Unsubscribe=One-Click', { Origin: 'https://evil.example' })).status).toBe(403);
      expect(await preferencesOf(member)).toEqual({ replies: true, status_changes: true });

      const answer = await post(`/unsubscribe/${token}`, 'List-Unsubscribe=One-Click');
      expect(answer.status).toBe(200);
      expect(await preferencesOf(member)).toEqual({ replies: false, status_changes: false });

      const unknown = await fetch(`${web.baseUrl}/unsubscribe/${'b'.repeat(32)}`);
      expect(unknown.status).toBe(404);
      expect(await unknown.text()).toContain(en.notifications.unsubscribe.notFoundTitle);
    } finally {
      await web.close();
    }
  }, 120_000);
});

describe('admin settings for triage and mail', () => {
  it('saves the triage deadline and the neutral-subject switch, unchecked meaning off', async () => {
    const form = {
      anonymityThreshold: '5',
      currency: 'CNY',
      defaultLocale: 'en',
      sessionIdleMinutes: String(60 * 24 * 7),
      sessionAbsoluteDays: '30',
      inviteExpiryDays: '14',
      tierWeightStrategic: '5',
      tierWeightMajor: '3',
      tierWeightStandard: '1',
      postsPerHour: '10',
      commentsPerHour: '60',
      triageSlaHours: '72',
      twoApproverThreshold: '50,000.00',
      perPersonCap: '200,000.00',
      lowBalanceThreshold: '100,000.00',
      withholdingPercent: '20',
    };
    const saved = await call(adminSettingsRoute.action as Handler, '/admin/settings', {}, admin, form);
    expect(saved.status).toBe(302);
    const stored = await call(adminSettingsRoute.loader as Handler, '/admin/settings', {}, admin);
    expect(stored.data.settings).toMatchObject({ triageSlaHours: 72, mailSubjectsNeutral: false });

    await call(adminSettingsRoute.action as Handler, '/admin/settings', {}, admin, { ...form, triageSlaHours: '48', mailSubjectsNeutral: 'on' });
    expect((await call(adminSettingsRoute.loader as Handler, '/admin/settings', {}, admin)).data.settings).toMatchObject({
      triageSlaHours: 48,
      mailSubjectsNeutral: true,
    });

    const bad = await call(adminSettingsRoute.action as Handler, '/admin/settings', {}, admin, { ...form, triageSlaHours: '0' });
    expect(bad.status).toBe(400);
    expect(bad.data.result.error.triageSlaHours).toEqual([`admin.errors.outOfRange?min=1&max=${24 * 30}`]);
  });
});

describe('through the worker', () => {
  it('turns a comment into a notification by way of the outbox relay and the queue', async () => {
    const { postId } = await newPost();
    const reader = await makeUser(app, { orgId });
    await followPost(db(), actor(reader), postId);
    const workers = await startWorkers(app.services);
    try {
      const { id } = await addComment(db(), actor(commenter), { postId, body: 'Through the queue.' });
      const deadline = Date.now() + 20_000;
      let rows = await notificationsOf(reader.id, postId);
      while (rows.length === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        rows = await notificationsOf(reader.id, postId);
      }
      expect(rows).toMatchObject([{ kind: 'comment', comment_id: id, source_key: `comment:${id}` }]);
    } finally {
      await workers.close();
    }
  }, 40_000);
});
