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
import * as newPostRoute from '../app/routes/posts.new.js';
import * as similarPostsRoute from '../app/routes/similar-posts.js';
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
}

interface ProtectedRoute {
  /** The file name in app/routes, without extension. */
  file: string;
  module: { loader?: Handler; action?: Handler };
  path: (f: Fixtures) => string;
  params?: (f: Fixtures) => Record<string, string>;
  /** A permission from PERMISSIONS, any signed-in account, or only the fixture post's author ('member'). */
  access: Permission | 'signed-in' | 'author';
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
  {
    file: 'posts.$postId_.edit',
    module: editPostRoute,
    path: (f) => `/posts/${f.postId}/edit`,
    params: (f) => ({ postId: f.postId }),
    access: 'author',
    harmlessForm: () => ({ title: '', body: '' }),
  },
  {
    file: 'admin_.areas',
    module: adminAreasRoute,
    path: () => '/admin/areas',
    access: 'product.admin',
    harmlessForm: () => ({ intent: 'create', slug: '', nameEn: '', nameZh: '' }),
  },
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
  app = await createTestApp();
  const orgName = 'Permissions Org';
  const orgId = await makeOrg(app, { name: orgName, valueTier: 'major', domains: ['permissions.example'] });
  fixtures = { orgId, orgName, postId: '' };
  for (const account of ACCOUNTS) {
    if (account === 'anonymous') continue;
    // Customer accounts belong to an org; vendor staff to none.
    const inOrg = account === 'member' || account === 'org_admin';
    const user = await makeUser(app, { orgId: inOrg ? orgId : null, roles: rolesOf(account) });
    cookies.set(account, await sessionCookieFor(app, user.id));
    if (account === 'member') {
      const areaId = await createProductArea(app.services.db, { slug: 'permissions', nameEn: 'Area', nameZh: '领域' });
      fixtures.postId = await createPostRow(app.services.db, { authorId: user.id, productAreaId: areaId, title: 'Mine' });
    }
  }
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

    if (!mayAccess(account, route.access)) {
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
      if (kind === 'loader') expect(response.headers.get('Location')).toBe(route.loaderRedirectsTo);
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
