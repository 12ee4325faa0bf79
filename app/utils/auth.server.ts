import { type AppLoadContext, redirect } from '@remix-run/node';
import type { Role } from '../../db/schema.js';
import { MODERATOR_ROLES } from '../domain/posts/get-post.server.js';
import { getSettings } from '../domain/settings/settings.server.js';
import { TRIAGE_ROLES } from '../domain/triage/triage-roles.js';
import { createSession, deleteSession, sessionCookie, validateSessionToken } from './session.server.js';

/** The signed-in person as pages see them: pseudonym and roles, never identity. */
export interface CurrentUser {
  id: string;
  sessionId: string;
  pseudonym: string;
  pseudonymZh: string;
  orgId: string | null;
  staffDisplayName: string | null;
  locale: string | null;
  roles: Role[];
}

export function isSecureDeployment(context: AppLoadContext): boolean {
  return context.services.env.PUBLIC_URL.startsWith('https://');
}

export function getSessionCookie(context: AppLoadContext) {
  return sessionCookie(isSecureDeployment(context));
}

const currentUsers = new WeakMap<Request, Promise<CurrentUser | null>>();

/** The signed-in user, or null; looked up once per request. */
export function getCurrentUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  let found = currentUsers.get(request);
  if (!found) {
    found = lookUpCurrentUser(request, context);
    currentUsers.set(request, found);
  }
  return found;
}

async function lookUpCurrentUser(request: Request, context: AppLoadContext): Promise<CurrentUser | null> {
  const token: unknown = await getSessionCookie(context).parse(request.headers.get('Cookie'));
  if (typeof token !== 'string') return null;
  const { db } = context.services;
  const settings = await getSettings(db);
  const session = await validateSessionToken(db, token, {
    idleMinutes: settings.sessionIdleMinutes,
    absoluteDays: settings.sessionAbsoluteDays,
  });
  if (!session) return null;
  const user = await db
    .selectFrom('app_user')
    .select([
      'id',
      'pseudonym',
      'pseudonym_zh',
      'org_id',
      'staff_display_name',
      'locale',
      'disabled_at',
      'email_verified_at',
      (eb) =>
        eb
          .selectFrom('user_role')
          .select((inner) => inner.fn.agg<Role[]>('array_agg', ['role']).as('roles'))
          .whereRef('user_role.user_id', '=', 'app_user.id')
          .as('roles'),
    ])
    .where('id', '=', session.userId)
    .executeTakeFirst();
  if (!user || user.disabled_at || !user.email_verified_at) return null;
  return {
    id: user.id,
    sessionId: session.id,
    pseudonym: user.pseudonym,
    pseudonymZh: user.pseudonym_zh,
    orgId: user.org_id,
    staffDisplayName: user.staff_display_name,
    locale: user.locale,
    roles: user.roles ?? [],
  };
}

/** Where to send someone who must log in first, back to where they were. */
function loginRedirect(request: Request): Response {
  const url = new URL(request.url);
  const back = `${url.pathname}${url.search}`;
  return redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<CurrentUser> {
  const user = await getCurrentUser(request, context);
  if (!user) throw loginRedirect(request);
  return user;
}

export async function requireAnonymous(request: Request, context: AppLoadContext): Promise<void> {
  if (await getCurrentUser(request, context)) throw redirect('/');
}

/**
 * Coarse permissions, each granted by the roles listed. The precise policy
 * (e.g. "only members of your own org") lives in the use-case.
 */
export const PERMISSIONS = {
  'org.invite': ['org_admin', 'admin'],
  'admin.orgs': ['admin'],
  'admin.invites': ['org_admin', 'admin'],
  'admin.roles': ['admin'],
  'admin.settings': ['admin'],
  'admin.mailbox': ['admin'],
  'audit.read': ['auditor'],
  triage: TRIAGE_ROLES,
  moderate: MODERATOR_ROLES,
  'product.admin': ['product_admin'],
  'finance.approve': ['finance_approver', 'finance_admin'],
  'finance.admin': ['finance_admin'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function can(user: Pick<CurrentUser, 'roles'> | null, permission: Permission): boolean {
  const granted: readonly Role[] = PERMISSIONS[permission];
  return Boolean(user?.roles.some((role) => granted.includes(role)));
}

/**
 * Opens every protected loader and action: anonymous → login redirect,
 * signed in without the permission → 403 with no data.
 */
export async function requirePermission(
  request: Request,
  context: AppLoadContext,
  permission: Permission,
): Promise<CurrentUser> {
  const user = await requireUser(request, context);
  if (!can(user, permission)) {
    throw new Response('Forbidden', { status: 403, statusText: 'Forbidden' });
  }
  return user;
}

/** Starts a fresh session (never reuses one) and returns its Set-Cookie header. */
export async function startSession(context: AppLoadContext, userId: string): Promise<string> {
  const { db } = context.services;
  const token = await createSession(db, userId);
  const { sessionAbsoluteDays } = await getSettings(db);
  return getSessionCookie(context).serialize(token, { maxAge: sessionAbsoluteDays * 86_400 });
}

/** Deletes the current session server-side and returns the header that clears the cookie. */
export async function endSession(request: Request, context: AppLoadContext): Promise<string> {
  const user = await getCurrentUser(request, context);
  if (user) await deleteSession(context.services.db, user.sessionId);
  return getSessionCookie(context).serialize('', { maxAge: 0 });
}
