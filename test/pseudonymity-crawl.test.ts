import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.js';
import { createInvite } from '../app/domain/admin/create-invite.server.js';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { hideContent } from '../app/domain/moderation/hide-content.server.js';
import { reportContent } from '../app/domain/moderation/report-content.server.js';
import { mergePosts } from '../app/domain/merges/merge-posts.server.js';
import { ensureMailPreferences } from '../app/domain/notifications/ensure-mail-preferences.server.js';
import { notifyCommentCreated } from '../app/domain/notifications/notify-comment-created.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import { createRoadmapItem } from '../app/domain/roadmap/create-roadmap-item.server.js';
import { linkPostToRoadmapItem } from '../app/domain/roadmap/link-post-to-roadmap-item.server.js';
import { shipRoadmapItem } from '../app/domain/roadmap/ship-roadmap-item.server.js';
import { createTag } from '../app/domain/tags/create-tag.server.js';
import { triagePost } from '../app/domain/triage/triage-post.server.js';
import { setRewardMode } from '../app/domain/orgs/set-reward-mode.server.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { saveMemberPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { runPayout, settlePayment } from '../app/domain/payouts/run-payout.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { adjustNomination, decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { createPostRow, createProductArea } from '../db/factories.js';
import { sessionCookieFor } from './support/http.js';
import { createTestApp, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

// Distinctive real identities: none of these strings may reach any page, data
// response or header, except a person's own settings page.
const PEOPLE: Array<{ key: string; roles: Role[]; inOrg: boolean }> = [
  { key: 'member', roles: [], inOrg: true },
  { key: 'org_admin', roles: ['org_admin'], inOrg: true },
  { key: 'triager', roles: ['triager'], inOrg: false },
  { key: 'product_admin', roles: ['product_admin'], inOrg: false },
  { key: 'finance_approver', roles: ['finance_approver'], inOrg: false },
  { key: 'finance_admin', roles: ['finance_admin'], inOrg: false },
  { key: 'admin', roles: ['admin'], inOrg: false },
  { key: 'auditor', roles: ['auditor'], inOrg: false },
];

interface Person {
  key: string;
  id: string;
  name: string;
  email: string;
  cookie: string;
}

let app: TestApp;
let web: TestWebServer;
let orgId: string;
let postId: string;
let duplicateId: string;
let unsubscribeToken: string;
let triagedId: string;
let financePoolId: string;
let financeNominationIds: string[] = [];
let financeBatchId: string;
const people: Person[] = [];

beforeAll(async () => {
  app = await createTestApp();
  orgId = await makeOrg(app, { name: 'Crawl Org', valueTier: 'major', domains: ['crawl-org.example'] });
  for (const [index, person] of PEOPLE.entries()) {
    const name = `Xanthippe Quorvaldt${index}`;
    const email = `zq.secret${index}@crawl-org.example`;
    const user = await makeUser(app, { name, email, roles: person.roles, orgId: person.inOrg ? orgId : null });
    people.push({ key: person.key, id: user.id, name, email, cookie: await sessionCookieFor(app, user.id) });
  }
  // An invite and a vault read, so lists and the audit log have content.
  const admin = people.find((person) => person.key === 'admin')!;
  await createInvite(
    app.services.db,
    app.services.vaultKeys,
    { id: admin.id, orgId: null, roles: ['admin'] },
    { email: 'zq.invitee@crawl-org.example', orgId, roles: [] },
    TEST_PUBLIC_URL,
  );
  // A member's post, voted on and commented by others, official reply included.
  const by = (key: string) => {
    const person = people.find((one) => one.key === key)!;
    const spec = PEOPLE.find((one) => one.key === key)!;
    return { id: person.id, orgId: spec.inOrg ? orgId : null, roles: spec.roles };
  };
  const areaId = await createProductArea(app.services.db, { slug: 'crawl', nameEn: 'Crawl area', nameZh: '爬取' });
  postId = await createPostRow(app.services.db, { authorId: by('member').id, productAreaId: areaId, title: 'Crawled post' });
  for (const key of ['org_admin', 'triager', 'finance_admin']) await toggleVote(app.services.db, by(key), { postId });
  // A duplicate by another member, voted on and merged into the post: its page, the list of merged duplicates.
  duplicateId = await createPostRow(app.services.db, { authorId: by('org_admin').id, productAreaId: areaId, title: 'Crawled duplicate' });
  await toggleVote(app.services.db, by('finance_approver'), { postId: duplicateId });
  await mergePosts(app.services.db, by('triager'), { sourceId: duplicateId, targetId: postId });
  const { id: commentId } = await addComment(app.services.db, by('org_admin'), { postId, body: 'Same here.' });
  const { id: replyId } = await addComment(app.services.db, by('triager'), { postId, parentId: commentId, body: 'Looking into it.' });
  // The author's notification centre has lines naming both writers, and an unsubscribe link.
  await notifyCommentCreated(app.services.db, commentId);
  await notifyCommentCreated(app.services.db, replyId);
  const memberId = by('member').id;
  unsubscribeToken = (await ensureMailPreferences(app.services.db, [memberId])).get(memberId)!;
  // The roadmap: a planned item with the post on it, and a shipped one in the changelog and its feed.
  const planned = await createRoadmapItem(app.services.db, by('triager'), { title: 'Crawl roadmap item' });
  await linkPostToRoadmapItem(app.services.db, by('triager'), { itemId: planned.itemId, postId });
  const shipped = await createRoadmapItem(app.services.db, by('triager'), { title: 'Crawl shipped item' });
  const shippedPostId = await createPostRow(app.services.db, { authorId: memberId, productAreaId: areaId, title: 'Crawled shipped post' });
  await linkPostToRoadmapItem(app.services.db, by('triager'), { itemId: shipped.itemId, postId: shippedPostId });
  await shipRoadmapItem(app.services.db, by('triager'), { itemId: shipped.itemId, version: 2 });
  // Reports with a note and a hidden comment: the moderation queue and its hidden list have content.
  await reportContent(app.services.db, by('org_admin'), { postId, reason: 'identifying', note: 'Mentions a site code' });
  const { id: rudeId } = await addComment(app.services.db, by('finance_approver'), { postId, body: 'Rude remark.' });
  await reportContent(app.services.db, by('auditor'), { postId, commentId: rudeId, reason: 'abuse', note: 'Rude' });
  await hideContent(app.services.db, by('triager'), { postId, commentId: rudeId, reason: 'Keep it civil' });
  const { id: reportedId } = await addComment(app.services.db, by('finance_admin'), { postId, body: 'Off-topic aside.' });
  await reportContent(app.services.db, by('admin'), { postId, commentId: reportedId, reason: 'off_topic' });
  // Triage: a tagged post with a status change and its note on the timeline, and
  // an untriaged one assigned to the triager, so the inbox has an assignee column.
  const { tagId } = await createTag(app.services.db, by('product_admin'), { slug: 'crawl-tag', nameEn: 'Crawl tag', nameZh: '爬取标签', color: 'blue' });
  triagedId = await createPostRow(app.services.db, { authorId: memberId, productAreaId: areaId, title: 'Crawled triaged post' });
  await triagePost(app.services.db, by('triager'), {
    postId: triagedId,
    expectedVersion: 1,
    productAreaId: areaId,
    tagIds: [tagId],
    assigneeId: by('product_admin').id,
    status: 'under_review',
    note: 'Reproduced in the lab.',
  });
  const waitingId = await createPostRow(app.services.db, { authorId: memberId, productAreaId: areaId, title: 'Crawled waiting post' });
  await triagePost(app.services.db, by('product_admin'), {
    postId: waitingId,
    expectedVersion: 1,
    productAreaId: areaId,
    assigneeId: by('triager').id,
    status: 'open',
  });
  // A paid reward for the member, whose payout details name them as the account holder:
  // /rewards, the claim page, the org page, the hall of fame and the leaderboard have content.
  const db = app.services.db;
  await setRewardMode(db, by('org_admin'), { mode: 'member', consent: true });
  const year = new Date().getUTCFullYear();
  const { id: poolId } = await createPool(db, by('finance_admin'), {
    name: 'Crawl pool',
    currency: 'CNY',
    budgetMinor: 100_000_00n,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
  });
  await topUpPool(db, by('finance_admin'), { poolId, amountMinor: 100_000_00n, reason: 'Crawl budget', submissionKey: 'crawl-top-up' });
  const rewardedId = await createPostRow(db, { authorId: memberId, productAreaId: areaId, title: 'Crawled rewarded post' });
  await db.transaction().execute((trx) => applyStatusChanges(trx, by('triager').id, [{ postId: rewardedId, to: 'planned' }]));
  await reconcileNominations(db, rewardedId);
  const nomination = await db.selectFrom('nomination').select('id').where('post_id', '=', rewardedId).executeTakeFirstOrThrow();
  await decideNomination(db, by('finance_approver'), { nominationId: nomination.id, decision: 'approve' });
  const member = people.find((person) => person.key === 'member')!;
  await saveMemberPayoutDetails(db, app.services.vaultKeys, by('member'), {
    accountHolder: member.name,
    accountNumber: 'CN00 1111 2222 3333 4444',
    bankName: 'Crawl Bank',
  });
  const reward = await db.selectFrom('reward').select('id').where('nomination_id', '=', nomination.id).executeTakeFirstOrThrow();
  await runPayout({ db, keys: app.services.vaultKeys, adapter: bankBatchAdapter(db) }, reward.id);
  const payment = await db.selectFrom('payment').select('id').where('reward_id', '=', reward.id).executeTakeFirstOrThrow();
  await db.transaction().execute((trx) => settlePayment(trx, { paymentId: payment.id, actorId: by('finance_admin').id }));
  // The finance pages: the pool, the paid nomination above, and a pending one the
  // finance admin adjusted; its reward is flagged so the flagged tab has a row.
  financePoolId = poolId;
  const nominatedId = await createPostRow(db, { authorId: memberId, productAreaId: areaId, title: 'Crawled nominated post' });
  await db.transaction().execute((trx) => applyStatusChanges(trx, by('triager').id, [{ postId: nominatedId, to: 'planned' }]));
  await reconcileNominations(db, nominatedId);
  const pending = await db.selectFrom('nomination').select('id').where('post_id', '=', nominatedId).executeTakeFirstOrThrow();
  await adjustNomination(db, by('finance_admin'), { nominationId: pending.id, amountMinor: 12_000_00n, reason: 'Crawl adjustment' });
  await db.updateTable('reward').set({ flagged_at: new Date() }).where('nomination_id', '=', pending.id).execute();
  financeNominationIds = [pending.id, nomination.id];
  // The bank batch the paid reward went through: its page, the reports and the ledger.
  financeBatchId = (await db.selectFrom('payment').select('batch_id').where('id', '=', payment.id).executeTakeFirstOrThrow()).batch_id!;
  web = await startTestWebServer(app);
}, 120_000);

afterAll(async () => {
  await web?.close();
  await app?.close();
});

/** Every page a signed-in or anonymous visitor can reach by GET. */
function pages(): string[] {
  return [
    '/',
    '/login',
    '/signup',
    '/forgot-password',
    '/settings',
    '/org',
    '/admin/orgs',
    `/admin/orgs/${orgId}`,
    '/admin/invites',
    '/admin/staff',
    '/admin/settings',
    '/audit',
    `/posts/${postId}`,
    '/posts',
    '/posts/new',
    `/posts/${postId}/edit`,
    '/search',
    '/admin/areas',
    '/moderation',
    '/moderation?view=hidden',
    `/report?postId=${postId}`,
    '/roadmap',
    '/roadmap/manage',
    '/changelog',
    '/changelog.atom',
    `/posts/${duplicateId}`,
    `/posts/${postId}/merge`,
    '/notifications',
    `/unsubscribe/${unsubscribeToken}`,
    '/insights',
    '/insights?days=90',
    '/insights/priority',
    '/insights/priority?sort=votes&org=major',
    '/insights/priority.csv',
    '/triage',
    '/triage?assignee=mine',
    '/triage/tags',
    `/posts/${triagedId}`,
    `/posts/${triagedId}/triage`,
    '/posts?tag=crawl-tag',
    '/rewards',
    '/rewards/payout',
    '/hall-of-fame',
    '/leaderboard',
    '/finance/pools',
    `/finance/pools/${financePoolId}`,
    '/finance/policy',
    '/finance/nominations',
    '/finance/nominations?view=approved',
    '/finance/nominations?view=flagged',
    '/finance/batches',
    `/finance/batches/${financeBatchId}`,
    '/finance/reports',
    `/finance/reports?from=${new Date().getUTCFullYear()}-01&to=${new Date().getUTCFullYear()}-12`,
    '/finance/reports.csv?by=tier',
    '/finance/ledger',
    '/finance/ledger?kind=settle&group=other',
    ...financeNominationIds.map((id) => `/finance/nominations/${id}`),
    ...people.map((person) => `/u/${person.id}`),
  ];
}

const secretsOf = (person: Person) => [person.name, person.email, person.email.split('@')[0]!];

/** The single-fetch data URL of a page: `.data` goes on the path, before any query. */
function dataUrlOf(path: string): string {
  const [pathname = '/', search] = path.split('?');
  return `${pathname === '/' ? '/_root' : pathname}.data${search ? `?${search}` : ''}`;
}

describe('pseudonymity crawl', () => {
  it('shows no real name or email on any page or data response, to anyone, except one’s own settings', async () => {
    const visitors: Array<Person | null> = [null, ...people];
    const allSecrets = people.flatMap((person) => secretsOf(person).map((secret) => ({ secret, owner: person.key })));
    // The member's payout account number (the account holder is their name, above): only bank files may hold it.
    allSecrets.push(...['CN001111222233334444', '1111 2222 3333 4444'].map((secret) => ({ secret, owner: 'member' })));
    const checked: string[] = [];
    for (const visitor of visitors) {
      for (const path of pages()) {
        // The document (with the loader data Remix serialises into it) and the
        // single-fetch data response a client navigation would load.
        for (const url of [path, dataUrlOf(path)]) {
          const response = await fetch(`${web.baseUrl}${url}`, {
            headers: visitor ? { Cookie: visitor.cookie } : {},
            redirect: 'manual',
          });
          const body = await response.text();
          const headers = JSON.stringify([...response.headers]);
          for (const { secret, owner } of allSecrets) {
            const ownSettings = visitor?.key === owner && path === '/settings';
            if (ownSettings) continue;
            if (body.includes(secret) || headers.includes(secret)) {
              throw new Error(`${owner}'s "${secret}" leaked to ${visitor?.key ?? 'anonymous'} at ${url} (${response.status})`);
            }
          }
          checked.push(`${visitor?.key ?? 'anonymous'} ${url} ${response.status}`);
        }
      }
    }
    // The crawl really reached the pages: admins got the admin pages with 200.
    expect(checked).toContain('admin /admin/staff 200');
    expect(checked).toContain('auditor /audit 200');
    expect(checked).toContain('org_admin /org 200');
    expect(checked).toContain('member /settings 200');
    expect(checked).toContain(`anonymous /posts/${postId} 200`);
    expect(checked).toContain(`member /posts/${postId}.data 200`);
    expect(checked).toContain('member /posts 200');
    expect(checked).toContain('member /notifications 200');
    expect(checked).toContain(`anonymous /unsubscribe/${unsubscribeToken} 200`);
    expect(checked).toContain(`member /posts/${postId}/edit 200`);
    expect(checked).toContain('product_admin /admin/areas 200');
    expect(checked).toContain('triager /moderation 200');
    expect(checked).toContain('triager /moderation.data 200');
    expect(checked).toContain('product_admin /moderation?view=hidden 200');
    expect(checked).toContain('product_admin /moderation.data?view=hidden 200');
    expect(checked).toContain('member /moderation 403');
    expect(checked).toContain(`org_admin /report?postId=${postId} 200`);
    expect(checked).toContain(`org_admin /report.data?postId=${postId} 200`);
    expect(checked).toContain('anonymous /roadmap 200');
    expect(checked).toContain('triager /roadmap/manage 200');
    expect(checked).toContain('anonymous /changelog 200');
    expect(checked).toContain('anonymous /changelog.atom 200');
    expect(checked).toContain(`triager /posts/${duplicateId} 200`);
    expect(checked).toContain(`member /posts/${duplicateId} 302`);
    expect(checked).toContain(`triager /posts/${postId}/merge 200`);
    expect(checked).toContain('product_admin /insights 200');
    expect(checked).toContain('triager /insights.data?days=90 200');
    // Crawl Org is the only customer and has fewer than k members: the filter is refused, and says so.
    expect(checked).toContain('triager /insights/priority?sort=votes&org=major 400');
    expect(checked).toContain('product_admin /insights/priority.csv 200');
    expect(checked).toContain('member /insights/priority.csv 403');
    expect(checked).toContain(`anonymous /u/${people[0]!.id} 200`);
    expect(checked).toContain(`member /u/${people[0]!.id}.data 200`);
    expect(checked).toContain('triager /triage 200');
    expect(checked).toContain('triager /triage?assignee=mine 200');
    expect(checked).toContain('product_admin /triage/tags 200');
    expect(checked).toContain(`anonymous /posts/${triagedId} 200`);
    expect(checked).toContain(`triager /posts/${triagedId}/triage 200`);
    expect(checked).toContain('member /triage 403');
    expect(checked).toContain('member /rewards 200');
    expect(checked).toContain('member /rewards/payout 200');
    expect(checked).toContain('member /rewards/payout.data 200');
    expect(checked).toContain('anonymous /rewards 302');
    expect(checked).toContain('anonymous /hall-of-fame 200');
    expect(checked).toContain('anonymous /hall-of-fame.data 200');
    expect(checked).toContain('anonymous /leaderboard 200');
    expect(checked).toContain('finance_approver /finance/pools 200');
    expect(checked).toContain(`finance_admin /finance/pools/${financePoolId}.data 200`);
    expect(checked).toContain('finance_approver /finance/policy 200');
    expect(checked).toContain('finance_approver /finance/nominations.data?view=flagged 200');
    for (const id of financeNominationIds) {
      expect(checked).toContain(`finance_approver /finance/nominations/${id} 200`);
      expect(checked).toContain(`finance_admin /finance/nominations/${id}.data 200`);
    }
    expect(checked).toContain('member /finance/nominations 403');
    expect(checked).toContain('finance_approver /finance/batches 200');
    expect(checked).toContain(`finance_admin /finance/batches/${financeBatchId} 200`);
    expect(checked).toContain(`finance_approver /finance/batches/${financeBatchId}.data 200`);
    expect(checked).toContain('finance_approver /finance/reports 200');
    expect(checked).toContain('finance_admin /finance/reports.csv?by=tier 200');
    expect(checked).toContain('finance_approver /finance/ledger 200');
    // Crawl Org is the only customer and has fewer than k members: the group filter is refused.
    expect(checked).toContain('finance_admin /finance/ledger?kind=settle&group=other 400');
    expect(checked).toContain('member /finance/batches 403');
    // Every page twice for nine visitors: more than the default 30 seconds.
  }, 180_000);

  it('does show a person their own name and email on their settings page', async () => {
    const member = people.find((person) => person.key === 'member')!;
    const body = await (await fetch(`${web.baseUrl}/settings`, { headers: { Cookie: member.cookie } })).text();
    expect(body).toContain(member.name);
    expect(body).toContain(member.email);
  });
});
