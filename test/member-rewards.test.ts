// The member's side of rewards: their own rewards and what each status means,
// amounts formatted exactly from bigint minor units, the claim page that
// seals payout details in the vault and never shows them again in full, and
// the notifications (and mails) that tell them of an approval or a payment.
import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { formatMoney } from '../app/domain/money/money.js';
import { describeNotification, notificationHref, type NotificationView } from '../app/domain/notifications/describe-notification.js';
import { listNotifications } from '../app/domain/notifications/list-notifications.server.js';
import { MAIL_PREFERENCE_OF } from '../app/domain/notifications/mail-preferences.js';
import { sendNotificationMails } from '../app/domain/notifications/send-notification-mails.server.js';
import { setMailPreferences } from '../app/domain/notifications/set-mail-preferences.server.js';
import { setRewardMode } from '../app/domain/orgs/set-reward-mode.server.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { PayoutDetailsSchema, saveMemberPayoutDetails, saveOrgPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { returnPayment, runPayout, settlePayment } from '../app/domain/payouts/run-payout.server.js';
import { decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { listMyRewards } from '../app/domain/rewards/list-my-rewards.server.js';
import { PayoutDetailsFormSchema } from '../app/domain/rewards/payout-details-form.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import en from '../app/locales/en.js';
import * as myRewardsRoute from '../app/routes/rewards.js';
import * as payoutRoute from '../app/routes/rewards_.payout.js';
import { getT } from '../app/utils/i18n.js';
import { localeCookie } from '../app/utils/locale.server.js';
import type { Mailer, OutgoingMail } from '../app/utils/mail.server.js';
import { createPostRow, type CreatedUser } from '../db/factories.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeApprovedReward, makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let world: RewardWorld;
let web: TestWebServer;

const db = () => app.services.db;
const keys = () => app.services.vaultKeys;
const bank = () => ({ db: db(), keys: keys(), adapter: bankBatchAdapter(db()) });
const actorOf = (user: { id: string }, orgId: string | null = world.orgId): Actor => ({ id: user.id, orgId, roles: [] });

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app);
  web = await startTestWebServer(app);
}, 120_000);

afterAll(async () => {
  await web?.close();
  await app?.close();
});

interface Outcome {
  status: number;
  location?: string | null;
  headers?: Headers | HeadersInit;
  data?: any;
}

async function call(handler: Handler, path: string, userId: string | null, form?: Record<string, string>, cookie = ''): Promise<Outcome> {
  const session = userId ? await sessionCookieFor(app, userId) : '';
  const request = makeRequest(path, { form, cookie: [session, cookie].filter(Boolean).join('; ') || undefined, method: form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
  if (response) return { status: response.status, location: response.headers.get('Location'), headers: response.headers };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data, headers: wrapped.init?.headers };
  }
  return { status: 200, data: value };
}

/** A post by `author` moved to planned, as the adoption worker would nominate it. */
async function nominate(author: { id: string }, title = `Request ${Math.random().toString(36).slice(2, 8)}`): Promise<{ nominationId: string; postId: string }> {
  const postId = await createPostRow(db(), { authorId: author.id, productAreaId: world.areaId, title });
  await db().transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId, to: 'planned' }]));
  await reconcileNominations(db(), postId);
  const nomination = await db().selectFrom('nomination').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
  await db().updateTable('nomination').set({ pool_id: world.poolId }).where('id', '=', nomination.id).execute();
  return { nominationId: nomination.id, postId };
}

const approve = (nominationId: string) => decideNomination(db(), world.approver, { nominationId, decision: 'approve' });
const rewardOf = async (nominationId: string) =>
  (await db().selectFrom('reward').select('id').where('nomination_id', '=', nominationId).executeTakeFirstOrThrow()).id;
const paymentOf = async (rewardId: string) =>
  (await db().selectFrom('payment').select('id').where('reward_id', '=', rewardId).orderBy('created_at', 'desc').executeTakeFirstOrThrow()).id;

const GOOD_DETAILS = { accountHolder: 'Zebulon Quartermaine', accountNumber: 'GB33 BUKB 2020 1555 5555 55', bankName: 'Quillon Savings Bank', bic: 'BUKBGB22' };
const ACCOUNT_DIGITS = 'GB33BUKB20201555555555';

describe('my rewards', () => {
  let member: CreatedUser;
  let other: CreatedUser;
  const titles: Record<string, string> = {};

  beforeAll(async () => {
    member = await makeUser(app, { orgId: world.orgId });
    other = await makeUser(app, { orgId: world.orgId });
    // Approved, waiting for details (the member has none yet).
    const waiting = await nominate(member, 'Waiting for details');
    await approve(waiting.nominationId);
    // Still being reviewed.
    await nominate(member, 'Under review by finance');
    // Rejected.
    const rejected = await nominate(member, 'Rejected one');
    await decideNomination(db(), world.approver, { nominationId: rejected.nominationId, decision: 'reject', reason: 'Duplicate of a shipped feature.' });
    // Cancelled: the post went back before approval.
    const cancelled = await nominate(member, 'Rolled back');
    await db().transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId: cancelled.postId, to: 'under_review' }]));
    await reconcileNominations(db(), cancelled.postId);
    // Another member's reward, which must never show.
    const theirs = await nominate(other, 'Somebody else’s reward');
    await approve(theirs.nominationId);
    titles.theirs = theirs.nominationId;
  }, 60_000);

  it('lists only the member’s own rewards, each status explained, the banner counting those waiting for details', async () => {
    const page = await call(myRewardsRoute.loader as Handler, '/rewards', member.id);
    expect(page.status).toBe(200);
    const byTitle = Object.fromEntries(page.data.rewards.map((reward: any) => [reward.post.title, reward]));
    expect(Object.keys(byTitle).sort()).toEqual(['Rejected one', 'Rolled back', 'Under review by finance', 'Waiting for details']);
    expect(byTitle['Waiting for details']).toMatchObject({
      status: 'approved',
      role: 'author',
      trigger: 'request_adopted',
      explanation: 'rewards.explanations.approvedNeedsDetails',
      gross: formatMoney(1_000_000n, 'CNY', 'en'),
      withheld: formatMoney(200_000n, 'CNY', 'en'),
      net: formatMoney(800_000n, 'CNY', 'en'),
      milestone: { label: 'approvedOn', day: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    expect(byTitle['Under review by finance']).toMatchObject({ status: 'nominated', withheld: null, net: null });
    expect(byTitle['Rejected one']).toMatchObject({ status: 'rejected', explanation: 'rewards.explanations.rejected' });
    expect(byTitle['Rolled back']).toMatchObject({ status: 'cancelled', explanation: 'rewards.explanations.cancelled' });
    expect(page.data.awaitingDetails).toBe(1);
    expect(page.data.orgMode).toMatchObject({ mode: 'member' });
    expect(page.headers && new Headers(page.headers).get('Cache-Control')).toBe('private, no-store');

    // Nothing of the other member's: not their reward, post, id or pseudonym.
    const json = JSON.stringify(page.data);
    const theirs = await db().selectFrom('reward').select('id').where('beneficiary_id', '=', other.id).execute();
    for (const secret of [other.id, other.pseudonym, 'Somebody else', ...theirs.map((row) => row.id)]) expect(json).not.toContain(secret);
    // Day-level dates only.
    expect(json).not.toMatch(/T\d{2}:\d{2}/);
  });

  it('follows the cursor to the next page without ever leaving the member’s rewards', async () => {
    const first = await listMyRewards(db(), { id: member.id }, { limit: 3 });
    expect(first.rewards).toHaveLength(3);
    expect(first.nextAfter).toBe(first.rewards[2]!.id);
    const second = await listMyRewards(db(), { id: member.id }, { limit: 3, after: first.nextAfter! });
    expect(second.rewards).toHaveLength(1);
    expect(second.nextAfter).toBeNull();
    // Another member's reward id as the cursor finds nothing: it is not theirs.
    const theirs = await rewardOf(titles.theirs!);
    expect((await listMyRewards(db(), { id: member.id }, { after: theirs })).rewards).toEqual([]);
  });

  it('formats amounts exactly beyond a JS number’s precision, in the reader’s language', async () => {
    const rich = await makeUser(app, { orgId: world.orgId });
    const { nominationId } = await nominate(rich);
    await approve(nominationId);
    const rewardId = await rewardOf(nominationId);
    // 1,234,567,890,123,456.78 yuan: far above 2^53 minor units.
    await db()
      .updateTable('reward')
      .set({ gross_minor: '123456789012345678', withheld_minor: '23456789012345678', net_minor: '100000000000000000' })
      .where('id', '=', rewardId)
      .execute();
    const english = await call(myRewardsRoute.loader as Handler, '/rewards', rich.id);
    expect(english.data.rewards[0]).toMatchObject({
      gross: 'CN¥1,234,567,890,123,456.78',
      withheld: 'CN¥234,567,890,123,456.78',
      net: 'CN¥1,000,000,000,000,000.00',
    });
    const zhCookie = (await localeCookie.serialize('zh-CN')).split(';')[0]!;
    const chinese = await call(myRewardsRoute.loader as Handler, '/rewards', rich.id, undefined, zhCookie);
    expect(chinese.data.rewards[0].gross).toBe('¥1,234,567,890,123,456.78');
  });

  it('shows paid, then returned (waiting for new details), then approved again once they change', async () => {
    const payee = await makeUser(app, { orgId: world.orgId });
    await saveMemberPayoutDetails(db(), keys(), actorOf(payee), GOOD_DETAILS);
    const { nominationId } = await nominate(payee, 'Paid then returned');
    await approve(nominationId);
    const rewardId = await rewardOf(nominationId);
    await runPayout(bank(), rewardId);
    const status = async () => (await call(myRewardsRoute.loader as Handler, '/rewards', payee.id)).data;

    expect((await status()).rewards[0]).toMatchObject({ status: 'paying', explanation: 'rewards.explanations.paying' });
    const paymentId = await paymentOf(rewardId);
    await db().transaction().execute((trx) => settlePayment(trx, { paymentId, actorId: world.financeAdmin.id }));
    const paid = await status();
    expect(paid.rewards[0]).toMatchObject({ status: 'paid', explanation: 'rewards.explanations.paidMember', milestone: { label: 'paidOn' } });
    expect(paid.paidTotals).toEqual([formatMoney(800_000n, 'CNY', 'en')]);

    await db().transaction().execute((trx) => returnPayment(trx, { paymentId, actorId: world.financeAdmin.id, reason: 'Account closed' }));
    const returned = await status();
    expect(returned.rewards[0]).toMatchObject({ status: 'returned', explanation: 'rewards.explanations.returned' });
    expect(returned.awaitingDetails).toBe(1);
    expect(returned.paidTotals).toEqual([]);

    await new Promise((resolve) => setTimeout(resolve, 5));
    await saveMemberPayoutDetails(db(), keys(), actorOf(payee), { ...GOOD_DETAILS, accountNumber: 'GB94 BARC 1020 1530 0934 59' });
    const again = await status();
    expect(again.rewards[0]).toMatchObject({ status: 'approved', explanation: 'rewards.explanations.approvedMember' });
    expect(again.awaitingDetails).toBe(0);
  });

  it('shows a recognition-only reward without amounts, and one paid to the org as such', async () => {
    const recognitionOrg = await makeOrg(app, { name: 'Recognition Only Org', valueTier: 'standard' });
    const modest = await makeUser(app, { orgId: recognitionOrg });
    const recognised = await nominate(modest, 'Recognised post');
    await approve(recognised.nominationId);
    const page = await call(myRewardsRoute.loader as Handler, '/rewards', modest.id);
    expect(page.data.rewards[0]).toMatchObject({ status: 'recognised', gross: null, withheld: null, net: null });
    expect(page.data.awaitingDetails).toBe(0);
    expect(page.data.orgMode).toEqual({ mode: 'recognition', setBy: null, setDay: null });

    const payingOrg = await makeOrg(app, { name: 'Pays Itself Org', valueTier: 'standard' });
    const orgAdmin = await makeUser(app, { orgId: payingOrg, roles: ['org_admin'] });
    await setRewardMode(db(), { id: orgAdmin.id, orgId: payingOrg, roles: ['org_admin'] }, { mode: 'org', consent: true });
    const employee = await makeUser(app, { orgId: payingOrg });
    const toOrg = await nominate(employee, 'Paid to the org');
    await approve(toOrg.nominationId);
    const orgPage = await call(myRewardsRoute.loader as Handler, '/rewards', employee.id);
    expect(orgPage.data.rewards[0]).toMatchObject({ status: 'approved', explanation: 'rewards.explanations.approvedOrg' });
    // The org, not the member, gives the details: no banner for the member.
    expect(orgPage.data.awaitingDetails).toBe(0);
    // Paid to the org: shown as such, and not counted as paid to the member.
    await saveOrgPayoutDetails(db(), keys(), { id: orgAdmin.id, orgId: payingOrg, roles: ['org_admin'] }, GOOD_DETAILS);
    const rewardId = await rewardOf(toOrg.nominationId);
    await runPayout(bank(), rewardId);
    const paymentId = await paymentOf(rewardId);
    await db().transaction().execute((trx) => settlePayment(trx, { paymentId, actorId: null }));
    const paidPage = await call(myRewardsRoute.loader as Handler, '/rewards', employee.id);
    expect(paidPage.data.rewards[0]).toMatchObject({ status: 'paid', explanation: 'rewards.explanations.paidOrg' });
    expect(paidPage.data.paidTotals).toEqual([]);
  });

  it('shows an empty list to a member without rewards, and sends the anonymous to log in', async () => {
    const newcomer = await makeUser(app, { orgId: world.orgId });
    const page = await call(myRewardsRoute.loader as Handler, '/rewards', newcomer.id);
    expect(page.data).toMatchObject({ rewards: [], nextAfter: null, awaitingDetails: 0, paidTotals: [] });
    const anonymous = await call(myRewardsRoute.loader as Handler, '/rewards', null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=%2Frewards/);
  });
});

describe('the claim page', () => {
  it('seals the details in the vault, audits the write, and afterwards shows only the last four characters', async () => {
    const { memberId } = await makeApprovedReward(app, world, { payoutDetails: false });
    const before = await call(payoutRoute.loader as Handler, '/rewards/payout', memberId);
    expect(before.data).toEqual({ saved: null, mode: 'member', awaitingDetails: 1, showForm: true });

    const saved = await call(payoutRoute.action as Handler, '/rewards/payout', memberId, GOOD_DETAILS);
    expect(saved).toMatchObject({ status: 302, location: '/rewards/payout' });

    // Sealed: the row holds no plaintext of any field, only the last four characters apart.
    const row = await db()
      .selectFrom('identity_vault')
      .select(['sealed', 'last4'])
      .where('user_id', '=', memberId)
      .where('kind', '=', 'payout')
      .executeTakeFirstOrThrow();
    expect(row.last4).toBe('5555');
    const raw = [row.sealed.toString('utf8'), row.sealed.toString('latin1'), row.sealed.toString('hex')].join('\n');
    for (const plain of [ACCOUNT_DIGITS, '20201555', GOOD_DETAILS.accountHolder, GOOD_DETAILS.bankName, GOOD_DETAILS.bic]) {
      expect(raw).not.toContain(plain);
      expect(raw).not.toContain(Buffer.from(plain).toString('hex'));
    }
    // The audit row names the write and the last four, nothing more.
    const audits = await db().selectFrom('audit_log').select(['action', 'after']).where('subject_id', '=', memberId).where('action', '=', 'vault.write').execute();
    expect(audits).toEqual([{ action: 'vault.write', after: { kind: 'payout', last4: '5555' } }]);
    const allAudit = JSON.stringify(await db().selectFrom('audit_log').select(['before', 'after']).execute());
    expect(allAudit).not.toContain(ACCOUNT_DIGITS);
    expect(allAudit).not.toContain(GOOD_DETAILS.accountHolder);

    const after = await call(payoutRoute.loader as Handler, '/rewards/payout', memberId);
    expect(after.data).toEqual({
      saved: { last4: '5555', savedDay: new Date().toISOString().slice(0, 10) },
      mode: 'member',
      awaitingDetails: 0,
      showForm: true,
    });
    expect(JSON.stringify(after.data)).not.toContain('1555');
  });

  it('never returns the account number in the page, its data, or the answer to a refused form', async () => {
    const member = await makeUser(app, { orgId: world.orgId });
    await saveMemberPayoutDetails(db(), keys(), actorOf(member), GOOD_DETAILS);
    const cookie = await sessionCookieFor(app, member.id);
    const leaks = (body: string) =>
      [ACCOUNT_DIGITS, 'GB33 BUKB', '2020 1555', '20201555', GOOD_DETAILS.accountHolder, GOOD_DETAILS.bankName, GOOD_DETAILS.bic].filter((secret) =>
        body.includes(secret),
      );

    for (const path of ['/rewards/payout', '/rewards/payout.data', '/rewards', '/rewards.data']) {
      const response = await fetch(`${web.baseUrl}${path}`, { headers: { Cookie: cookie } });
      const body = await response.text();
      expect(response.status, path).toBe(200);
      expect(leaks(body), path).toEqual([]);
      if (path === '/rewards/payout') {
        expect(body).toContain('•••• 5555');
        // The replacement form is empty: no input carries a value.
        expect(body).not.toMatch(/name="account(Number|Holder)"[^>]*value="[^"]+"/);
      }
    }

    // A refused form (bad BIC) comes back without the account number it was sent with.
    const refused = await fetch(`${web.baseUrl}/rewards/payout`, {
      method: 'POST',
      // As a browser at the public address sends it (the server listens elsewhere in the test).
      headers: {
        Cookie: cookie,
        Origin: new URL(TEST_PUBLIC_URL).origin,
        'X-Forwarded-Host': new URL(TEST_PUBLIC_URL).host,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ ...GOOD_DETAILS, accountNumber: 'DE89 3704 0044 0532 0130 00', bic: 'NOPE' }),
    });
    const refusedBody = await refused.text();
    expect(refused.status).toBe(400);
    expect(refusedBody).toContain(en.rewards.payout.errors.bic_invalid);
    for (const secret of ['DE89', '370400440532013000', '3704 0044']) expect(refusedBody).not.toContain(secret);
  });

  it('refuses bad input with a message on the field, and saves nothing', async () => {
    const member = await makeUser(app, { orgId: world.orgId });
    const attempt = (form: Record<string, string>) => call(payoutRoute.action as Handler, '/rewards/payout', member.id, form);

    const badNumber = await attempt({ ...GOOD_DETAILS, accountNumber: '12-3' });
    expect(badNumber.status).toBe(400);
    expect(badNumber.data.result.error.accountNumber).toEqual(['rewards.payout.errors.account_number_invalid']);
    expect(badNumber.data.result.initialValue?.accountNumber).toBeUndefined();

    const badBic = await attempt({ ...GOOD_DETAILS, bic: 'ABC' });
    expect(badBic.data.result.error.bic).toEqual(['rewards.payout.errors.bic_invalid']);

    const missing = await attempt({ accountNumber: 'GB33BUKB20201555555555' });
    expect(missing.status).toBe(400);
    expect(missing.data.result.error).toMatchObject({ accountHolder: ['common.errors.required'], bankName: ['common.errors.required'] });

    expect(en.rewards.payout.errors.account_number_invalid).toMatch(/IBAN/);
    const rows = await db().selectFrom('identity_vault').select('user_id').where('user_id', '=', member.id).where('kind', '=', 'payout').execute();
    expect(rows).toEqual([]);
    const audits = await db().selectFrom('audit_log').select('id').where('subject_id', '=', member.id).where('action', '=', 'vault.write').execute();
    expect(audits).toEqual([]);
  });

  it('accepts and refuses the same details as the vault’s own schema does', () => {
    const samples: Array<Record<string, string>> = [
      GOOD_DETAILS,
      { accountHolder: '李四', accountNumber: '6222 0200 1234 5678 901', bankName: '中国工商银行' },
      { ...GOOD_DETAILS, bic: '' },
      { ...GOOD_DETAILS, bic: 'bukbgb22xxx' },
      { ...GOOD_DETAILS, accountNumber: '12345' },
      { ...GOOD_DETAILS, accountNumber: 'X'.repeat(35) },
      { ...GOOD_DETAILS, accountNumber: 'GB33/BUKB' },
      { ...GOOD_DETAILS, bic: 'BUKBGB2' },
      { ...GOOD_DETAILS, accountHolder: 'x'.repeat(141) },
    ];
    for (const sample of samples) {
      // Conform sends an empty field as absent.
      const formInput = Object.fromEntries(Object.entries(sample).filter(([, value]) => value !== ''));
      expect(PayoutDetailsFormSchema.safeParse(formInput).success, JSON.stringify(sample)).toBe(PayoutDetailsSchema.safeParse(sample).success);
    }
  });

  it('limits how often details can be changed', async () => {
    const member = await makeUser(app, { orgId: world.orgId });
    for (let index = 0; index < 10; index += 1) {
      expect((await call(payoutRoute.action as Handler, '/rewards/payout', member.id, GOOD_DETAILS)).status).toBe(302);
    }
    const refused = await call(payoutRoute.action as Handler, '/rewards/payout', member.id, GOOD_DETAILS);
    expect(refused.status).toBe(429);
    expect(refused.data.result.error[''][0]).toMatch(/^rewards\.payout\.errors\.rateLimited\?minutes=\d+$/);
    expect(new Headers(refused.headers).get('Retry-After')).toMatch(/^\d+$/);
  });

  it('explains that no personal details are needed when the org is paid instead, or takes recognition only', async () => {
    const recognitionOrg = await makeOrg(app, { name: 'Claim Recognition Org', valueTier: 'standard' });
    const recognised = await makeUser(app, { orgId: recognitionOrg });
    expect((await call(payoutRoute.loader as Handler, '/rewards/payout', recognised.id)).data).toEqual({
      saved: null,
      mode: 'recognition',
      awaitingDetails: 0,
      showForm: false,
    });
    const staff = await makeUser(app, { roles: ['triager'] });
    expect((await call(payoutRoute.loader as Handler, '/rewards/payout', staff.id)).data).toMatchObject({ mode: null, showForm: false });
    expect(en.rewards.payout.notNeededRecognition).toMatch(/do not need your bank details/);
    expect(en.rewards.payout.notNeededOrg).toMatch(/do not need your personal bank details/);
  });
});

describe('reward notifications', () => {
  const view = (kind: 'reward_approved' | 'reward_paid', post: NotificationView['post']): NotificationView => ({
    id: 'n1',
    kind,
    read: false,
    day: '2026-03-01',
    post,
    commentId: null,
    author: null,
    status: null,
    reason: null,
    mergedInto: null,
  });

  it('read as sentences in both languages, lead to the member’s rewards, and never name an amount', () => {
    const post = { id: 'p1', title: 'Alarm storm', isOwn: true };
    expect(describeNotification(getT('en'), 'en', view('reward_approved', post))).toBe('Your reward for “Alarm storm” was approved.');
    expect(describeNotification(getT('en'), 'en', view('reward_paid', post))).toBe('Your reward for “Alarm storm” was paid.');
    expect(describeNotification(getT('zh-CN'), 'zh-CN', view('reward_approved', post))).toBe('您因“Alarm storm”获得的奖励已获批准。');
    expect(describeNotification(getT('zh-CN'), 'zh-CN', view('reward_paid', post))).toBe('您因“Alarm storm”获得的奖励已发放。');
    // A post hidden since: still the member's own news, without the title.
    expect(describeNotification(getT('en'), 'en', view('reward_paid', null))).toBe('One of your rewards was paid.');
    expect(notificationHref(view('reward_approved', post))).toBe('/rewards');
    expect(notificationHref(view('reward_paid', null))).toBe('/rewards');
    expect(MAIL_PREFERENCE_OF.reward_approved).toBe('statusChanges');
    expect(MAIL_PREFERENCE_OF.reward_paid).toBe('statusChanges');
  });

  it('come by mail unless the member turned status mails off, with no amount or vendor in the subject', async () => {
    const sent: OutgoingMail[] = [];
    const mailer: Mailer = {
      keepsMailInDatabase: false,
      send: async (mail) => void sent.push(mail),
      sendInBackground: (mail) => void sent.push(mail),
      trySend: async (mail) => Boolean(sent.push(mail)),
      drain: async () => undefined,
    };
    // Start clean: earlier tests left notifications pending.
    await db().updateTable('notification').set({ mailed_at: sql<Date>`now()` }).where('mailed_at', 'is', null).execute();

    const { rewardId, memberId } = await makeApprovedReward(app, world);
    await runPayout(bank(), rewardId);
    const paymentId = await paymentOf(rewardId);
    await db().transaction().execute((trx) => settlePayment(trx, { paymentId, actorId: null }));
    const { notifications } = await listNotifications(db(), { id: memberId });
    expect(notifications.map((note) => note.kind).sort()).toEqual(['reward_approved', 'reward_paid']);

    const admin = await makeUser(app, { roles: ['admin'] });
    // By default the subject is neutral.
    await sendNotificationMails(db(), keys(), mailer, TEST_PUBLIC_URL);
    const paidMail = sent.find((one) => one.text.includes('was paid'))!;
    expect(paidMail.subject).toBe(en.notifications.mail.subjectNeutral);
    expect(paidMail.text).toContain('Your reward for “');
    expect(paidMail.text).toContain(`${TEST_PUBLIC_URL}/rewards`);
    // With titled subjects on, it names the post, still never the amount.
    await updateSettings(db(), admin.id, { mailSubjectsNeutral: false });
    await makeApprovedReward(app, world);
    sent.length = 0;
    await sendNotificationMails(db(), keys(), mailer, TEST_PUBLIC_URL);
    const approvedMail = sent.find((one) => one.text.includes('was approved'))!;
    expect(approvedMail.subject).toMatch(/^New activity on “Request /);
    await updateSettings(db(), admin.id, { mailSubjectsNeutral: true });
    for (const mail of [paidMail, approvedMail]) {
      expect(mail.subject).not.toMatch(/10,000|8,000|¥|CNY|Candor/);
      expect(mail.text).not.toMatch(/10,000|8,000|¥|CNY/);
    }

    // Turned off: the member's next reward notice stays in the app.
    const quiet = await makeApprovedReward(app, world, { payoutDetails: false });
    await setMailPreferences(db(), { id: quiet.memberId }, { replies: true, statusChanges: false });
    sent.length = 0;
    await sendNotificationMails(db(), keys(), mailer, TEST_PUBLIC_URL);
    const quietMail = await db()
      .selectFrom('notification')
      .select('mailed_at')
      .where('user_id', '=', quiet.memberId)
      .where('kind', '=', 'reward_approved')
      .executeTakeFirstOrThrow();
    expect(quietMail.mailed_at).not.toBeNull();
    expect(sent).toEqual([]);
  });
});
