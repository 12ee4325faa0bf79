// Adoption → nomination → approval (maker-checker) → reservation, against the
// real database: the rules of DESIGN.md flows 7–8 and the money promise.
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { isDomainError } from '../app/domain/errors.js';
import { getPoolBalances } from '../app/domain/ledger/ledger.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { adjustNomination, decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { createPostRow, createProductArea } from '../db/factories.js';
import type { PostStatus, RewardMode } from '../db/schema.js';
import { createTestApp, makeOrg, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
let areaId: string;
let orgId: string;
let triager: Actor;
let financeAdmin: Actor;
let approverA: Actor;
let approverB: Actor;
let poolId: string;

const db = () => app.services.db;
const staff = (id: string, roles: Actor['roles']): Actor => ({ id, orgId: null, roles });

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'alarms', nameEn: 'Alarms', nameZh: '告警' });
  orgId = await makeOrg(app, { name: 'Paying Org', valueTier: 'major' });
  await setRewardMode(orgId, 'member');
  triager = staff((await makeUser(app, { roles: ['triager'] })).id, ['triager']);
  financeAdmin = staff((await makeUser(app, { roles: ['finance_admin'] })).id, ['finance_admin']);
  approverA = staff((await makeUser(app, { roles: ['finance_approver'] })).id, ['finance_approver']);
  approverB = staff((await makeUser(app, { roles: ['finance_approver'] })).id, ['finance_approver']);
  poolId = await newPool(1_000_000_00n);
}, 60_000);

afterAll(async () => {
  await app?.close();
});

async function setRewardMode(id: string, mode: RewardMode): Promise<void> {
  await db().updateTable('org').set({ reward_mode: mode }).where('id', '=', id).execute();
}

async function newPool(topUpMinor: bigint): Promise<string> {
  const year = new Date().getUTCFullYear();
  const { id } = await createPool(db(), financeAdmin, {
    name: `Reward pool ${randomId().slice(0, 5)}`,
    currency: 'CNY',
    budgetMinor: 2_000_000_00n,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
  });
  if (topUpMinor > 0n) await topUpPool(db(), financeAdmin, { poolId: id, amountMinor: topUpMinor, reason: 'budget', submissionKey: randomId() });
  return id;
}

async function memberPost(input: { type?: 'request' | 'complaint'; authorId?: string } = {}) {
  const authorId = input.authorId ?? (await makeUser(app, { orgId })).id;
  const postId = await createPostRow(db(), { authorId, productAreaId: areaId, type: input.type ?? 'request', title: `Post ${randomId()}` });
  return { postId, authorId };
}

async function moveTo(postId: string, ...statuses: PostStatus[]): Promise<void> {
  for (const to of statuses) {
    await db()
      .transaction()
      .execute((trx) => applyStatusChanges(trx, triager.id, [{ postId, to, note: to === 'declined' ? 'Not now.' : null }]));
    await reconcileNominations(db(), postId);
  }
  // Every test pool covers today; pin the shared one so tests don't drain each other's.
  await db().updateTable('nomination').set({ pool_id: poolId }).where('post_id', '=', postId).where('status', '=', 'pending').execute();
}

async function nominationsOf(postId: string) {
  return db()
    .selectFrom('nomination')
    .select(['id', 'trigger', 'status', 'amount_minor', 'round', 'approvals_required', 'pool_id'])
    .where('post_id', '=', postId)
    .orderBy('trigger')
    .execute();
}

async function rewardsOf(nominationId: string) {
  return db()
    .selectFrom('reward')
    .select(['beneficiary_id', 'role', 'status', 'gross_minor', 'withheld_minor', 'net_minor', 'payout_mode', 'flagged_at'])
    .where('nomination_id', '=', nominationId)
    .orderBy('role')
    .execute();
}

async function auditActions(subjectId: string): Promise<string[]> {
  const rows = await db().selectFrom('audit_log').select('action').where('subject_id', '=', subjectId).orderBy('id').execute();
  return rows.map((row) => row.action);
}

describe('adoption', () => {
  it('nominates the author once when a request is planned, however often the event arrives', async () => {
    const { postId, authorId } = await memberPost();
    await moveTo(postId, 'planned');
    await Promise.all(Array.from({ length: 5 }, () => reconcileNominations(db(), postId)));
    const nominations = await nominationsOf(postId);
    expect(nominations).toMatchObject([{ trigger: 'request_adopted', status: 'pending', amount_minor: '1000000', round: 1 }]);
    expect(await rewardsOf(nominations[0]!.id)).toMatchObject([{ beneficiary_id: authorId, role: 'author', status: 'nominated', gross_minor: '1000000' }]);
    expect(await auditActions(nominations[0]!.id)).toEqual(['nomination.create']);
  });

  it('adds the shipped reward when the request ships, and a fixed complaint earns its own', async () => {
    const request = await memberPost();
    await moveTo(request.postId, 'planned', 'in_progress', 'shipped');
    expect((await nominationsOf(request.postId)).map((one) => one.trigger)).toEqual(['request_adopted', 'request_shipped']);
    const complaint = await memberPost({ type: 'complaint' });
    await moveTo(complaint.postId, 'shipped');
    expect(await nominationsOf(complaint.postId)).toMatchObject([{ trigger: 'complaint_fixed', amount_minor: '200000' }]);
  });

  it('cancels a pending nomination on rollback (with an audit row) and reopens it in a new round when earned again', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [first] = await nominationsOf(postId);
    await moveTo(postId, 'under_review');
    expect(await nominationsOf(postId)).toMatchObject([{ id: first!.id, status: 'cancelled' }]);
    expect(await auditActions(first!.id)).toContain('nomination.cancel');
    await moveTo(postId, 'planned');
    expect(await nominationsOf(postId)).toMatchObject([{ id: first!.id, status: 'pending', round: 2 }]);
    expect(await rewardsOf(first!.id)).toMatchObject([{ status: 'nominated' }]);
  });

  it('nominates a post declined earlier and adopted later like any other', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'declined', 'under_review', 'planned');
    expect(await nominationsOf(postId)).toMatchObject([{ trigger: 'request_adopted', status: 'pending' }]);
  });

  it('gives the main reward to the earliest author among merged duplicates, and co-authors their share', async () => {
    const { postId, authorId } = await memberPost();
    const earlier = await makeUser(app, { orgId });
    const mergeId = await fakeMerge(postId, earlier.id, new Date(Date.now() - 86_400_000));
    expect(mergeId).toBeTruthy();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    const rewards = await rewardsOf(nomination!.id);
    expect(rewards).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ beneficiary_id: earlier.id, role: 'author', gross_minor: '1000000' }),
        expect.objectContaining({ beneficiary_id: authorId, role: 'coauthor', gross_minor: '200000' }),
      ]),
    );
  });

  it('never rewards vendor staff or disabled accounts', async () => {
    const { postId } = await memberPost({ authorId: triager.id });
    await moveTo(postId, 'planned');
    expect(await nominationsOf(postId)).toEqual([]);
  });
});

/** A merge's traces as the merge use-case leaves them: the co-author row is what adoption reads. */
async function fakeMerge(targetId: string, coauthorId: string, authoredAt: Date): Promise<string> {
  const sourceId = await createPostRow(db(), { authorId: coauthorId, productAreaId: areaId, title: `Dup ${randomId()}`, createdAt: authoredAt });
  const mergeId = randomId();
  await db()
    .insertInto('post_merge')
    .values({ id: mergeId, source_post_id: sourceId, target_post_id: targetId, source_status_before: 'open', merged_by: triager.id })
    .execute();
  await db().insertInto('post_coauthor').values({ post_id: targetId, user_id: coauthorId, merge_id: mergeId, authored_at: authoredAt }).execute();
  return mergeId;
}

describe('approval', () => {
  it('reserves the gross in the pool and fixes withholding and payout mode on approval', async () => {
    const pool = await newPool(100_000_00n);
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    await db().updateTable('nomination').set({ pool_id: pool }).where('id', '=', nomination!.id).execute();
    expect(await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' })).toBe('approved');
    expect(await rewardsOf(nomination!.id)).toMatchObject([
      { status: 'approved', payout_mode: 'member', gross_minor: '1000000', withheld_minor: '200000', net_minor: '800000' },
    ]);
    expect(await getPoolBalances(db(), pool)).toMatchObject({ available: String(100_000_00 - 10_000_00), reserved: '1000000' });
  });

  it('a rollback after approval but before payment releases the reservation', async () => {
    const pool = await newPool(100_000_00n);
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    await db().updateTable('nomination').set({ pool_id: pool }).where('id', '=', nomination!.id).execute();
    await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' });
    await moveTo(postId, 'under_review');
    expect(await nominationsOf(postId)).toMatchObject([{ status: 'cancelled' }]);
    expect(await getPoolBalances(db(), pool)).toMatchObject({ available: '10000000', reserved: '0' });
  });

  it('after payment started, a rollback flags the reward for finance instead', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' });
    await db().updateTable('reward').set({ status: 'paid' }).where('nomination_id', '=', nomination!.id).execute();
    await moveTo(postId, 'under_review');
    expect(await nominationsOf(postId)).toMatchObject([{ status: 'approved' }]);
    const [reward] = await rewardsOf(nomination!.id);
    expect(reward!.flagged_at).not.toBeNull();
    expect(await auditActions(nomination!.id)).toContain('reward.flag');
  });

  it('follows the org’s reward mode at the time of approval: recognition moves no money', async () => {
    const recognitionOrg = await makeOrg(app, { name: 'Recognition Org' });
    const author = await makeUser(app, { orgId: recognitionOrg });
    const { postId } = await memberPost({ authorId: author.id });
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    const before = await getPoolBalances(db(), poolId);
    await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' });
    expect(await rewardsOf(nomination!.id)).toMatchObject([{ status: 'recognised', payout_mode: 'recognition' }]);
    expect(await getPoolBalances(db(), poolId)).toEqual(before);
  });

  it('needs two distinct approvers at or above the threshold; the same approver cannot approve twice', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'shipped');
    const nomination = (await nominationsOf(postId)).find((one) => one.trigger === 'request_shipped');
    await adjustNomination(db(), financeAdmin, { nominationId: nomination!.id, amountMinor: 5_000_000n, reason: 'Wide impact' });
    expect(await nominationsOf(postId)).toContainEqual(expect.objectContaining({ approvals_required: 2, amount_minor: '5000000' }));
    expect(await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' })).toBe('awaiting_second_approval');
    await expect(decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'approve' })).rejects.toMatchObject({
      code: 'already_decided',
    });
    expect(await decideNomination(db(), approverB, { nominationId: nomination!.id, decision: 'approve' })).toBe('approved');
  });

  it('refuses self-approval by the adjuster, in code and in the database', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    const adjuster = staff((await makeUser(app, { roles: ['finance_approver'] })).id, ['finance_approver']);
    await adjustNomination(db(), adjuster, { nominationId: nomination!.id, amountMinor: 1_200_000n, reason: 'More orgs' });
    await expect(decideNomination(db(), adjuster, { nominationId: nomination!.id, decision: 'approve' })).rejects.toMatchObject({
      code: 'self_approval',
    });
    await expect(
      db()
        .insertInto('nomination_decision')
        .values({ id: randomId(), nomination_id: nomination!.id, approver_id: adjuster.id, round: 1, decision: 'approve' })
        .execute(),
    ).rejects.toThrow(/proposed, adjusted or benefits/);
    expect(await auditActions(nomination!.id)).toContain('nomination.approve_refused');
  });

  it('refuses a beneficiary as approver in the database, whatever the code does', async () => {
    const { postId, authorId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    await expect(
      db()
        .insertInto('nomination_decision')
        .values({ id: randomId(), nomination_id: nomination!.id, approver_id: authorId, round: 1, decision: 'approve' })
        .execute(),
    ).rejects.toThrow(/proposed, adjusted or benefits/);
  });

  it('refuses amounts outside the tier’s range and approving a rejected or cancelled nomination, with an audit row', async () => {
    const { postId } = await memberPost();
    await moveTo(postId, 'planned');
    const [nomination] = await nominationsOf(postId);
    await expect(
      adjustNomination(db(), financeAdmin, { nominationId: nomination!.id, amountMinor: 3_000_001n, reason: 'Too much' }),
    ).rejects.toMatchObject({ code: 'amount_out_of_range' });
    await expect(
      adjustNomination(db(), financeAdmin, { nominationId: nomination!.id, amountMinor: 999_999n, reason: 'Too little' }),
    ).rejects.toMatchObject({ code: 'amount_out_of_range' });
    expect((await nominationsOf(postId))[0]!.amount_minor).toBe('1000000');
    await expect(decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'reject' })).rejects.toMatchObject({
      code: 'reason_required',
    });
    await decideNomination(db(), approverA, { nominationId: nomination!.id, decision: 'reject', reason: 'Duplicate of an earlier reward' });
    await expect(decideNomination(db(), approverB, { nominationId: nomination!.id, decision: 'approve' })).rejects.toMatchObject({
      code: 'not_pending',
    });
    const actions = await auditActions(nomination!.id);
    expect(actions.filter((action) => action === 'nomination.adjust_refused')).toHaveLength(2);
    expect(actions).toContain('nomination.approve_refused');
  });

  it('50 concurrent approvals that exceed the pool: exactly those that fit succeed, the rest are refused clearly', async () => {
    const pool = await newPool(333_333_00n);
    await updateSettings(db(), financeAdmin.id, { perPersonCapMinor: '100000000000' });
    const nominationIds: string[] = [];
    for (let index = 0; index < 50; index += 1) {
      const { postId } = await memberPost();
      await moveTo(postId, 'planned');
      const [nomination] = await nominationsOf(postId);
      await db().updateTable('nomination').set({ pool_id: pool }).where('id', '=', nomination!.id).execute();
      nominationIds.push(nomination!.id);
    }
    const results = await Promise.allSettled(
      nominationIds.map((nominationId) => decideNomination(db(), approverB, { nominationId, decision: 'approve' })),
    );
    const approved = results.filter((result) => result.status === 'fulfilled');
    const refused = results.filter((result) => result.status === 'rejected') as PromiseRejectedResult[];
    expect(approved).toHaveLength(33);
    expect(refused).toHaveLength(17);
    for (const result of refused) expect(isDomainError(result.reason) && result.reason.code).toBe('insufficient_funds');
    expect(await getPoolBalances(db(), pool)).toMatchObject({ available: '333300', reserved: '33000000' });
    const pending = await db().selectFrom('nomination').select('id').where('id', 'in', nominationIds).where('status', '=', 'pending').execute();
    expect(pending).toHaveLength(17);
    const totals = await sql<{ total: string }>`SELECT coalesce(sum(amount_minor), 0) AS total FROM ledger_entry`.execute(db());
    expect(String(totals.rows[0]!.total)).toBe('0');
  }, 120_000);

  it('applies the per-person cap for the period', async () => {
    await updateSettings(db(), financeAdmin.id, { perPersonCapMinor: '1500000' });
    const author = await makeUser(app, { orgId });
    const first = await memberPost({ authorId: author.id });
    const second = await memberPost({ authorId: author.id });
    await moveTo(first.postId, 'planned');
    await moveTo(second.postId, 'planned');
    const [one] = await nominationsOf(first.postId);
    const [two] = await nominationsOf(second.postId);
    const pool = await newPool(100_000_00n);
    await db().updateTable('nomination').set({ pool_id: pool }).where('id', 'in', [one!.id, two!.id]).execute();
    await decideNomination(db(), approverA, { nominationId: one!.id, decision: 'approve' });
    await expect(decideNomination(db(), approverA, { nominationId: two!.id, decision: 'approve' })).rejects.toMatchObject({
      code: 'per_person_cap',
    });
    await updateSettings(db(), financeAdmin.id, { perPersonCapMinor: '20000000' });
  });
});
