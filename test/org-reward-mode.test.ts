// An org's reward mode: chosen by its own org admin with explicit consent,
// recorded with who and when (and an audit row), shown to other org admins
// without unmasking a colleague's pseudonym, and applied by finance's
// approval as it stands at that moment. Plus the org's own payout account.
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { setRewardMode } from '../app/domain/orgs/set-reward-mode.server.js';
import { decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import en from '../app/locales/en.js';
import * as orgRoute from '../app/routes/org.js';
import { createPostRow, type CreatedUser } from '../db/factories.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let world: RewardWorld;
const db = () => app.services.db;

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

async function call(user: CreatedUser | null, form?: Record<string, string>): Promise<{ status: number; location?: string | null; data?: any }> {
  const cookie = user ? await sessionCookieFor(app, user.id) : undefined;
  const handler = (form ? orgRoute.action : orgRoute.loader) as Handler;
  const request = makeRequest('/org', { form, cookie, method: form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

async function newOrg(name: string) {
  const orgId = await makeOrg(app, { name, valueTier: 'major' });
  const admin = await makeUser(app, { orgId, roles: ['org_admin'] });
  return { orgId, admin, actor: { id: admin.id, orgId, roles: ['org_admin'] } as Actor };
}

const orgRow = (orgId: string) =>
  db().selectFrom('org').select(['reward_mode', 'reward_mode_set_by', 'reward_mode_set_at']).where('id', '=', orgId).executeTakeFirstOrThrow();
const auditsOf = (orgId: string) =>
  db().selectFrom('audit_log').select(['actor_id', 'action', 'before', 'after']).where('subject_id', '=', orgId).where('action', 'like', 'org.reward_mode%').execute();

/** A member's request nominated (pending), drawing on the world's pool. */
async function nominationFor(member: CreatedUser): Promise<string> {
  const postId = await createPostRow(db(), { authorId: member.id, productAreaId: world.areaId, title: `Idea ${Math.random().toString(36).slice(2, 8)}` });
  await db().transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId, to: 'planned' }]));
  await reconcileNominations(db(), postId);
  const nomination = await db().selectFrom('nomination').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
  await db().updateTable('nomination').set({ pool_id: world.poolId }).where('id', '=', nomination.id).execute();
  return nomination.id;
}

describe('choosing the reward mode', () => {
  it('starts as recognition only, chosen by nobody', async () => {
    const { orgId, admin } = await newOrg('Fresh Org');
    expect(await orgRow(orgId)).toEqual({ reward_mode: 'recognition', reward_mode_set_by: null, reward_mode_set_at: null });
    const page = await call(admin);
    expect(page.data.rewards).toEqual({ mode: { mode: 'recognition', setBy: null, setDay: null }, payout: null });
  });

  it('records the org admin’s choice with who and when, and an audit row of before and after', async () => {
    const { orgId, admin } = await newOrg('Choosing Org');
    const saved = await call(admin, { intent: 'reward-mode', mode: 'member', consent: 'on' });
    expect(saved).toMatchObject({ status: 302, location: '/org#reward-mode' });
    const row = await orgRow(orgId);
    expect(row).toMatchObject({ reward_mode: 'member', reward_mode_set_by: admin.id });
    expect(row.reward_mode_set_at).toBeInstanceOf(Date);
    expect(await auditsOf(orgId)).toEqual([
      { actor_id: admin.id, action: 'org.reward_mode_set', before: { mode: 'recognition', setBy: null }, after: { mode: 'member', consent: true } },
    ]);
    const page = await call(admin);
    expect(page.data.rewards.mode).toEqual({ mode: 'member', setBy: 'you', setDay: new Date().toISOString().slice(0, 10) });
  });

  it('refuses a choice without the consent box ticked, and changes nothing', async () => {
    const { orgId, admin, actor } = await newOrg('Unconsenting Org');
    const refused = await call(admin, { intent: 'reward-mode', mode: 'member' });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error.consent).toEqual(['rewards.orgMode.errors.consent_required']);
    expect(en.rewards.orgMode.errors.consent_required).toMatch(/Tick the box/);
    await expect(setRewardMode(db(), actor, { mode: 'org', consent: false })).rejects.toMatchObject({ code: 'consent_required', field: 'consent' });
    expect(await orgRow(orgId)).toMatchObject({ reward_mode: 'recognition', reward_mode_set_by: null });
    expect(await auditsOf(orgId)).toEqual([]);

    const noMode = await call(admin, { intent: 'reward-mode', mode: 'bribe', consent: 'on' });
    expect(noMode.status).toBe(400);
    expect(noMode.data.result.error.mode).toEqual(['rewards.orgMode.errors.modeRequired']);
  });

  it('lets only an org admin choose, and only for their own org', async () => {
    const a = await newOrg('Org Alpha');
    const b = await newOrg('Org Beta');
    const member = await makeUser(app, { orgId: a.orgId });
    expect((await call(member, { intent: 'reward-mode', mode: 'member', consent: 'on' })).status).toBe(403);
    await expect(setRewardMode(db(), { id: member.id, orgId: a.orgId, roles: [] }, { mode: 'member', consent: true })).rejects.toMatchObject({
      code: 'forbidden',
      status: 403,
    });
    // A vendor admin may open /org but belongs to no org: nothing to choose for.
    const vendorAdmin = await makeUser(app, { roles: ['admin'] });
    const vendor = await call(vendorAdmin, { intent: 'reward-mode', mode: 'member', consent: 'on' });
    expect(vendor.status).toBe(400);
    expect(vendor.data.result.error['']).toEqual(['admin.errors.noOrg']);
    await expect(setRewardMode(db(), { id: vendorAdmin.id, orgId: null, roles: ['admin'] }, { mode: 'member', consent: true })).rejects.toMatchObject({
      code: 'forbidden',
    });
    // Org Beta's admin choosing changes Org Beta only.
    await call(b.admin, { intent: 'reward-mode', mode: 'org', consent: 'on' });
    expect((await orgRow(a.orgId)).reward_mode).toBe('recognition');
    expect((await orgRow(b.orgId)).reward_mode).toBe('org');
  });

  it('tells another org admin that “an org admin” chose, never who by pseudonym', async () => {
    const { orgId, admin } = await newOrg('Two Admins Org');
    const colleague = await makeUser(app, { orgId, roles: ['org_admin'] });
    await call(admin, { intent: 'reward-mode', mode: 'org', consent: 'on' });
    const page = await call(colleague);
    expect(page.data.rewards.mode).toMatchObject({ mode: 'org', setBy: 'another_org_admin' });
    const json = JSON.stringify(page.data);
    expect(json).not.toContain(admin.pseudonym);
    expect(json).not.toContain(admin.id);
  });
});

describe('the mode at approval decides', () => {
  it('pays cash when the org consented after the nomination but before approval', async () => {
    const { orgId, actor } = await newOrg('Late Consent Org');
    const member = await makeUser(app, { orgId });
    const nominationId = await nominationFor(member);
    const reservedBefore = BigInt((await getPoolBalances(db(), world.poolId)).reserved);
    await setRewardMode(db(), actor, { mode: 'member', consent: true });
    await decideNomination(db(), world.approver, { nominationId, decision: 'approve' });
    const reward = await db().selectFrom('reward').select(['status', 'payout_mode', 'gross_minor']).where('nomination_id', '=', nominationId).executeTakeFirstOrThrow();
    expect(reward).toMatchObject({ status: 'approved', payout_mode: 'member' });
    expect(BigInt((await getPoolBalances(db(), world.poolId)).reserved) - reservedBefore).toBe(BigInt(reward.gross_minor));
  });

  it('gives recognition only when the org withdrew its consent before approval, reserving nothing', async () => {
    const { orgId, actor } = await newOrg('Withdrawn Consent Org');
    await setRewardMode(db(), actor, { mode: 'member', consent: true });
    const member = await makeUser(app, { orgId });
    const nominationId = await nominationFor(member);
    await setRewardMode(db(), actor, { mode: 'recognition', consent: true });
    const reservedBefore = (await getPoolBalances(db(), world.poolId)).reserved;
    await decideNomination(db(), world.approver, { nominationId, decision: 'approve' });
    const reward = await db().selectFrom('reward').select(['status', 'payout_mode']).where('nomination_id', '=', nominationId).executeTakeFirstOrThrow();
    expect(reward).toEqual({ status: 'recognised', payout_mode: 'recognition' });
    expect((await getPoolBalances(db(), world.poolId)).reserved).toBe(reservedBefore);
  });

  it('leaves an approved reward as it was when the org changes its mind afterwards', async () => {
    const { orgId, actor } = await newOrg('Changed Mind Org');
    await setRewardMode(db(), actor, { mode: 'org', consent: true });
    const member = await makeUser(app, { orgId });
    const nominationId = await nominationFor(member);
    await decideNomination(db(), world.approver, { nominationId, decision: 'approve' });
    await setRewardMode(db(), actor, { mode: 'recognition', consent: true });
    const reward = await db().selectFrom('reward').select(['status', 'payout_mode']).where('nomination_id', '=', nominationId).executeTakeFirstOrThrow();
    expect(reward).toEqual({ status: 'approved', payout_mode: 'org' });
  });
});

describe('the org’s payout account', () => {
  const DETAILS = { accountHolder: 'Vexmoor Holdings Ltd', accountNumber: 'DE89 3704 0044 0532 0130 00', bankName: 'Kestrel Bank', bic: 'COBADEFFXXX' };

  it('is sealed, audited, and shown only as its last four characters', async () => {
    const { orgId, admin } = await newOrg('Paid Instead Org');
    await call(admin, { intent: 'reward-mode', mode: 'org', consent: 'on' });
    const saved = await call(admin, { intent: 'org-payout', ...DETAILS });
    expect(saved).toMatchObject({ status: 302, location: '/org#org-payout' });

    const row = await db().selectFrom('org_payout_vault').select(['sealed', 'last4', 'updated_by']).where('org_id', '=', orgId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ last4: '3000', updated_by: admin.id });
    const raw = `${row.sealed.toString('utf8')}${row.sealed.toString('latin1')}`;
    for (const plain of ['DE89370400440532013000', DETAILS.accountHolder, DETAILS.bankName, DETAILS.bic]) expect(raw).not.toContain(plain);
    const audit = await db().selectFrom('audit_log').select(['action', 'after']).where('subject_id', '=', orgId).where('action', '=', 'vault.write').execute();
    expect(audit).toEqual([{ action: 'vault.write', after: { kind: 'payout', last4: '3000' } }]);

    const page = await call(admin);
    expect(page.data.rewards.payout).toEqual({ last4: '3000', savedDay: new Date().toISOString().slice(0, 10) });
    const json = JSON.stringify(page.data);
    for (const plain of ['DE89', '0532013000', DETAILS.accountHolder, DETAILS.bankName]) expect(json).not.toContain(plain);
  });

  it('refuses bad details on the field without echoing the account number, and members cannot give it', async () => {
    const { orgId, admin } = await newOrg('Bad Details Org');
    const refused = await call(admin, { intent: 'org-payout', ...DETAILS, bic: 'XX' });
    expect(refused.status).toBe(400);
    expect(refused.data.result.error.bic).toEqual(['rewards.payout.errors.bic_invalid']);
    expect(JSON.stringify(refused.data)).not.toContain('3704');
    const member = await makeUser(app, { orgId });
    expect((await call(member, { intent: 'org-payout', ...DETAILS })).status).toBe(403);
    expect(await db().selectFrom('org_payout_vault').select('org_id').where('org_id', '=', orgId).execute()).toEqual([]);
  });
});
