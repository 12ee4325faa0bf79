// The nominations queue as finance uses it, through the page's loader and
// actions: what a nomination shows (and never shows: a member's real
// identity), adjusting within the tier's range, and maker-checker — a maker
// cannot approve, large amounts need two distinct approvers, a rejection
// needs a reason — with every refusal a message on the form, never a 500.
import type { AppLoadContext } from '@remix-run/node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { decideNomination, type NominationError } from '../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import en from '../app/locales/en.js';
import zhCN from '../app/locales/zh-CN.js';
import * as nominationRoute from '../app/routes/finance.nominations_.$nominationId.js';
import * as queueRoute from '../app/routes/finance.nominations.js';
import { randomId } from '../app/utils/crypto.server.js';
import { takeFlash } from '../app/utils/flash.server.js';
import { getT, translateMessage } from '../app/utils/i18n.js';
import { createPostRow } from '../db/factories.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, loadContext, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;
type Outcome = { status: number; location?: string | null; flash?: string | null; data?: any };

let app: TestApp;
let world: RewardWorld;
let secondApprover: Actor;
const cookies = new Map<string, string>();

const db = () => app.services.db;

// A member with a distinctive real identity: none of it may reach finance.
const MEMBER_NAME = 'Zebulon Quartermaine';
const MEMBER_EMAIL = 'zebulon.q.secret@nominee-org.example';

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app, 1_000_000_00n);
  await db().updateTable('org').set({ name: 'Nominee Secret Org' }).where('id', '=', world.orgId).execute();
  const second = await makeUser(app, { roles: ['finance_approver'] });
  secondApprover = { id: second.id, orgId: null, roles: ['finance_approver'] };
  const names: Array<[Actor, string]> = [
    [world.financeAdmin, 'Felix (Finance lead)'],
    [world.approver, 'Fang (Finance)'],
    [secondApprover, 'Gao (Finance)'],
  ];
  for (const [actor, name] of names) {
    await db().updateTable('app_user').set({ staff_display_name: name }).where('id', '=', actor.id).execute();
    cookies.set(actor.id, await sessionCookieFor(app, actor.id));
  }
}, 60_000);

afterAll(async () => {
  await app?.close();
});

const cookieOf = (actor: Actor) => cookies.get(actor.id)!;

async function call(handler: Handler, path: string, actor: Actor, options: { form?: Record<string, string>; params?: Record<string, string> } = {}): Promise<Outcome> {
  const request = makeRequest(path, { form: options.form, cookie: cookieOf(actor), method: options.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: options.params ?? {} }));
  if (response) {
    const setCookie = response.headers.get('Set-Cookie');
    const flash = setCookie ? (await takeFlash(makeRequest('/', { cookie: setCookie.split(';')[0] }))).message : null;
    return { status: response.status, location: response.headers.get('Location'), flash };
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

const page = (nominationId: string, actor: Actor) =>
  call(nominationRoute.loader as Handler, `/finance/nominations/${nominationId}`, actor, { params: { nominationId } });
const act = (nominationId: string, actor: Actor, form: Record<string, string>) =>
  call(nominationRoute.action as Handler, `/finance/nominations/${nominationId}`, actor, { form, params: { nominationId } });

/** A message key as an English reader sees it (a missing key stays a key, which the tests catch). */
const t = (message: string) => translateMessage(getT('en'), message);

/** A member's request moved to planned: the adoption worker's pending nomination, drawing from the world's pool. */
async function nominate(input: { name?: string; email?: string; impactHoursPerWeek?: number } = {}): Promise<{ nominationId: string; memberId: string; postId: string }> {
  const member = await makeUser(app, { orgId: world.orgId, name: input.name, email: input.email });
  const postId = await createPostRow(db(), {
    authorId: member.id,
    productAreaId: world.areaId,
    title: `Request ${randomId().slice(0, 6)}`,
    impactHoursPerWeek: input.impactHoursPerWeek,
  });
  await db().transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId, to: 'planned' }]));
  await reconcileNominations(db(), postId);
  const nomination = await db().selectFrom('nomination').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
  await db().updateTable('nomination').set({ pool_id: world.poolId }).where('id', '=', nomination.id).execute();
  return { nominationId: nomination.id, memberId: member.id, postId };
}

async function nominationStatus(nominationId: string): Promise<string> {
  return (await db().selectFrom('nomination').select('status').where('id', '=', nominationId).executeTakeFirstOrThrow()).status;
}

async function refusals(nominationId: string): Promise<Array<{ action: string; code: unknown }>> {
  const rows = await db().selectFrom('audit_log').select(['action', 'after']).where('subject_id', '=', nominationId).where('action', 'like', '%_refused').orderBy('id').execute();
  return rows.map((row) => ({ action: row.action, code: (row.after as { code?: unknown }).code }));
}

describe('the nominations queue', () => {
  it('shows a nomination with its post, pseudonym, policy version, computed amount and why, and no real identity', async () => {
    const { nominationId, memberId } = await nominate({ name: MEMBER_NAME, email: MEMBER_EMAIL, impactHoursPerWeek: 6 });
    const member = await db().selectFrom('app_user').select(['pseudonym', 'pseudonym_zh']).where('id', '=', memberId).executeTakeFirstOrThrow();

    const queue = await call(queueRoute.loader as Handler, '/finance/nominations', world.approver);
    const listed = queue.data.nominations.find((one: { id: string }) => one.id === nominationId);
    expect(listed).toMatchObject({
      status: 'pending',
      trigger: 'request_adopted',
      policyVersion: 1,
      currency: 'CNY',
      post: { type: 'request', status: 'planned' },
      beneficiaries: [{ pseudonym: member.pseudonym, pseudonymZh: member.pseudonym_zh, role: 'author', orgTier: null }],
      approvals: 0,
      approvalsRequired: 1,
    });
    expect(queue.data.pendingCount).toBeGreaterThanOrEqual(1);

    const detail = await page(nominationId, world.approver);
    expect(detail.status).toBe(200);
    const nomination = detail.data.nomination;
    // ¥10,000.00 × (100% + 6 points for 6 hours a week) = ¥10,600.00.
    expect(nomination).toMatchObject({
      amountMinor: '1060000',
      computedMinor: '1060000',
      impactPercent: 106,
      policy: { version: 1, impactMinPercent: 100, impactMaxPercent: 300, coauthorSharePercent: 20 },
      explanation: { tier: 'request_adopted', defaultMinor: '1000000', impactPercent: 106, parts: { orgs: 0, hours: 6, sites: 0 }, capped: false },
      range: { minMinor: '1000000', maxMinor: '3000000' },
      pool: { id: world.poolId, state: 'open' },
      viewer: { canAdjust: true, canDecide: true, blockedBecause: null },
    });
    expect(nomination.rewards).toEqual([
      expect.objectContaining({ pseudonym: member.pseudonym, role: 'author', orgRewardMode: 'member', grossMinor: '1060000', status: 'nominated' }),
    ]);

    // The whole data of both pages: pseudonyms only.
    for (const data of [queue.data, detail.data]) {
      const text = JSON.stringify(data);
      for (const secret of [MEMBER_NAME, MEMBER_EMAIL, 'zebulon.q.secret', 'Nominee Secret Org', memberId]) expect(text).not.toContain(secret);
    }
  });

  it('lists decided nominations under their tab and flagged rewards under theirs', async () => {
    const { nominationId } = await nominate();
    await decideNomination(db(), world.approver, { nominationId, decision: 'reject', reason: 'Duplicate of an earlier reward.' });
    const rejected = await call(queueRoute.loader as Handler, '/finance/nominations?view=rejected', world.approver);
    expect(rejected.data.view).toBe('rejected');
    expect(rejected.data.nominations.map((one: { id: string }) => one.id)).toContain(nominationId);
    const pending = await call(queueRoute.loader as Handler, '/finance/nominations', world.approver);
    expect(pending.data.nominations.map((one: { id: string }) => one.id)).not.toContain(nominationId);

    const flaggedOne = await nominate();
    await db().updateTable('reward').set({ flagged_at: new Date(), flag_reason: 'post moved to under_review after payment started' }).where('nomination_id', '=', flaggedOne.nominationId).execute();
    const flagged = await call(queueRoute.loader as Handler, '/finance/nominations?view=flagged', world.approver);
    expect(flagged.data.flagged.map((one: { nominationId: string }) => one.nominationId)).toContain(flaggedOne.nominationId);
    // A made-up tab falls back to the pending queue.
    expect((await call(queueRoute.loader as Handler, '/finance/nominations?view=everything', world.approver)).data.view).toBe('pending');
  });

  it('pages the queue by cursor, oldest pending first, without repeating a row', async () => {
    for (let index = 0; index < 3; index += 1) await nominate();
    const seen: string[] = [];
    let path = '/finance/nominations';
    for (let pageNumber = 0; pageNumber < 20; pageNumber += 1) {
      const outcome = await call(queueRoute.loader as Handler, path, world.approver);
      seen.push(...outcome.data.nominations.map((one: { id: string }) => one.id));
      if (!outcome.data.nextCursor) break;
      path = `/finance/nominations?after=${encodeURIComponent(outcome.data.nextCursor)}`;
    }
    const pending = await db().selectFrom('nomination').select('id').where('status', '=', 'pending').orderBy('created_at').orderBy('id').execute();
    expect(seen).toEqual(pending.map((row) => row.id));
  });

  it('answers 404 for an unknown nomination', async () => {
    expect((await page('nosuchnomination', world.approver)).status).toBe(404);
    expect((await act('nosuchnomination', world.approver, { intent: 'approve' })).status).toBe(404);
  });
});

describe('adjusting', () => {
  it('adjusts within the tier range with a reason, shown with who and why', async () => {
    const { nominationId } = await nominate();
    const outcome = await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '15,000.00', reason: 'Saved two sites a week of work.' });
    expect(outcome).toMatchObject({ status: 302, location: `/finance/nominations/${nominationId}`, flash: 'finance.flash.adjusted' });
    const { nomination } = (await page(nominationId, world.approver)).data;
    expect(nomination.amountMinor).toBe('1500000');
    expect(nomination.adjustments).toEqual([
      expect.objectContaining({ fromMinor: '1000000', toMinor: '1500000', reason: 'Saved two sites a week of work.', by: 'Felix (Finance lead)' }),
    ]);
    expect(nomination.rewards[0].grossMinor).toBe('1500000');
  });

  it('refuses an amount outside the tier range with the range in the message, changing nothing', async () => {
    const { nominationId } = await nominate();
    const outcome = await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '50,000.00', reason: 'Too generous.' });
    expect(outcome.status).toBe(400);
    const [message] = outcome.data.result.error.amount;
    expect(t(message)).toBe('Enter an amount from CN¥10,000.00 to CN¥30,000.00, the range of this tier under the policy.');
    expect((await page(nominationId, world.approver)).data.nomination.amountMinor).toBe('1000000');
    expect(await refusals(nominationId)).toEqual([{ action: 'nomination.adjust_refused', code: 'amount_out_of_range' }]);
  });

  it('refuses an adjustment without a reason, or with a malformed amount, on the field', async () => {
    const { nominationId } = await nominate();
    const noReason = await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '12,000.00', reason: '' });
    expect(noReason.status).toBe(400);
    expect(noReason.data).toMatchObject({ intent: 'adjust', result: { error: { reason: ['finance.nominations.errors.reason_required'] } } });
    const badAmount = await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '12,000.005', reason: 'x' });
    expect(badAmount.status).toBe(400);
    expect(badAmount.data.result.error.amount).toEqual(['finance.errors.amount_too_precise?currency=CNY&digits=2']);
  });
});

describe('maker-checker through the pages', () => {
  it('refuses the adjuster’s own approval with a clear message, and another approver may approve', async () => {
    const { nominationId } = await nominate();
    await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '12,000.00', reason: 'Impact verified.' });
    expect((await page(nominationId, world.financeAdmin)).data.nomination.viewer).toEqual({ canAdjust: true, canDecide: false, blockedBecause: 'adjuster' });

    const refused = await act(nominationId, world.financeAdmin, { intent: 'approve' });
    expect(refused.status).toBe(403);
    expect(refused.data).toMatchObject({ intent: 'decide', result: { error: { '': ['finance.nominations.errors.self_approval'] } } });
    expect(t('finance.nominations.errors.self_approval')).toBe('You proposed or adjusted this nomination, so someone else must approve it.');
    expect(await nominationStatus(nominationId)).toBe('pending');
    expect(await refusals(nominationId)).toEqual([{ action: 'nomination.approve_refused', code: 'self_approval' }]);
    // Rejecting is a decision too: the adjuster may not.
    expect((await act(nominationId, world.financeAdmin, { intent: 'reject', reason: 'Changed my mind.' })).status).toBe(403);

    const approved = await act(nominationId, world.approver, { intent: 'approve' });
    expect(approved).toMatchObject({ status: 302, flash: 'finance.flash.approved' });
    expect(await nominationStatus(nominationId)).toBe('approved');
  });

  it('at the two-approver threshold, the first approval waits and the second approver sees it', async () => {
    await updateSettings(db(), world.financeAdmin.id, { twoApproverThresholdMinor: '1000000' });
    try {
      const { nominationId } = await nominate();
      expect((await page(nominationId, world.approver)).data.nomination.approvalsRequired).toBe(2);

      const first = await act(nominationId, world.approver, { intent: 'approve', reason: 'Checked the impact figures.' });
      expect(first).toMatchObject({ status: 302, flash: 'finance.flash.awaitingSecondApproval' });
      expect(t('finance.flash.awaitingSecondApproval')).toMatch(/awaiting a second approval/);
      expect(await nominationStatus(nominationId)).toBe('pending');

      // The first approver cannot be the second.
      const again = await act(nominationId, world.approver, { intent: 'approve' });
      expect(again.status).toBe(409);
      expect(again.data.result.error['']).toEqual(['finance.nominations.errors.already_decided']);
      expect((await page(nominationId, world.approver)).data.nomination.viewer.blockedBecause).toBe('already_decided');

      // The second approver sees the first's decision, reason and name, and that theirs completes it.
      const seen = (await page(nominationId, secondApprover)).data.nomination;
      expect(seen).toMatchObject({ approvals: 1, approvalsRequired: 2, viewer: { canDecide: true, canAdjust: false } });
      expect(seen.decisions).toEqual([
        expect.objectContaining({ decision: 'approve', reason: 'Checked the impact figures.', by: 'Fang (Finance)', byViewer: false }),
      ]);
      // Once approved by anyone, the amount is fixed.
      const lateAdjust = await act(nominationId, world.financeAdmin, { intent: 'adjust', amount: '11,000.00', reason: 'late' });
      expect(lateAdjust.status).toBe(409);
      expect(lateAdjust.data.result.error['']).toEqual(['finance.nominations.errors.adjust_after_approval']);

      const before = await getPoolBalances(db(), world.poolId);
      const second = await act(nominationId, secondApprover, { intent: 'approve' });
      expect(second).toMatchObject({ status: 302, flash: 'finance.flash.approved' });
      expect(await nominationStatus(nominationId)).toBe('approved');
      const after = await getPoolBalances(db(), world.poolId);
      expect(BigInt(after.reserved) - BigInt(before.reserved)).toBe(1_000_000n);
    } finally {
      await updateSettings(db(), world.financeAdmin.id, { twoApproverThresholdMinor: '5000000' });
    }
  });

  it('needs a reason to reject, and then rejects', async () => {
    const { nominationId } = await nominate();
    const noReason = await act(nominationId, world.approver, { intent: 'reject', reason: '   ' });
    expect(noReason.status).toBe(400);
    expect(noReason.data).toMatchObject({ intent: 'decide', result: { error: { reason: ['finance.nominations.errors.reason_required'] } } });
    expect(await nominationStatus(nominationId)).toBe('pending');

    const rejected = await act(nominationId, world.approver, { intent: 'reject', reason: 'Already rewarded under another post.' });
    expect(rejected).toMatchObject({ status: 302, flash: 'finance.flash.rejected' });
    expect(await nominationStatus(nominationId)).toBe('rejected');

    // A decided nomination cannot be approved afterwards.
    const late = await act(nominationId, secondApprover, { intent: 'approve' });
    expect(late.status).toBe(409);
    expect(late.data.result.error['']).toEqual(['finance.nominations.errors.not_pending']);
    expect((await page(nominationId, secondApprover)).data.nomination.viewer).toEqual({ canAdjust: false, canDecide: false, blockedBecause: null });
  });

  it('says so when the pool cannot cover the reward, approving nothing', async () => {
    const { id: poorPool } = await createPool(db(), world.financeAdmin, {
      name: 'Nearly empty',
      currency: 'CNY',
      budgetMinor: 100_000_00n,
      periodStart: `${new Date().getUTCFullYear()}-01-01`,
      periodEnd: `${new Date().getUTCFullYear()}-12-31`,
    });
    await topUpPool(db(), world.financeAdmin, { poolId: poorPool, amountMinor: 100_00n, reason: 'small', submissionKey: randomId() });
    const { nominationId } = await nominate();
    await db().updateTable('nomination').set({ pool_id: poorPool }).where('id', '=', nominationId).execute();
    const refused = await act(nominationId, world.approver, { intent: 'approve' });
    expect(refused.status).toBe(409);
    expect(refused.data.result.error['']).toEqual(['finance.nominations.errors.insufficient_funds']);
    expect(t('finance.nominations.errors.insufficient_funds')).toMatch(/^The pool cannot cover this reward/);
    expect(await nominationStatus(nominationId)).toBe('pending');
    expect(await getPoolBalances(db(), poorPool)).toMatchObject({ available: '10000', reserved: '0' });
  });

  it('ignores a form without a decision, with a message', async () => {
    const { nominationId } = await nominate();
    const outcome = await act(nominationId, world.approver, { intent: 'approve-all' });
    expect(outcome.status).toBe(400);
    expect(await nominationStatus(nominationId)).toBe('pending');
  });
});

describe('refusal messages', () => {
  const CODES: NominationError[] = [
    'forbidden',
    'nomination_not_found',
    'not_pending',
    'self_approval',
    'already_decided',
    'adjust_after_approval',
    'amount_out_of_range',
    'reason_required',
    'no_open_pool',
    'per_person_cap',
    'insufficient_funds',
  ];

  it('has an English and a Chinese message for every refusal of a nomination', () => {
    for (const code of CODES) {
      expect(en.finance.nominations.errors[code], code).toBeTruthy();
      expect(zhCN.finance.nominations.errors[code], code).toMatch(/[\u4e00-\u9fff]/);
    }
  });
});
