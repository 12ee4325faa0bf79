// The public recognition pages: the hall of fame (paid and recognition-only
// rewards, by pseudonym and month, opt-out respected) and the KOL
// leaderboard with the reputation and badges adopted posts earn.
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { mergePosts } from '../app/domain/merges/merge-posts.server.js';
import { formatMoney } from '../app/domain/money/money.js';
import { setRewardMode } from '../app/domain/orgs/set-reward-mode.server.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { saveMemberPayoutDetails, saveOrgPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { runPayout, settlePayment } from '../app/domain/payouts/run-payout.server.js';
import { getProfile } from '../app/domain/profiles/get-profile.server.js';
import { listLeaderboard } from '../app/domain/profiles/list-leaderboard.server.js';
import { decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { listHallOfFame } from '../app/domain/rewards/hall-of-fame.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import * as hallOfFameRoute from '../app/routes/hall-of-fame.js';
import * as leaderboardRoute from '../app/routes/leaderboard.js';
import * as settingsRoute from '../app/routes/settings.js';
import { createPostRow, type CreatedUser } from '../db/factories.js';
import type { PostStatus } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let world: RewardWorld;
let web: TestWebServer;
const db = () => app.services.db;

// Distinctive real identities and org names: none may appear on a public page.
const PAID = { name: 'Isembard Thistlewood', email: 'isembard.secret@hof-paid.example' };
const RECOGNISED = { name: 'Perpetua Ravensworth', email: 'perpetua.secret@hof-recognised.example' };
const SHY = { name: 'Ottoline Fernsby', email: 'ottoline.secret@hof-shy.example' };
const PAID_ORG_NAME = 'Quillfeather Telecom Holdings';
const RECOGNITION_ORG_NAME = 'Obsidian Heron Networks';

let paidMember: CreatedUser;
let recognisedMember: CreatedUser;
let shyMember: CreatedUser;
let orgPaidMember: CreatedUser;
const posts: Record<string, string> = {};

async function nominate(author: CreatedUser, title: string): Promise<string> {
  const postId = await createPostRow(db(), { authorId: author.id, productAreaId: world.areaId, title });
  posts[title] = postId;
  await db().transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId, to: 'planned' }]));
  await reconcileNominations(db(), postId);
  const nomination = await db().selectFrom('nomination').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
  await db().updateTable('nomination').set({ pool_id: world.poolId }).where('id', '=', nomination.id).execute();
  await decideNomination(db(), world.approver, { nominationId: nomination.id, decision: 'approve' });
  return (await db().selectFrom('reward').select('id').where('nomination_id', '=', nomination.id).executeTakeFirstOrThrow()).id;
}

async function pay(rewardId: string): Promise<void> {
  await runPayout({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) }, rewardId);
  const payment = await db().selectFrom('payment').select('id').where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
  await db().transaction().execute((trx) => settlePayment(trx, { paymentId: payment.id, actorId: world.financeAdmin.id }));
}

const details = { accountHolder: 'Payee', accountNumber: 'CN12 3456 7890 1234', bankName: 'Bank' };

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app);
  await db().updateTable('org').set({ name: PAID_ORG_NAME }).where('id', '=', world.orgId).execute();
  const actor = (user: CreatedUser, orgId: string): Actor => ({ id: user.id, orgId, roles: [] });

  paidMember = await makeUser(app, { orgId: world.orgId, ...PAID });
  await saveMemberPayoutDetails(db(), app.services.vaultKeys, actor(paidMember, world.orgId), details);
  await pay(await nominate(paidMember, 'Paid and famous'));

  const recognitionOrg = await makeOrg(app, { name: RECOGNITION_ORG_NAME, valueTier: 'strategic' });
  recognisedMember = await makeUser(app, { orgId: recognitionOrg, ...RECOGNISED });
  await nominate(recognisedMember, 'Recognised only');

  shyMember = await makeUser(app, { orgId: world.orgId, ...SHY });
  await saveMemberPayoutDetails(db(), app.services.vaultKeys, actor(shyMember, world.orgId), details);
  await pay(await nominate(shyMember, 'Shy member’s post'));
  await db().updateTable('app_user').set({ hall_of_fame_opt_out: true }).where('id', '=', shyMember.id).execute();

  // Paid to the org instead: the member is still the one honoured.
  const payingOrg = await makeOrg(app, { name: 'Pays Itself Org', valueTier: 'major' });
  const orgAdmin: Actor = { id: (await makeUser(app, { orgId: payingOrg, roles: ['org_admin'] })).id, orgId: payingOrg, roles: ['org_admin'] };
  await setRewardMode(db(), orgAdmin, { mode: 'org', consent: true });
  await saveOrgPayoutDetails(db(), app.services.vaultKeys, orgAdmin, details);
  orgPaidMember = await makeUser(app, { orgId: payingOrg });
  await pay(await nominate(orgPaidMember, 'Paid to the org'));

  // Not (yet) in the hall of fame: approved but unpaid, and paid for a post hidden since.
  const waiting = await makeUser(app, { orgId: world.orgId });
  await nominate(waiting, 'Approved, not paid');
  const hiddenAuthor = await makeUser(app, { orgId: world.orgId });
  await saveMemberPayoutDetails(db(), app.services.vaultKeys, actor(hiddenAuthor, world.orgId), details);
  await pay(await nominate(hiddenAuthor, 'Hidden since'));
  await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'test' }).where('id', '=', posts['Hidden since']!).execute();

  web = await startTestWebServer(app);
}, 180_000);

afterAll(async () => {
  await web?.close();
  await app?.close();
});

async function load(handler: Handler, path: string, userId?: string): Promise<{ status: number; location?: string | null; data?: any }> {
  const cookie = userId ? await sessionCookieFor(app, userId) : undefined;
  const request = makeRequest(path, { cookie });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  return { status: 200, data: value };
}

const SECRETS = [PAID, RECOGNISED, SHY].flatMap((person) => [person.name, person.email, person.email.split('@')[0]!]).concat([
  PAID_ORG_NAME,
  RECOGNITION_ORG_NAME,
  'Pays Itself Org',
]);

describe('hall of fame', () => {
  it('lists paid rewards with their gross amount and recognition-only ones without, by pseudonym and month', async () => {
    const { status, data } = await load(hallOfFameRoute.loader as Handler, '/hall-of-fame');
    expect(status).toBe(200);
    const byTitle = Object.fromEntries(data.entries.map((entry: any) => [entry.post.title, entry]));
    expect(Object.keys(byTitle).sort()).toEqual(['Paid and famous', 'Paid to the org', 'Recognised only']);
    const month = new Date().toISOString().slice(0, 7);
    expect(byTitle['Paid and famous']).toMatchObject({
      member: { id: paidMember.id, pseudonym: paidMember.pseudonym },
      post: { id: posts['Paid and famous'] },
      amount: formatMoney(1_000_000n, 'CNY', 'en'),
      month,
    });
    expect(byTitle['Paid to the org']).toMatchObject({ member: { id: orgPaidMember.id }, amount: formatMoney(1_000_000n, 'CNY', 'en') });
    expect(byTitle['Recognised only']).toMatchObject({ member: { id: recognisedMember.id }, amount: null, month });
  });

  it('never shows a real name, email, org name, a day, or anything of a member who opted out', async () => {
    const { data } = await load(hallOfFameRoute.loader as Handler, '/hall-of-fame');
    const json = JSON.stringify(data);
    for (const secret of [...SECRETS, shyMember.id, shyMember.pseudonym, 'Shy member', 'Hidden since', 'Approved, not paid']) {
      expect(json).not.toContain(secret);
    }
    expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const entry of data.entries) expect(Object.keys(entry).sort()).toEqual(['amount', 'id', 'member', 'month', 'post']);
  });

  it('renders pseudonyms linking to their profiles, for anyone, with nothing identifying in the page or its data', async () => {
    for (const path of ['/hall-of-fame', '/hall-of-fame.data', '/leaderboard', '/leaderboard.data']) {
      const response = await fetch(`${web.baseUrl}${path}`);
      const body = await response.text();
      expect(response.status, path).toBe(200);
      for (const secret of [...SECRETS, shyMember.pseudonym]) expect(body, `${secret} on ${path}`).not.toContain(secret);
      if (path === '/hall-of-fame') {
        expect(body).toContain(`href="/u/${paidMember.id}"`);
        expect(body).toContain(paidMember.pseudonym);
        expect(body).toContain('Recognised');
      }
    }
  });

  it('shows the Chinese pseudonym to a zh-CN reader', async () => {
    const zh = await listHallOfFame(db(), { locale: 'zh-CN' });
    const row = await db().selectFrom('app_user').select('pseudonym_zh').where('id', '=', paidMember.id).executeTakeFirstOrThrow();
    expect(zh.entries.find((entry) => entry.member.id === paidMember.id)?.member.pseudonym).toBe(row.pseudonym_zh);
  });

  it('pages newest first with a cursor', async () => {
    const all = await listHallOfFame(db(), {});
    const first = await listHallOfFame(db(), { limit: 2 });
    expect(first.entries.map((entry) => entry.id)).toEqual(all.entries.slice(0, 2).map((entry) => entry.id));
    expect(first.nextAfter).toBe(first.entries[1]!.id);
    const rest = await load(hallOfFameRoute.loader as Handler, `/hall-of-fame?after=${first.nextAfter}`);
    expect(rest.data.entries.map((entry: any) => entry.id)).toEqual(all.entries.slice(2).map((entry) => entry.id));
    expect(rest.data.nextAfter).toBeNull();
  });

  it('lets a member opt out on the settings page, audited, and back in', async () => {
    const settingsAs = async (form?: Record<string, string>) => {
      const cookie = await sessionCookieFor(app, paidMember.id);
      const request = makeRequest('/settings', { form, cookie, method: form ? 'POST' : 'GET' });
      const handler = (form ? settingsRoute.action : settingsRoute.loader) as Handler;
      const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
      return { response, value: value as any };
    };
    const listed = async () => (await listHallOfFame(db(), {})).entries.some((entry) => entry.member.id === paidMember.id);

    const out = await settingsAs({ intent: 'hall-of-fame', optOut: 'on' });
    expect(out.response?.status).toBe(302);
    expect(out.response?.headers.get('Location')).toBe('/settings#hall-of-fame');
    expect(await listed()).toBe(false);
    expect((await listLeaderboard(db())).some((row) => row.member.id === paidMember.id)).toBe(false);
    expect((await settingsAs()).value.data.hallOfFameOptOut).toBe(true);

    // An unticked box is not sent at all: back in.
    await settingsAs({ intent: 'hall-of-fame' });
    expect(await listed()).toBe(true);
    const audits = await db()
      .selectFrom('audit_log')
      .select(['action', 'before', 'after'])
      .where('subject_id', '=', paidMember.id)
      .where('action', '=', 'user.hall_of_fame_opt_out')
      .orderBy('created_at')
      .execute();
    expect(audits).toEqual([
      { action: 'user.hall_of_fame_opt_out', before: { optOut: false }, after: { optOut: true } },
      { action: 'user.hall_of_fame_opt_out', before: { optOut: true }, after: { optOut: false } },
    ]);
  });
});

describe('reputation, badges and the leaderboard', () => {
  let kol: CreatedUser;
  let coauthor: CreatedUser;

  beforeAll(async () => {
    kol = await makeUser(app, { orgId: world.orgId });
    coauthor = await makeUser(app, { orgId: world.orgId });
    const statuses: PostStatus[] = ['planned', 'in_progress', 'shipped', 'shipped', 'planned', 'open', 'declined'];
    for (const [index, status] of statuses.entries()) {
      const postId = await createPostRow(db(), { authorId: kol.id, productAreaId: world.areaId, title: `KOL idea ${index}`, status });
      posts[`kol-${index}`] = postId;
    }
    // The co-author's duplicate, merged into one of the KOL's shipped posts, shares its credit.
    const duplicate = await createPostRow(db(), { authorId: coauthor.id, productAreaId: world.areaId, title: 'Same idea, earlier words' });
    await mergePosts(db(), world.triager, { sourceId: duplicate, targetId: posts['kol-2']! });
    // A hidden adopted post counts for nothing.
    const hidden = await createPostRow(db(), { authorId: kol.id, productAreaId: world.areaId, title: 'Hidden adopted', status: 'shipped' });
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'test' }).where('id', '=', hidden).execute();
    // Vendor staff never rank, even with adopted posts.
    const staff = await makeUser(app, { roles: ['product_admin'] });
    await createPostRow(db(), { authorId: staff.id, productAreaId: world.areaId, title: 'Staff idea', status: 'shipped' });
  }, 60_000);

  it('awards 5 points per adopted post and 10 more when shipped, with the adoption badges', async () => {
    const rows = await listLeaderboard(db());
    const kolRow = rows.find((row) => row.member.id === kol.id)!;
    // Five adopted (two shipped): 5 × 5 + 2 × 10.
    expect(kolRow).toMatchObject({ adopted: 5, shipped: 2, points: 45, badges: ['adopted', 'five_adopted', 'shipped'], rank: 1 });
    const coauthorRow = rows.find((row) => row.member.id === coauthor.id)!;
    expect(coauthorRow).toMatchObject({ adopted: 1, shipped: 1, points: 15, badges: ['adopted', 'shipped'] });
    // Members with one planned post each share a rank.
    const fives = rows.filter((row) => row.points === 5);
    expect(fives.length).toBeGreaterThan(1);
    expect(new Set(fives.map((row) => row.rank)).size).toBe(1);
    // Sorted by points; no staff, nobody who opted out.
    expect(rows.map((row) => row.points)).toEqual([...rows.map((row) => row.points)].sort((a, b) => b - a));
    const staffIds = await db().selectFrom('user_role').select('user_id').execute();
    for (const row of rows) expect(staffIds.map((one) => one.user_id)).not.toContain(row.member.id);
    expect(rows.some((row) => row.member.id === shyMember.id)).toBe(false);
  });

  it('shows the same on the public profile: reputation counts votes, adoption and shipping', async () => {
    await db().updateTable('post').set({ vote_count: 3 }).where('id', '=', posts['kol-0']!).execute();
    const profile = await getProfile(db(), { userId: kol.id });
    expect(profile.reputation).toBe(3 + 45);
    expect(profile.badges).toEqual(['first_post', 'adopted', 'five_adopted', 'shipped']);
    const coauthorProfile = await getProfile(db(), { userId: coauthor.id });
    expect(coauthorProfile.reputation).toBe(15);
    expect(coauthorProfile.badges).toEqual(['first_post', 'adopted', 'shipped']);
  });

  it('serves the leaderboard publicly with pseudonyms and numbers only', async () => {
    const { status, data } = await load(leaderboardRoute.loader as Handler, '/leaderboard');
    expect(status).toBe(200);
    expect(data.rows.find((row: any) => row.member.id === kol.id)).toMatchObject({ member: { pseudonym: kol.pseudonym }, points: 45 });
    const json = JSON.stringify(data);
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    expect(json).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    for (const row of data.rows) expect(Object.keys(row).sort()).toEqual(['adopted', 'badges', 'member', 'points', 'rank', 'shipped']);
  });
});
