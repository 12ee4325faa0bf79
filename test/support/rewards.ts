import type { Actor } from '../../app/domain/admin/actor.server.js';
import { saveMemberPayoutDetails } from '../../app/domain/payouts/payout-details.server.js';
import { createPool } from '../../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../../app/domain/pools/top-up-pool.server.js';
import { decideNomination } from '../../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../../app/domain/rewards/reconcile-nominations.server.js';
import { applyStatusChanges } from '../../app/domain/triage/apply-status-changes.server.js';
import { randomId } from '../../app/utils/crypto.server.js';
import { createPostRow, createProductArea } from '../../db/factories.js';
import { makeOrg, makeUser, type TestApp } from './services.js';

export interface RewardWorld {
  orgId: string;
  areaId: string;
  poolId: string;
  triager: Actor;
  financeAdmin: Actor;
  approver: Actor;
}

/** An org that consented to cash rewards, a funded pool for this year, and the staff to move a post through. */
export async function makeRewardWorld(app: TestApp, fundsMinor = 10_000_000_00n): Promise<RewardWorld> {
  const db = app.services.db;
  const staff = async (role: 'triager' | 'finance_admin' | 'finance_approver'): Promise<Actor> => ({
    id: (await makeUser(app, { roles: [role] })).id,
    orgId: null,
    roles: [role],
  });
  const orgId = await makeOrg(app, { name: `Org ${randomId().slice(0, 6)}`, valueTier: 'major' });
  await db.updateTable('org').set({ reward_mode: 'member' }).where('id', '=', orgId).execute();
  const areaId = await createProductArea(db, { slug: `area-${randomId().slice(0, 8)}`, nameEn: 'Area', nameZh: '领域' });
  const financeAdmin = await staff('finance_admin');
  const year = new Date().getUTCFullYear();
  const { id: poolId } = await createPool(db, financeAdmin, {
    name: 'Test rewards',
    currency: 'CNY',
    budgetMinor: fundsMinor,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
  });
  await topUpPool(db, financeAdmin, { poolId, amountMinor: fundsMinor, reason: 'budget', submissionKey: randomId() });
  return { orgId, areaId, poolId, triager: await staff('triager'), financeAdmin, approver: await staff('finance_approver') };
}

/** A member's request, planned, nominated and approved: one reward waiting to be paid. */
export async function makeApprovedReward(
  app: TestApp,
  world: RewardWorld,
  options: { payoutDetails?: boolean } = {},
): Promise<{ rewardId: string; nominationId: string; memberId: string }> {
  const db = app.services.db;
  const member = await makeUser(app, { orgId: world.orgId });
  const memberActor: Actor = { id: member.id, orgId: world.orgId, roles: [] };
  if (options.payoutDetails ?? true) {
    await saveMemberPayoutDetails(db, app.services.vaultKeys, memberActor, {
      accountHolder: 'Test Payee',
      accountNumber: `6222 0000 ${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      bankName: 'Test Bank',
    });
  }
  const postId = await createPostRow(db, { authorId: member.id, productAreaId: world.areaId, title: `Request ${randomId()}` });
  await db.transaction().execute((trx) => applyStatusChanges(trx, world.triager.id, [{ postId, to: 'planned' }]));
  await reconcileNominations(db, postId);
  const nomination = await db.selectFrom('nomination').select('id').where('post_id', '=', postId).executeTakeFirstOrThrow();
  await db.updateTable('nomination').set({ pool_id: world.poolId }).where('id', '=', nomination.id).execute();
  await decideNomination(db, world.approver, { nominationId: nomination.id, decision: 'approve' });
  const reward = await db.selectFrom('reward').select('id').where('nomination_id', '=', nomination.id).executeTakeFirstOrThrow();
  return { rewardId: reward.id, nominationId: nomination.id, memberId: member.id };
}
