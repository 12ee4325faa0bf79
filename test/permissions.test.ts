// Who may open what: every protected route's loader and action, called as
// every role. The table below is the one place to list a protected route;
// the last test fails when a route file is in neither list.
import { readdirSync } from 'node:fs';
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as adminRoute from '../app/routes/admin.js';
import * as adminIndexRoute from '../app/routes/admin._index.js';
import * as adminInvitesRoute from '../app/routes/admin.invites.js';
import * as adminMailboxRoute from '../app/routes/admin.mailbox.js';
import * as adminOrgRoute from '../app/routes/admin.orgs.$orgId.js';
import * as adminOrgsRoute from '../app/routes/admin.orgs._index.js';
import * as adminSettingsRoute from '../app/routes/admin.settings.js';
import * as adminStaffRoute from '../app/routes/admin.staff.js';
import * as auditRoute from '../app/routes/audit.js';
import * as orgRoute from '../app/routes/org.js';
import * as settingsRoute from '../app/routes/settings.js';
import * as adminAreasRoute from '../app/routes/admin_.areas.js';
import * as editPostRoute from '../app/routes/posts.$postId_.edit.js';
import * as triagePostRoute from '../app/routes/posts.$postId_.triage.js';
import * as triageInboxRoute from '../app/routes/triage._index.js';
import * as triageTagsRoute from '../app/routes/triage.tags.js';
import * as moderationRoute from '../app/routes/moderation.js';
import * as reportRoute from '../app/routes/report.js';
import * as mergePostRoute from '../app/routes/posts.$postId_.merge.js';
import * as newPostRoute from '../app/routes/posts.new.js';
import * as manageRoadmapRoute from '../app/routes/roadmap_.manage.js';
import * as similarPostsRoute from '../app/routes/similar-posts.js';
import * as insightsRoute from '../app/routes/insights.js';
import * as insightsDashboardRoute from '../app/routes/insights._index.js';
import * as insightsPriorityRoute from '../app/routes/insights.priority.js';
import * as insightsPriorityCsvRoute from '../app/routes/insights.priority[.]csv.js';
import * as notificationsRoute from '../app/routes/notifications.js';
import * as myRewardsRoute from '../app/routes/rewards.js';
import * as payoutDetailsRoute from '../app/routes/rewards_.payout.js';
import * as financeRoute from '../app/routes/finance.js';
import * as financeIndexRoute from '../app/routes/finance._index.js';
import * as financePoolsRoute from '../app/routes/finance.pools.js';
import * as financePoolRoute from '../app/routes/finance.pools_.$poolId.js';
import * as financePolicyRoute from '../app/routes/finance.policy.js';
import * as financeNominationsRoute from '../app/routes/finance.nominations.js';
import * as financeNominationRoute from '../app/routes/finance.nominations_.$nominationId.js';
import * as financeBatchesRoute from '../app/routes/finance.batches.js';
import * as financeBatchRoute from '../app/routes/finance.batches_.$batchId.js';
import * as financeBatchCsvRoute from '../app/routes/finance.batches_.$batchId[.]csv.js';
import * as financeBatchXmlRoute from '../app/routes/finance.batches_.$batchId[.]xml.js';
import * as financeReportsRoute from '../app/routes/finance.reports.js';
import * as financeReportsCsvRoute from '../app/routes/finance.reports[.]csv.js';
import * as financeLedgerRoute from '../app/routes/finance.ledger.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { exportBatch } from '../app/domain/payouts/batches.server.js';
import { runPayout } from '../app/domain/payouts/run-payout.server.js';
import { makeApprovedReward, makeRewardWorld } from './support/rewards.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { createPostRow, createProductArea } from '../db/factories.js';
import { can, type Permission } from '../app/utils/auth.server.js';
import { ROLES, type Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Fixtures {
  orgId: string;
  orgName: string;
  /** A post written by the 'member' account. */
  postId: string;
  /** A bounty pool, and a pending nomination of another of the member's posts. */
  poolId: string;
  nominationId: string;
  /** An exported payment batch holding one payment. */
  batchId: string;
}

interface ProtectedRoute {
  /** The file name in app/routes, without extension. */
  file: string;
  module: { loader?: Handler; action?: Handler };
  path: (f: Fixtures) => string;
  params?: (f: Fixtures) => Record<string, string>;
  /** A permission from PERMISSIONS, any signed-in account, or only the fixture post's author ('member'). */
  access: Permission | 'signed-in' | 'author';
  /** The action's permission, when stricter than the loader's (finance approvers read, finance admins change). */
  actionAccess?: Permission;
  /** A form the action accepts without changing anything that matters. */
  harmlessForm?: (f: Fixtures) => Record<string, string | string[]>;
  /** Where a permitted loader redirects, for routes that only redirect. */
  loaderRedirectsTo?: string;
}

const DEFAULT_SETTINGS_FORM = {
  anonymityThreshold: '5',
  currency: 'CNY',
  defaultLocale: 'en',
  sessionIdleMinutes: String(60 * 24 * 7),
  sessionAbsoluteDays: '30',
  inviteExpiryDays: '14',
};

const PROTECTED_ROUTES: ProtectedRoute[] = [
  { file: 'admin', module: adminRoute, path: () => '/admin', access: 'admin.orgs' },
  { file: 'admin._index', module: adminIndexRoute, path: () => '/admin', access: 'admin.orgs', loaderRedirectsTo: '/admin/orgs' },
  {
    file: 'admin.orgs._index',
    module: adminOrgsRoute,
    path: () => '/admin/orgs',
    access: 'admin.orgs',
    harmlessForm: () => ({ name: '', valueTier: 'standard' }),
  },
  {
    file: 'admin.orgs.$orgId',
    module: adminOrgRoute,
    path: (f) => `/admin/orgs/${f.orgId}`,
    params: (f) => ({ orgId: f.orgId }),
    access: 'admin.orgs',
    harmlessForm: (f) => ({ intent: 'update', name: f.orgName, valueTier: 'major' }),
  },
  {
    file: 'admin.invites',
    module: adminInvitesRoute,
    path: () => '/admin/invites',
    access: 'admin.invites',
    harmlessForm: () => ({ intent: 'revoke', inviteId: 'nosuchinvite' }),
  },
  {
    file: 'admin.staff',
    module: adminStaffRoute,
    path: () => '/admin/staff',
    access: 'admin.roles',
    harmlessForm: () => ({ intent: 'find', email: 'nobody@nowhere.example' }),
  },
  {
    file: 'admin.settings',
    module: adminSettingsRoute,
    path: () => '/admin/settings',
    access: 'admin.settings',
    harmlessForm: () => DEFAULT_SETTINGS_FORM,
  },
  { file: 'admin.mailbox', module: adminMailboxRoute, path: () => '/admin/mailbox', access: 'admin.mailbox' },
  { file: 'audit', module: auditRoute, path: () => '/audit', access: 'audit.read' },
  {
    file: 'org',
    module: orgRoute,
    path: () => '/org',
    access: 'org.invite',
    harmlessForm: () => ({ intent: 'revoke', inviteId: 'nosuchinvite' }),
  },
  {
    file: 'settings',
    module: settingsRoute,
    path: () => '/settings',
    access: 'signed-in',
    harmlessForm: () => ({ intent: 'locale', locale: 'en' }),
  },
  {
    file: 'posts.new',
    module: newPostRoute,
    path: () => '/posts/new',
    access: 'signed-in',
    harmlessForm: () => ({ intent: 'preview', title: '', body: '' }),
  },
  { file: 'similar-posts', module: similarPostsRoute, path: () => '/similar-posts?title=alarm', access: 'signed-in' },
  { file: 'insights', module: insightsRoute, path: () => '/insights', access: 'triage' },
  { file: 'insights._index', module: insightsDashboardRoute, path: () => '/insights', access: 'triage' },
  { file: 'insights.priority', module: insightsPriorityRoute, path: () => '/insights/priority', access: 'triage' },
  { file: 'insights.priority[.]csv', module: insightsPriorityCsvRoute, path: () => '/insights/priority.csv', access: 'triage' },
  {
    file: 'report',
    module: reportRoute,
    path: (f) => `/report?postId=${f.postId}`,
    access: 'signed-in',
    harmlessForm: (f) => ({ postId: f.postId, reason: 'not-a-reason' }),
  },
  {
    file: 'moderation',
    module: moderationRoute,
    path: () => '/moderation',
    access: 'moderate',
    harmlessForm: () => ({ intent: 'hide', caseId: 'nosuchcase', reason: '' }),
  },
  {
    file: 'notifications',
    module: notificationsRoute,
    path: () => '/notifications',
    access: 'signed-in',
    harmlessForm: () => ({ intent: 'read-all' }),
  },
  { file: 'rewards', module: myRewardsRoute, path: () => '/rewards', access: 'signed-in' },
  {
    file: 'rewards_.payout',
    module: payoutDetailsRoute,
    path: () => '/rewards/payout',
    access: 'signed-in',
    // Empty fields: refused with messages, nothing saved.
    harmlessForm: () => ({ accountHolder: '', accountNumber: '', bankName: '' }),
  },
  {
    file: 'posts.$postId_.edit',
    module: editPostRoute,
    path: (f) => `/posts/${f.postId}/edit`,
    params: (f) => ({ postId: f.postId }),
    access: 'author',
    harmlessForm: () => ({ title: '', body: '' }),
  },
  {
    file: 'posts.$postId_.merge',
    module: mergePostRoute,
    path: (f) => `/posts/${f.postId}/merge`,
    params: (f) => ({ postId: f.postId }),
    access: 'triage',
    harmlessForm: () => ({ intent: 'merge', targetId: '' }),
  },
  {
    file: 'roadmap_.manage',
    module: manageRoadmapRoute,
    path: () => '/roadmap/manage',
    access: 'triage',
    harmlessForm: () => ({ intent: 'create', title: '', status: 'planned' }),
  },
  {
    file: 'triage._index',
    module: triageInboxRoute,
    path: () => '/triage?index',
    access: 'triage',
    // No post selected: refused with a message, nothing changed.
    harmlessForm: () => ({ intent: 'set-area', productAreaId: 'nosucharea' }),
  },
  {
    file: 'triage.tags',
    module: triageTagsRoute,
    path: () => '/triage/tags',
    access: 'product.admin',
    harmlessForm: () => ({ intent: 'create', slug: '', nameEn: '', nameZh: '', color: 'slate' }),
  },
  {
    file: 'posts.$postId_.triage',
    module: triagePostRoute,
    path: (f) => `/posts/${f.postId}/triage`,
    params: (f) => ({ postId: f.postId }),
    access: 'triage',
    harmlessForm: () => ({ version: '', productAreaId: '', status: '' }),
  },
  {
    file: 'admin_.areas',
    module: adminAreasRoute,
    path: () => '/admin/areas',
    access: 'product.admin',
    harmlessForm: () => ({ intent: 'create', slug: '', nameEn: '', nameZh: '' }),
  },
  { file: 'finance', module: financeRoute, path: () => '/finance', access: 'finance.approve' },
  { file: 'finance._index', module: financeIndexRoute, path: () => '/finance', access: 'finance.approve', loaderRedirectsTo: '/finance/nominations' },
  {
    file: 'finance.pools',
    module: financePoolsRoute,
    path: () => '/finance/pools',
    access: 'finance.approve',
    actionAccess: 'finance.admin',
    harmlessForm: () => ({ name: '', currency: 'CNY', budget: '', periodStart: '', periodEnd: '' }),
  },
  {
    file: 'finance.pools_.$poolId',
    module: financePoolRoute,
    path: (f) => `/finance/pools/${f.poolId}`,
    params: (f) => ({ poolId: f.poolId }),
    access: 'finance.approve',
    actionAccess: 'finance.admin',
    harmlessForm: () => ({ amount: '', reason: '', submissionKey: '' }),
  },
  {
    file: 'finance.policy',
    module: financePolicyRoute,
    path: () => '/finance/policy',
    access: 'finance.approve',
    actionAccess: 'finance.admin',
    harmlessForm: () => ({ note: '' }),
  },
  { file: 'finance.nominations', module: financeNominationsRoute, path: () => '/finance/nominations', access: 'finance.approve' },
  {
    file: 'finance.nominations_.$nominationId',
    module: financeNominationRoute,
    path: (f) => `/finance/nominations/${f.nominationId}`,
    params: (f) => ({ nominationId: f.nominationId }),
    access: 'finance.approve',
    // A rejection without its reason: refused on the form, nothing decided.
    harmlessForm: () => ({ intent: 'reject', reason: '' }),
  },
  { file: 'finance.batches', module: financeBatchesRoute, path: () => '/finance/batches', access: 'finance.approve' },
  {
    file: 'finance.batches_.$batchId',
    module: financeBatchRoute,
    path: (f) => `/finance/batches/${f.batchId}`,
    params: (f) => ({ batchId: f.batchId }),
    access: 'finance.approve',
    actionAccess: 'finance.admin',
    // No such action: refused on the form, nothing changed.
    harmlessForm: () => ({ intent: 'nothing' }),
  },
  // The bank files hold payee details: finance admins only.
  {
    file: 'finance.batches_.$batchId[.]csv',
    module: financeBatchCsvRoute,
    path: (f) => `/finance/batches/${f.batchId}.csv`,
    params: (f) => ({ batchId: f.batchId }),
    access: 'finance.admin',
  },
  {
    file: 'finance.batches_.$batchId[.]xml',
    module: financeBatchXmlRoute,
    path: (f) => `/finance/batches/${f.batchId}.xml`,
    params: (f) => ({ batchId: f.batchId }),
    access: 'finance.admin',
  },
  { file: 'finance.reports', module: financeReportsRoute, path: () => '/finance/reports', access: 'finance.approve' },
  { file: 'finance.reports[.]csv', module: financeReportsCsvRoute, path: () => '/finance/reports.csv', access: 'finance.approve' },
  { file: 'finance.ledger', module: financeLedgerRoute, path: () => '/finance/ledger', access: 'finance.approve' },
];

/** Routes anyone may open, signed in or not (their own tests cover them). */
const PUBLIC_ROUTES = [
  '_index',
  'login',
  'logout',
  'locale',
  'signup',
  'forgot-password',
  'reset-password.$token',
  'verify-email.$token',
  'invite.$token',
  'posts.$postId',
  'posts._index',
  'search',
  'u.$userId',
  // The public roadmap, changelog and its feed (test/roadmap.test.ts).
  'roadmap',
  'changelog',
  'changelog[.]atom',
  // The token in the link is the authority, no session (test/notifications.test.ts).
  'unsubscribe.$token',
  // The public hall of fame and KOL leaderboard (test/hall-of-fame.test.ts).
  'hall-of-fame',
  'leaderboard',
  // The payment provider's callback: its HMAC signature is the authority, no session (test/payout-callback.test.ts).
  'payouts.callback',
];

const ACCOUNTS = [
  'anonymous',
  'member',
  'org_admin',
  'triager',
  'product_admin',
  'finance_approver',
  'finance_admin',
  'admin',
  'auditor',
] as const;
type Account = (typeof ACCOUNTS)[number];

function rolesOf(account: Account): Role[] {
  return account === 'anonymous' || account === 'member' ? [] : [account];
}

function mayAccess(account: Account, access: ProtectedRoute['access']): boolean {
  if (account === 'anonymous') return false;
  if (access === 'author') return account === 'member';
  return access === 'signed-in' || can({ roles: rolesOf(account) }, access);
}

let app: TestApp;
let fixtures: Fixtures;
const cookies = new Map<Account, string>();

beforeAll(async () => {
  // A debtor account, so the pain.001 download answers with a file.
  app = await createTestApp({ PAYOUT_DEBTOR_NAME: 'Permissions Vendor', PAYOUT_DEBTOR_ACCOUNT: 'DE89370400440532013000' });
  const orgName = 'Permissions Org';
  const orgId = await makeOrg(app, { name: orgName, valueTier: 'major', domains: ['permissions.example'] });
  fixtures = { orgId, orgName, postId: '', poolId: '', nominationId: '', batchId: '' };
  for (const account of ACCOUNTS) {
    if (account === 'anonymous') continue;
    // Customer accounts belong to an org; vendor staff to none.
    const inOrg = account === 'member' || account === 'org_admin';
    const user = await makeUser(app, { orgId: inOrg ? orgId : null, roles: rolesOf(account) });
    cookies.set(account, await sessionCookieFor(app, user.id));
    if (account === 'member') {
      const areaId = await createProductArea(app.services.db, { slug: 'permissions', nameEn: 'Area', nameZh: '领域' });
      fixtures.postId = await createPostRow(app.services.db, { authorId: user.id, productAreaId: areaId, title: 'Mine' });
      // Another of the member's posts, adopted: the nomination the finance pages show.
      const adoptedId = await createPostRow(app.services.db, { authorId: user.id, productAreaId: areaId, title: 'Adopted' });
      await app.services.db.transaction().execute((trx) => applyStatusChanges(trx, null, [{ postId: adoptedId, to: 'planned' }]));
      await reconcileNominations(app.services.db, adoptedId);
      const nomination = await app.services.db.selectFrom('nomination').select('id').where('post_id', '=', adoptedId).executeTakeFirstOrThrow();
      fixtures.nominationId = nomination.id;
    }
  }
  const treasurer = await makeUser(app, { roles: ['finance_admin'] });
  const year = new Date().getUTCFullYear();
  const pool = await createPool(app.services.db, { id: treasurer.id, orgId: null, roles: ['finance_admin'] }, {
    name: 'Permissions pool',
    currency: 'CNY',
    budgetMinor: 100_000_00n,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
  });
  fixtures.poolId = pool.id;
  // A reward paid into a bank batch, which is then exported.
  const world = await makeRewardWorld(app);
  const { rewardId } = await makeApprovedReward(app, world);
  await runPayout({ db: app.services.db, keys: app.services.vaultKeys, adapter: bankBatchAdapter(app.services.db) }, rewardId);
  const payment = await app.services.db.selectFrom('payment').select('batch_id').where('reward_id', '=', rewardId).executeTakeFirstOrThrow();
  fixtures.batchId = payment.batch_id!;
  await exportBatch(app.services.db, world.financeAdmin, { batchId: fixtures.batchId });
});
afterAll(async () => {
  await app?.close();
});

async function run(
  route: ProtectedRoute,
  kind: 'loader' | 'action',
  account: Account,
): Promise<{ response?: Response; value?: unknown }> {
  const handler = route.module[kind]!;
  const form = kind === 'action' ? route.harmlessForm?.(fixtures) ?? {} : undefined;
  const request = makeRequest(route.path(fixtures), {
    method: kind === 'action' ? 'POST' : 'GET',
    form,
    cookie: cookies.get(account),
  });
  return settle(() => handler({ request, context: loadContext(app), params: route.params?.(fixtures) ?? {} }));
}

function statusOf(value: unknown): number {
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    return (value as { init: ResponseInit | null }).init?.status ?? 200;
  }
  return 200;
}

const cases = PROTECTED_ROUTES.flatMap((route) =>
  (['loader', 'action'] as const)
    .filter((kind) => route.module[kind])
    .flatMap((kind) => ACCOUNTS.map((account) => ({ route, kind, account }))),
);

describe('permissions', () => {
  it.each(cases.map((c) => [`${c.route.file} ${c.kind} as ${c.account}`, c] as const))('%s', async (_name, { route, kind, account }) => {
    const { response, value } = await run(route, kind, account);

    if (account === 'anonymous') {
      expect(response?.status).toBe(302);
      expect(response?.headers.get('Location')).toMatch(/^\/login\?redirectTo=/);
      expect(value).toBeUndefined();
      return;
    }

    if (!mayAccess(account, kind === 'action' ? (route.actionAccess ?? route.access) : route.access)) {
      expect(response?.status, 'a 403 thrown before any data is read').toBe(403);
      expect(value).toBeUndefined();
      expect(await response!.text()).toBe('Forbidden');
      return;
    }

    if (response) {
      // A permitted request may redirect (after a saved form, or an index
      // route), but never to the login page or to an error.
      expect(response.status, await response.clone().text()).toBeLessThan(400);
      expect(response.headers.get('Location') ?? '').not.toMatch(/^\/login/);
      // A resource route (a CSV file) answers with a Response that is no redirect.
      if (kind === 'loader') expect(response.headers.get('Location') ?? undefined).toBe(route.loaderRedirectsTo);
      return;
    }
    expect(route.loaderRedirectsTo === undefined || kind === 'action').toBe(true);
    // A form the route refuses (400) still passed the permission check.
    expect([200, 400]).toContain(statusOf(value));
  });

  it('lists every route file either as protected or as public', () => {
    const files = readdirSync(new URL('../app/routes', import.meta.url))
      .filter((name) => /\.(tsx|ts|jsx|js)$/.test(name) && !name.includes('.test.'))
      .map((name) => name.replace(/\.(tsx|ts|jsx|js)$/, ''));
    const listed = new Set([...PROTECTED_ROUTES.map((route) => route.file), ...PUBLIC_ROUTES]);
    expect(files.filter((file) => !listed.has(file))).toEqual([]);
  });

  it('tries every role there is', () => {
    expect(new Set(ACCOUNTS.flatMap(rolesOf))).toEqual(new Set(ROLES));
  });
});
