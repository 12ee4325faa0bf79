import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addOrgDomain } from '../app/domain/admin/add-org-domain.server.js';
import { createInvite } from '../app/domain/admin/create-invite.server.js';
import { createOrg } from '../app/domain/admin/create-org.server.js';
import { findAccountByEmail } from '../app/domain/admin/find-account-by-email.server.js';
import { grantRole } from '../app/domain/admin/grant-role.server.js';
import { listAuditLog } from '../app/domain/admin/list-audit-log.server.js';
import { listInvites } from '../app/domain/admin/list-invites.server.js';
import { listOrgs } from '../app/domain/admin/list-orgs.server.js';
import { removeOrgDomain } from '../app/domain/admin/remove-org-domain.server.js';
import { revokeRole } from '../app/domain/admin/revoke-role.server.js';
import { ALL_ROLES, TIER_CHOICES } from '../app/domain/admin/choices.js';
import { getSettings } from '../app/domain/settings/settings.server.js';
import { DomainError } from '../app/domain/errors.js';
import * as adminInvitesRoute from '../app/routes/admin.invites.js';
import * as adminMailboxRoute from '../app/routes/admin.mailbox.js';
import * as adminOrgRoute from '../app/routes/admin.orgs.$orgId.js';
import * as adminOrgsRoute from '../app/routes/admin.orgs._index.js';
import * as adminSettingsRoute from '../app/routes/admin.settings.js';
import * as adminStaffRoute from '../app/routes/admin.staff.js';
import * as auditRoute from '../app/routes/audit.js';
import * as orgRoute from '../app/routes/org.js';
import { ROLES, VALUE_TIERS, type Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import type { CreatedUser } from '../db/factories.js';

let app: TestApp;
let admin: CreatedUser;
let auditor: CreatedUser;
let acmeId: string;
let globexId: string;
let acmeAdmin: CreatedUser;

beforeAll(async () => {
  app = await createTestApp();
  admin = await makeUser(app, { roles: ['admin'] });
  auditor = await makeUser(app, { roles: ['auditor'] });
  acmeId = await makeOrg(app, { name: 'Acme Networks', valueTier: 'strategic', domains: ['acme-networks.example'] });
  globexId = await makeOrg(app, { name: 'Globex Telecom', valueTier: 'standard', domains: ['globex.example'] });
  acmeAdmin = await makeUser(app, { orgId: acmeId, roles: ['org_admin'] });
});
afterAll(async () => {
  await app?.close();
});

// ---- calling loaders and actions directly --------------------------------

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Outcome {
  status: number;
  location?: string | null;
  data?: any;
}

/** Runs a loader or action as the browser would reach it; unwraps data() and Responses. */
async function call(
  handler: Handler,
  path: string,
  as: CreatedUser | null,
  init: { form?: Record<string, string | string[]>; params?: Record<string, string>; context?: AppLoadContext } = {},
): Promise<Outcome> {
  const cookie = as ? await sessionCookieFor(app, as.id) : undefined;
  const request = makeRequest(path, { form: init.form, cookie, method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() =>
    handler({ request, context: init.context ?? loadContext(app), params: init.params ?? {} }),
  );
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

const db = () => app.services.db;

async function auditRows(action: string, subjectId?: string) {
  let query = db()
    .selectFrom('audit_log')
    .select(['actor_id', 'action', 'subject_id', 'before', 'after'])
    .where('action', '=', action)
    .orderBy('id');
  if (subjectId) query = query.where('subject_id', '=', subjectId);
  return query.execute();
}

async function sessionCount(userId: string): Promise<number> {
  const row = await db()
    .selectFrom('user_session')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('user_id', '=', userId)
    .executeTakeFirstOrThrow();
  return row.n;
}

async function rolesChangedEvents(userId: string): Promise<number> {
  const row = await db()
    .selectFrom('outbox')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('topic', '=', 'user.roles_changed')
    .where(sql<string>`payload->>'userId'`, '=', userId)
    .executeTakeFirstOrThrow();
  return row.n;
}

function uniqueName(prefix: string): string {
  return `${prefix} ${Math.random().toString(36).slice(2, 8)}`;
}

const actorOf = (user: CreatedUser, roles: Role[], orgId: string | null = null) => ({ id: user.id, orgId, roles });

// ---- tests ----------------------------------------------------------------

describe('choices offered by forms', () => {
  it('lists exactly the roles and tiers of the database schema', () => {
    expect([...ALL_ROLES].sort()).toEqual([...ROLES].sort());
    expect([...TIER_CHOICES].sort()).toEqual([...VALUE_TIERS].sort());
  });
});

describe('organisations', () => {
  it('an admin creates an org with a domain; the domain is stored lowercase and the creation audited', async () => {
    const name = uniqueName('Initech');
    const outcome = await call(adminOrgsRoute.action, '/admin/orgs', admin, {
      form: { name, valueTier: 'major', domain: '  @Initech-Corp.Example. ' },
    });
    expect(outcome.status).toBe(302);
    const orgId = outcome.location?.replace('/admin/orgs/', '') ?? '';
    expect(orgId).toMatch(/^[a-z2-7]{24}$/);
    const domains = await db().selectFrom('org_domain').select('domain').where('org_id', '=', orgId).execute();
    expect(domains.map((row) => row.domain)).toEqual(['initech-corp.example']);
    const [audit] = await auditRows('org.create', orgId);
    expect(audit?.actor_id).toBe(admin.id);
    expect(audit?.after).toEqual({ name, valueTier: 'major', domains: ['initech-corp.example'] });
  });

  it('refuses a second org with the same name, whatever its case', async () => {
    const outcome = await call(adminOrgsRoute.action, '/admin/orgs', admin, {
      form: { name: 'ACME NETWORKS', valueTier: 'major' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toEqual({ name: ['admin.errors.name_taken'] });
  });

  it('refuses a domain already registered to another org with a clear message', async () => {
    const outcome = await call(adminOrgRoute.action, `/admin/orgs/${globexId}`, admin, {
      params: { orgId: globexId },
      form: { intent: 'addDomain', domain: 'ACME-networks.example' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toEqual({ domain: ['admin.errors.domain_taken'] });
    await expect(addOrgDomain(db(), actorOf(admin, ['admin']), { orgId: globexId, domain: 'acme-networks.example' })).rejects.toMatchObject({
      code: 'domain_taken',
    });
    const owner = await db().selectFrom('org_domain').select('org_id').where('domain', '=', 'acme-networks.example').executeTakeFirstOrThrow();
    expect(owner.org_id).toBe(acmeId);
  });

  it('refuses invalid domains and public mail providers on the form, never with a 500', async () => {
    for (const [domain, error] of [
      ['not a domain', 'admin.errors.domain_invalid'],
      ['https://acme.example/path', 'admin.errors.domain_invalid'],
      ['localhost', 'admin.errors.domain_invalid'],
      ['-bad-.example', 'admin.errors.domain_invalid'],
      ['gmail.com', 'admin.errors.domain_public'],
    ] as const) {
      const outcome = await call(adminOrgRoute.action, `/admin/orgs/${globexId}`, admin, {
        params: { orgId: globexId },
        form: { intent: 'addDomain', domain },
      });
      expect(outcome.status, domain).toBe(400);
      expect(outcome.data.result.error, domain).toEqual({ domain: [error] });
    }
    // The use-case holds the same rule when called without the form.
    await expect(addOrgDomain(db(), actorOf(admin, ['admin']), { orgId: globexId, domain: 'no_underscores.example' })).rejects.toMatchObject({
      code: 'domain_invalid',
    });
  });

  it('adds and removes a domain, each audited; removal is scoped to the org', async () => {
    const added = await call(adminOrgRoute.action, `/admin/orgs/${globexId}`, admin, {
      params: { orgId: globexId },
      form: { intent: 'addDomain', domain: 'Globex-Labs.example' },
    });
    expect(added).toMatchObject({ status: 302, location: `/admin/orgs/${globexId}` });
    expect(await auditRows('org.domain.add', globexId)).toEqual([
      expect.objectContaining({ actor_id: admin.id, after: { domain: 'globex-labs.example' } }),
    ]);

    // The wrong org in the form cannot remove another org's domain.
    const wrongOrg = await call(adminOrgRoute.action, `/admin/orgs/${acmeId}`, admin, {
      params: { orgId: acmeId },
      form: { intent: 'removeDomain', domain: 'globex-labs.example' },
    });
    expect(wrongOrg.status).toBe(400);
    expect(wrongOrg.data.result.error).toEqual({ domain: ['admin.errors.domain_not_found'] });

    const removed = await call(adminOrgRoute.action, `/admin/orgs/${globexId}`, admin, {
      params: { orgId: globexId },
      form: { intent: 'removeDomain', domain: 'globex-labs.example' },
    });
    expect(removed.status).toBe(302);
    const left = await db().selectFrom('org_domain').select('domain').where('org_id', '=', globexId).execute();
    expect(left.map((row) => row.domain)).toEqual(['globex.example']);
    expect(await auditRows('org.domain.remove', globexId)).toHaveLength(1);
  });

  it('renames an org and changes its tier, auditing before and after', async () => {
    const orgId = await makeOrg(app, { name: uniqueName('Hooli'), valueTier: 'standard' });
    const name = uniqueName('Hooli XYZ');
    const outcome = await call(adminOrgRoute.action, `/admin/orgs/${orgId}`, admin, {
      params: { orgId },
      form: { intent: 'update', name, valueTier: 'strategic' },
    });
    expect(outcome.status).toBe(302);
    const org = await db().selectFrom('org').select(['name', 'value_tier']).where('id', '=', orgId).executeTakeFirstOrThrow();
    expect(org).toEqual({ name, value_tier: 'strategic' });
    const [audit] = await auditRows('org.update', orgId);
    expect(audit?.before).toMatchObject({ valueTier: 'standard' });
    expect(audit?.after).toEqual({ name, valueTier: 'strategic' });
  });

  it('refuses a bad tier or an empty name with form errors', async () => {
    const outcome = await call(adminOrgRoute.action, `/admin/orgs/${acmeId}`, admin, {
      params: { orgId: acmeId },
      form: { intent: 'update', name: '  ', valueTier: 'platinum' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toMatchObject({
      name: ['common.errors.required'],
      valueTier: ['admin.errors.tierRequired'],
    });
  });

  it('answers 404 for an org that does not exist', async () => {
    const outcome = await call(adminOrgRoute.loader, '/admin/orgs/nosuchorg', admin, { params: { orgId: 'nosuchorg' } });
    expect(outcome.status).toBe(404);
  });

  it('shows each org with its domains and active member count, never who the members are', async () => {
    const orgId = await makeOrg(app, { name: uniqueName('Umbrella'), domains: ['umbrella-corp.example'] });
    const members = [await makeUser(app, { orgId }), await makeUser(app, { orgId })];
    await makeUser(app, { orgId, verified: false });
    const disabled = await makeUser(app, { orgId });
    await db().updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();

    const detail = await call(adminOrgRoute.loader, `/admin/orgs/${orgId}`, admin, { params: { orgId } });
    expect(detail.data.org).toMatchObject({ domains: ['umbrella-corp.example'], activeMemberCount: 2 });

    const list = await call(adminOrgsRoute.loader, '/admin/orgs', admin);
    const row = list.data.orgs.find((org: { id: string }) => org.id === orgId);
    expect(row).toMatchObject({ activeMemberCount: 2, domains: ['umbrella-corp.example'] });
    const shown = JSON.stringify([detail.data, list.data]);
    for (const member of [...members, disabled]) {
      expect(shown).not.toContain(member.id);
      expect(shown).not.toContain(member.pseudonym);
      expect(shown).not.toContain(member.email);
    }
  });

  it('pages through orgs by name without OFFSET', async () => {
    const all = await listOrgs(db(), actorOf(admin, ['admin']), { limit: 200 });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listOrgs(db(), actorOf(admin, ['admin']), { limit: 2, after });
      seen.push(...page.orgs.map((org) => org.id));
      if (!page.nextAfter) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(all.orgs.map((org) => org.id));
    expect(new Set(seen).size).toBe(seen.length);
  });

  it('lets only admins run the org use-cases', async () => {
    await expect(createOrg(db(), actorOf(acmeAdmin, ['org_admin'], acmeId), { name: 'X', valueTier: 'major' })).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    await expect(
      removeOrgDomain(db(), actorOf(auditor, ['auditor']), { orgId: acmeId, domain: 'acme-networks.example' }),
    ).rejects.toBeInstanceOf(DomainError);
  });
});

describe('invites', () => {
  it('an admin invites staff: the mail goes to the dev mailbox and the link is shown once', async () => {
    const outcome = await call(adminInvitesRoute.action, '/admin/invites', admin, {
      form: { intent: 'create', email: 'Wei.Zhang@vendor.example', orgId: '', roles: ['triager', 'product_admin'], locale: 'zh-CN' },
    });
    expect(outcome.status).toBe(200);
    const { link, mailSent } = outcome.data.created;
    expect(mailSent).toBe(true);
    expect(link).toMatch(new RegExp(`^${TEST_PUBLIC_URL}/invite/[a-z2-7]{32}$`));

    const mail = await db()
      .selectFrom('dev_mail')
      .select(['to_address', 'subject', 'text_body'])
      .where('to_address', '=', 'wei.zhang@vendor.example')
      .executeTakeFirstOrThrow();
    expect(mail.text_body).toContain(link);

    const invite = await db()
      .selectFrom('invite')
      .select(['org_id', 'roles', 'email_hint', 'token_hash'])
      .where('email_hint', '=', 'w•••@vendor.example')
      .executeTakeFirstOrThrow();
    expect(invite).toMatchObject({ org_id: null, roles: ['triager', 'product_admin'] });
    expect(invite.token_hash).not.toContain(link.split('/').at(-1));

    // The list shows the masked hint and status, never the address or the link.
    const list = await call(adminInvitesRoute.loader, '/admin/invites', admin);
    const shown = JSON.stringify(list.data);
    expect(shown).toContain('w•••@vendor.example');
    expect(shown).not.toContain('wei.zhang');
    expect(shown).not.toContain(link.split('/').at(-1));
  });

  it('refuses a bad address, and staff roles on an org invite, with form errors', async () => {
    const badEmail = await call(adminInvitesRoute.action, '/admin/invites', admin, {
      form: { intent: 'create', email: 'not-an-email', orgId: '', locale: 'en' },
    });
    expect(badEmail.status).toBe(400);
    expect(badEmail.data.result.error).toEqual({ email: ['common.errors.invalidEmail'] });

    const staffRoleIntoOrg = await call(adminInvitesRoute.action, '/admin/invites', admin, {
      form: { intent: 'create', email: 'someone@acme-networks.example', orgId: acmeId, roles: 'finance_admin', locale: 'en' },
    });
    expect(staffRoleIntoOrg.status).toBe(400);
    expect(staffRoleIntoOrg.data.result.error).toEqual({ roles: ['admin.errors.role_not_allowed'] });
  });

  it('shows whether each invite is pending, accepted, revoked or expired, newest first', async () => {
    const orgId = await makeOrg(app, { name: uniqueName('Statuses') });
    const inviter = actorOf(admin, ['admin']);
    const ids: string[] = [];
    for (const email of ['pending@s.example', 'accepted@s.example', 'revoked@s.example', 'expired@s.example']) {
      const { inviteId } = await createInvite(db(), app.services.vaultKeys, inviter, { email, orgId }, TEST_PUBLIC_URL);
      ids.push(inviteId);
    }
    await db().updateTable('invite').set({ accepted_at: new Date() }).where('id', '=', ids[1]!).execute();
    await db().updateTable('invite').set({ revoked_at: new Date() }).where('id', '=', ids[2]!).execute();
    await db().updateTable('invite').set({ expires_at: new Date(Date.now() - 1000) }).where('id', '=', ids[3]!).execute();

    const { invites } = await listInvites(db(), inviter, { orgId });
    expect(Object.fromEntries(invites.map((invite) => [invite.id, invite.status]))).toEqual({
      [ids[0]!]: 'pending',
      [ids[1]!]: 'accepted',
      [ids[2]!]: 'revoked',
      [ids[3]!]: 'expired',
    });
    const times = invites.map((invite) => new Date(invite.createdAt).getTime());
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it('pages through invites by (created_at, id) without OFFSET', async () => {
    const inviter = actorOf(admin, ['admin']);
    const all = await listInvites(db(), inviter, { limit: 200 });
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await listInvites(db(), inviter, { limit: 3, after });
      seen.push(...page.invites.map((invite) => invite.id));
      if (!page.nextAfter) break;
      after = page.nextAfter;
    }
    expect(seen).toEqual(all.invites.map((invite) => invite.id));
  });

  it('an admin revokes a pending invite once; it is audited and cannot be revoked twice', async () => {
    const { inviteId } = await createInvite(
      db(),
      app.services.vaultKeys,
      actorOf(admin, ['admin']),
      { email: 'revoke-me@globex.example', orgId: globexId },
      TEST_PUBLIC_URL,
    );
    const first = await call(adminInvitesRoute.action, '/admin/invites', admin, { form: { intent: 'revoke', inviteId } });
    expect(first).toMatchObject({ status: 302, location: '/admin/invites' });
    const row = await db().selectFrom('invite').select('revoked_at').where('id', '=', inviteId).executeTakeFirstOrThrow();
    expect(row.revoked_at).toBeInstanceOf(Date);
    expect(await auditRows('invite.revoke', inviteId)).toEqual([
      expect.objectContaining({ actor_id: admin.id, before: { status: 'pending' }, after: { status: 'revoked' } }),
    ]);

    const second = await call(adminInvitesRoute.action, '/admin/invites', admin, { form: { intent: 'revoke', inviteId } });
    expect(second.status).toBe(400);
    expect(second.data.result.error).toEqual({ '': ['admin.errors.invite_revoked'] });
  });

  it('an org admin invites into their own org only: another org is a 403, staff roles are refused', async () => {
    const otherOrg = await call(adminInvitesRoute.action, '/admin/invites', acmeAdmin, {
      form: { intent: 'create', email: 'x@globex.example', orgId: globexId, locale: 'en' },
    });
    expect(otherOrg.status).toBe(403);
    expect(otherOrg.data).toBeUndefined();

    const staffRole = await call(adminInvitesRoute.action, '/admin/invites', acmeAdmin, {
      form: { intent: 'create', email: 'y@acme-networks.example', orgId: acmeId, roles: 'triager', locale: 'en' },
    });
    expect(staffRole.status).toBe(403);

    const noOrg = await call(adminInvitesRoute.action, '/admin/invites', acmeAdmin, {
      form: { intent: 'create', email: 'z@vendor.example', orgId: '', locale: 'en' },
    });
    expect(noOrg.status).toBe(403);

    const orgAdminActor = actorOf(acmeAdmin, ['org_admin'], acmeId);
    for (const input of [
      { email: 'a@globex.example', orgId: globexId },
      { email: 'b@acme-networks.example', orgId: acmeId, roles: ['finance_admin' as const] },
    ]) {
      await expect(createInvite(db(), app.services.vaultKeys, orgAdminActor, input, TEST_PUBLIC_URL)).rejects.toMatchObject({
        status: 403,
      });
    }

    // Nothing was written by any refused attempt.
    const written = await db().selectFrom('invite').select('id').where('created_by', '=', acmeAdmin.id).execute();
    expect(written).toHaveLength(0);

    // Their own page invites into their org, as member or org admin.
    const own = await call(orgRoute.action, '/org', acmeAdmin, {
      form: { intent: 'invite', email: 'New.Colleague@acme-networks.example', makeOrgAdmin: 'on', locale: 'en' },
    });
    expect(own.status).toBe(200);
    expect(own.data.created.link).toContain('/invite/');
    const invite = await db()
      .selectFrom('invite')
      .select(['org_id', 'roles'])
      .where('created_by', '=', acmeAdmin.id)
      .executeTakeFirstOrThrow();
    expect(invite).toEqual({ org_id: acmeId, roles: ['org_admin'] });
  });

  it('an org admin sees and revokes only their own org’s invites', async () => {
    const byAdmin = actorOf(admin, ['admin']);
    const globexInvite = await createInvite(db(), app.services.vaultKeys, byAdmin, { email: 'g1@globex.example', orgId: globexId }, TEST_PUBLIC_URL);
    const acmeInvite = await createInvite(db(), app.services.vaultKeys, byAdmin, { email: 'a1@acme-networks.example', orgId: acmeId }, TEST_PUBLIC_URL);

    const page = await call(orgRoute.loader, '/org', acmeAdmin);
    expect(page.status).toBe(200);
    const orgIds = new Set(page.data.invites.map((invite: { orgId: string }) => invite.orgId));
    expect([...orgIds]).toEqual([acmeId]);
    expect(page.data.invites.map((invite: { id: string }) => invite.id)).toContain(acmeInvite.inviteId);

    // The admin invites page, reached by an org admin, is scoped the same way.
    const adminPage = await call(adminInvitesRoute.loader, '/admin/invites', acmeAdmin);
    expect(new Set(adminPage.data.invites.map((invite: { orgId: string }) => invite.orgId))).toEqual(new Set([acmeId]));
    await expect(listInvites(db(), actorOf(acmeAdmin, ['org_admin'], acmeId), { orgId: globexId })).rejects.toMatchObject({ status: 403 });

    // Another org's invite looks like a missing one, and stays pending.
    const foreign = await call(orgRoute.action, '/org', acmeAdmin, { form: { intent: 'revoke', inviteId: globexInvite.inviteId } });
    expect(foreign.status).toBe(400);
    expect(foreign.data.result.error).toEqual({ '': ['admin.errors.invite_not_found'] });
    const still = await db().selectFrom('invite').select('revoked_at').where('id', '=', globexInvite.inviteId).executeTakeFirstOrThrow();
    expect(still.revoked_at).toBeNull();

    const ownRevoke = await call(orgRoute.action, '/org', acmeAdmin, { form: { intent: 'revoke', inviteId: acmeInvite.inviteId } });
    expect(ownRevoke).toMatchObject({ status: 302, location: '/org' });
  });

  it('the org page shows name, tier and active member count, and nothing about who', async () => {
    const page = await call(orgRoute.loader, '/org', acmeAdmin);
    expect(Object.keys(page.data.org).sort()).toEqual(['activeMemberCount', 'name', 'valueTier']);
    expect(page.data.org).toMatchObject({ name: 'Acme Networks', valueTier: 'strategic' });
    expect(page.data.org.activeMemberCount).toBeGreaterThanOrEqual(1);
  });
});

describe('roles', () => {
  it('granting a role audits before and after, ends every session of the person and writes exactly one outbox event', async () => {
    const target = await makeUser(app, { roles: ['auditor'] });
    const oldCookie = await sessionCookieFor(app, target.id);
    await sessionCookieFor(app, target.id);
    expect(await sessionCount(target.id)).toBe(2);

    const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, {
      form: { intent: 'grant', userId: target.id, role: 'triager' },
    });
    expect(outcome).toMatchObject({ status: 302, location: '/admin/staff' });

    const roles = await db().selectFrom('user_role').select('role').where('user_id', '=', target.id).orderBy('role').execute();
    expect(roles.map((row) => row.role)).toEqual(['auditor', 'triager']);
    expect(await sessionCount(target.id)).toBe(0);
    expect(await rolesChangedEvents(target.id)).toBe(1);
    expect(await auditRows('role.grant', target.id)).toEqual([
      expect.objectContaining({ actor_id: admin.id, before: { roles: ['auditor'] }, after: { roles: ['auditor', 'triager'] } }),
    ]);

    // The old session no longer opens anything: a new login is needed.
    const request = makeRequest('/audit', { cookie: oldCookie });
    const { response } = await settle(() => auditRoute.loader({ request, context: loadContext(app), params: {} }));
    expect(response?.status).toBe(302);
    expect(response?.headers.get('Location')).toMatch(/^\/login/);
  });

  it('revoking a role does the same: audit, sessions ended, one outbox event', async () => {
    const target = await makeUser(app, { roles: ['finance_approver', 'triager'] });
    await sessionCookieFor(app, target.id);
    const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, {
      form: { intent: 'revokeRole', userId: target.id, role: 'finance_approver' },
    });
    expect(outcome.status).toBe(302);
    expect(await sessionCount(target.id)).toBe(0);
    expect(await rolesChangedEvents(target.id)).toBe(1);
    expect(await auditRows('role.revoke', target.id)).toEqual([
      expect.objectContaining({ before: { roles: ['finance_approver', 'triager'] }, after: { roles: ['triager'] } }),
    ]);
  });

  it('gives staff roles only to vendor accounts and org_admin only to members of an org', async () => {
    const member = await makeUser(app, { orgId: acmeId });
    const vendor = await makeUser(app);
    await sessionCookieFor(app, member.id);
    for (const [user, role] of [
      [member, 'triager'],
      [member, 'admin'],
      [vendor, 'org_admin'],
    ] as const) {
      const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, { form: { intent: 'grant', userId: user.id, role } });
      expect(outcome.status, role).toBe(400);
      expect(outcome.data.result.error).toEqual({ role: ['admin.errors.role_not_allowed'] });
    }
    // A refused change leaves everything as it was.
    expect(await sessionCount(member.id)).toBe(1);
    expect(await rolesChangedEvents(member.id)).toBe(0);
    expect(await rolesChangedEvents(vendor.id)).toBe(0);

    await grantRole(db(), actorOf(admin, ['admin']), { userId: member.id, role: 'org_admin' });
    await grantRole(db(), actorOf(admin, ['admin']), { userId: vendor.id, role: 'finance_admin' });
    await expect(grantRole(db(), actorOf(admin, ['admin']), { userId: vendor.id, role: 'finance_admin' })).rejects.toMatchObject({
      code: 'role_already_held',
    });
    await expect(revokeRole(db(), actorOf(admin, ['admin']), { userId: vendor.id, role: 'auditor' })).rejects.toMatchObject({
      code: 'role_not_held',
    });
  });

  it('only admins change roles, even when the use-case is called directly', async () => {
    const target = await makeUser(app);
    await expect(grantRole(db(), actorOf(auditor, ['auditor']), { userId: target.id, role: 'admin' })).rejects.toMatchObject({
      status: 403,
    });
    const forbidden = await call(adminStaffRoute.action, '/admin/staff', auditor, {
      form: { intent: 'grant', userId: target.id, role: 'admin' },
    });
    expect(forbidden.status).toBe(403);
    expect(await db().selectFrom('user_role').select('role').where('user_id', '=', target.id).execute()).toEqual([]);
  });

  it('never removes the last active admin, even when two admins remove each other at once', async () => {
    // Start from exactly one active admin, plus a disabled one that does not count.
    await db().deleteFrom('user_role').where('role', '=', 'admin').where('user_id', '!=', admin.id).execute();
    const disabledAdmin = await makeUser(app, { roles: ['admin'] });
    await db().updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', disabledAdmin.id).execute();

    const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, {
      form: { intent: 'revokeRole', userId: admin.id, role: 'admin' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toEqual({ role: ['admin.errors.last_admin'] });
    expect(await rolesChangedEvents(admin.id)).toBe(0);

    const second = await makeUser(app, { roles: ['admin'] });
    const results = await Promise.allSettled([
      revokeRole(db(), actorOf(admin, ['admin']), { userId: second.id, role: 'admin' }),
      revokeRole(db(), actorOf(second, ['admin']), { userId: admin.id, role: 'admin' }),
    ]);
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((result) => result.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toMatchObject({ code: 'last_admin' });
    const activeAdmins = await db()
      .selectFrom('user_role')
      .innerJoin('app_user', 'app_user.id', 'user_role.user_id')
      .select('user_role.user_id')
      .where('user_role.role', '=', 'admin')
      .where('app_user.disabled_at', 'is', null)
      .execute();
    expect(activeAdmins).toHaveLength(1);

    // Leave the main admin in charge for the tests that follow.
    if (activeAdmins[0]!.user_id !== admin.id) {
      await grantRole(db(), actorOf(second, ['admin']), { userId: admin.id, role: 'admin' });
    }
  });

  it('finds an account by exact email, returning its pseudonym only, and audits the lookup', async () => {
    const person = await makeUser(app, { email: 'Li.Na@vendor.example', name: 'Li Na' });
    const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, { form: { intent: 'find', email: 'li.na@VENDOR.example' } });
    expect(outcome.status).toBe(200);
    expect(outcome.data.found).toMatchObject({ id: person.id, pseudonym: person.pseudonym, isOrgMember: false, roles: [] });
    const shown = JSON.stringify(outcome.data.found);
    expect(shown).not.toContain('Li Na');
    expect(shown).not.toContain('li.na@');

    const [audit] = await auditRows('user.lookup_by_email', person.id);
    expect(audit).toMatchObject({ actor_id: admin.id, after: { found: true } });
    expect(JSON.stringify(audit)).not.toContain('li.na');

    const missing = await call(adminStaffRoute.action, '/admin/staff', admin, { form: { intent: 'find', email: 'nobody@vendor.example' } });
    expect(missing.data.found).toBeNull();
    expect(missing.data.result.error).toEqual({ email: ['admin.staff.notFound'] });
    expect(await findAccountByEmail(db(), app.services.vaultKeys, actorOf(admin, ['admin']), { email: 'nobody@vendor.example' })).toBeUndefined();
  });

  it('lists staff by pseudonym with display names and roles, never names or emails', async () => {
    const staffer = await makeUser(app, { roles: ['product_admin'], email: 'Secret.Person@vendor.example', name: 'Secret Person' });
    const renamed = await call(adminStaffRoute.action, '/admin/staff', admin, {
      form: { intent: 'rename', userId: staffer.id, staffDisplayName: '  Mei (Product)  ' },
    });
    expect(renamed.status).toBe(302);
    expect(await auditRows('user.staff_display_name', staffer.id)).toEqual([
      expect.objectContaining({ before: { staffDisplayName: null }, after: { staffDisplayName: 'Mei (Product)' } }),
    ]);

    const list = await call(adminStaffRoute.loader, '/admin/staff', admin);
    const row = list.data.staff.find((person: { id: string }) => person.id === staffer.id);
    expect(row).toEqual({
      id: staffer.id,
      pseudonym: staffer.pseudonym,
      pseudonymZh: expect.any(String),
      staffDisplayName: 'Mei (Product)',
      isOrgMember: false,
      roles: ['product_admin'],
    });
    const shown = JSON.stringify(list.data);
    expect(shown).not.toContain('Secret Person');
    expect(shown).not.toContain('secret.person');
    // Members without a role are not staff.
    const plain = await makeUser(app, { orgId: acmeId });
    const again = await call(adminStaffRoute.loader, '/admin/staff', admin);
    expect(JSON.stringify(again.data)).not.toContain(plain.id);
  });

  it('gives a display name to vendor staff only', async () => {
    const outcome = await call(adminStaffRoute.action, '/admin/staff', admin, {
      form: { intent: 'rename', userId: acmeAdmin.id, staffDisplayName: 'Real Name' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toEqual({ staffDisplayName: ['admin.errors.not_staff'] });
  });
});

describe('settings', () => {
  const valid = {
    anonymityThreshold: '7',
    currency: 'usd',
    defaultLocale: 'zh-CN',
    sessionIdleMinutes: '120',
    sessionAbsoluteDays: '30',
    inviteExpiryDays: '14',
    tierWeightStrategic: '5',
    tierWeightMajor: '3',
    tierWeightStandard: '1',
    postsPerHour: '10',
    commentsPerHour: '60',
    triageSlaHours: '48',
    mailSubjectsNeutral: 'on',
    twoApproverThreshold: '50,000.00',
    perPersonCap: '200,000.00',
    lowBalanceThreshold: '100,000.00',
    withholdingPercent: '20',
  };

  it('refuses bad values with messages on the form and changes nothing', async () => {
    const before = await getSettings(db());
    const outcome = await call(adminSettingsRoute.action, '/admin/settings', admin, {
      form: { ...valid, anonymityThreshold: '1', currency: 'yuan', sessionAbsoluteDays: 'soon', inviteExpiryDays: '3.5' },
    });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error).toMatchObject({
      anonymityThreshold: ['admin.errors.outOfRange?min=2&max=1000'],
      currency: ['admin.errors.currencyInvalid'],
      sessionAbsoluteDays: ['admin.errors.wholeNumber'],
      inviteExpiryDays: ['admin.errors.wholeNumber'],
    });
    const idle = await call(adminSettingsRoute.action, '/admin/settings', admin, {
      form: { ...valid, sessionIdleMinutes: String(3 * 24 * 60), sessionAbsoluteDays: '1' },
    });
    expect(idle.status).toBe(400);
    expect(idle.data.result.error).toEqual({ sessionIdleMinutes: ['admin.errors.idleLongerThanAbsolute'] });
    expect(await getSettings(db())).toEqual(before);
    expect(await auditRows('setting.update')).toEqual([]);
  });

  it('saves valid settings and audits each changed key with before and after', async () => {
    const outcome = await call(adminSettingsRoute.action, '/admin/settings', admin, { form: valid });
    expect(outcome).toMatchObject({ status: 302, location: '/admin/settings' });
    expect(await getSettings(db())).toEqual({
      anonymityThreshold: 7,
      currency: 'USD',
      defaultLocale: 'zh-CN',
      sessionIdleMinutes: 120,
      sessionAbsoluteDays: 30,
      inviteExpiryDays: 14,
      tierWeightStrategic: 5,
      tierWeightMajor: 3,
      tierWeightStandard: 1,
      postsPerHour: 10,
      commentsPerHour: 60,
      triageSlaHours: 48,
      mailSubjectsNeutral: true,
      twoApproverThresholdMinor: '5000000',
      perPersonCapMinor: '20000000',
      lowBalanceThresholdMinor: '10000000',
      withholdingPercent: 20,
    });
    const audits = await auditRows('setting.update');
    // Only the keys that changed from their defaults (absolute days and invite expiry did not).
    expect(audits.map((row) => row.subject_id).sort()).toEqual(['anonymityThreshold', 'currency', 'defaultLocale', 'sessionIdleMinutes']);
    expect(audits.find((row) => row.subject_id === 'anonymityThreshold')).toMatchObject({
      actor_id: admin.id,
      before: { anonymityThreshold: 5 },
      after: { anonymityThreshold: 7 },
    });
    // Put the defaults back for the tests that follow.
    await call(adminSettingsRoute.action, '/admin/settings', admin, {
      form: { ...valid, anonymityThreshold: '5', currency: 'CNY', defaultLocale: 'en', sessionIdleMinutes: String(60 * 24 * 7) },
    });
  });
});

describe('audit log page', () => {
  it('is forbidden to everyone but auditors, with no data', async () => {
    for (const user of [admin, acmeAdmin, await makeUser(app, { roles: ['finance_admin'] })]) {
      const outcome = await call(auditRoute.loader, '/audit', user);
      expect(outcome.status).toBe(403);
      expect(outcome.data).toBeUndefined();
    }
  });

  it('shows auditors the newest entries first with the actor’s pseudonym, paged by id', async () => {
    const target = await makeUser(app);
    await grantRole(db(), actorOf(admin, ['admin']), { userId: target.id, role: 'auditor' });
    const first = await call(auditRoute.loader, '/audit', auditor);
    expect(first.status).toBe(200);
    const entries = first.data.entries as { id: string; actorPseudonym: string | null; action: string; subjectId: string; before: unknown; after: unknown }[];
    const ids = entries.map((entry) => BigInt(entry.id));
    expect([...ids].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(ids);
    expect(entries[0]).toMatchObject({
      actorPseudonym: admin.pseudonym,
      action: 'role.grant',
      subjectId: target.id,
      before: { roles: [] },
      after: { roles: ['auditor'] },
    });

    // Paging by id visits every entry once, without OFFSET.
    const reader = actorOf(auditor, ['auditor']);
    const all = await listAuditLog(db(), reader, { limit: 200 });
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await listAuditLog(db(), reader, { limit: 7, before });
      seen.push(...page.entries.map((entry) => entry.id));
      if (!page.nextBefore) break;
      before = page.nextBefore;
    }
    expect(seen).toEqual(all.entries.map((entry) => entry.id));
    const second = await call(auditRoute.loader, `/audit?before=${entries[0]!.id}`, auditor);
    expect(second.data.entries[0].id).toBe(entries[1]!.id);
    // A malformed cursor is ignored rather than a 500.
    const junk = await call(auditRoute.loader, '/audit?before=1;DROP', auditor);
    expect(junk.status).toBe(200);
  });
});

describe('dev mailbox', () => {
  it('is for admins only', async () => {
    for (const user of [auditor, acmeAdmin, await makeUser(app, { orgId: acmeId })]) {
      const outcome = await call(adminMailboxRoute.loader, '/admin/mailbox', user);
      expect(outcome.status).toBe(403);
      expect(outcome.data).toBeUndefined();
    }
    const anonymous = await call(adminMailboxRoute.loader, '/admin/mailbox', null);
    expect(anonymous.status).toBe(302);
    expect(anonymous.location).toMatch(/^\/login\?redirectTo=%2Fadmin%2Fmailbox/);
  });

  it('shows admins the kept mail, newest first', async () => {
    // Explicit times: two mails sent within one millisecond would tie.
    await db()
      .insertInto('dev_mail')
      .values([
        { id: 'mailfirst', to_address: 'first@vendor.example', subject: 'First', text_body: 'one', created_at: new Date(Date.now() + 60_000) },
        {
          id: 'mailsecond',
          to_address: 'second@vendor.example',
          subject: 'Second',
          text_body: `open ${TEST_PUBLIC_URL}/verify-email/abc`,
          created_at: new Date(Date.now() + 120_000),
        },
      ])
      .execute();
    const outcome = await call(adminMailboxRoute.loader, '/admin/mailbox', admin);
    expect(outcome.data.smtp).toBe(false);
    const subjects = outcome.data.mails.map((mail: { subject: string }) => mail.subject);
    expect(subjects.slice(0, 2)).toEqual(['Second', 'First']);
    expect(outcome.data.mails[0]).toMatchObject({ to: 'second@vendor.example', body: expect.stringContaining('/verify-email/abc') });
  });

  it('says SMTP is configured instead of listing anything when mail really goes out', async () => {
    const context = loadContext(app);
    const smtpContext = {
      ...context,
      services: { ...context.services, mailer: { ...context.services.mailer, keepsMailInDatabase: false } },
    };
    const outcome = await call(adminMailboxRoute.loader, '/admin/mailbox', admin, { context: smtpContext });
    expect(outcome.data).toEqual({ smtp: true, mails: [], nextAfter: null });
  });
});
