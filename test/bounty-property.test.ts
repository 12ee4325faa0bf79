// A property test over the bounty's domain operations, not just ledger
// postings: random sequences of top-up, nominate (plan), roll back, approve,
// reject, pay and return against one pool. After every step the ledger
// balances, no account is overdrawn, and every balance equals what the
// rewards and payments say it should be.
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { isDomainError } from '../app/domain/errors.js';
import { bankBatchAdapter } from '../app/domain/payouts/adapters.server.js';
import { saveMemberPayoutDetails } from '../app/domain/payouts/payout-details.server.js';
import { returnPayment, runPayout, settlePayment } from '../app/domain/payouts/run-payout.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { decideNomination } from '../app/domain/rewards/decide-nomination.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { applyStatusChanges } from '../app/domain/triage/apply-status-changes.server.js';
import { randomId } from '../app/utils/crypto.server.js';
import { createPostRow } from '../db/factories.js';
import { makeRewardWorld, type RewardWorld } from './support/rewards.js';
import { createTestApp, makeUser, type TestApp } from './support/services.js';

let app: TestApp;
let world: RewardWorld;
let approvers: Actor[];
const members: Actor[] = [];
const db = () => app.services.db;

beforeAll(async () => {
  app = await createTestApp();
  world = await makeRewardWorld(app, 1n);
  approvers = [
    world.approver,
    { id: (await makeUser(app, { roles: ['finance_admin'] })).id, orgId: null, roles: ['finance_admin'] },
  ];
  for (let index = 0; index < 3; index += 1) {
    const member = await makeUser(app, { orgId: world.orgId });
    const actor: Actor = { id: member.id, orgId: world.orgId, roles: [] };
    await saveMemberPayoutDetails(db(), app.services.vaultKeys, actor, {
      accountHolder: 'P',
      accountNumber: `6222000000${index}1234`,
      bankName: 'B',
    });
    members.push(actor);
  }
  await updateSettings(db(), world.financeAdmin.id, { perPersonCapMinor: '100000000000' });
}, 60_000);

afterAll(async () => {
  await app?.close();
});

type Step =
  | { op: 'top_up'; amount: bigint }
  | { op: 'plan' | 'roll_back' | 'approve' | 'reject' | 'pay' | 'settle' | 'return'; post: number; who: number };

// Weighted so that sequences often get far (planned, approved, paid, returned),
// while rollbacks, rejections and top-ups still interleave anywhere.
const onPost = (op: Exclude<Step['op'], 'top_up'>) =>
  fc
    .record({ post: fc.integer({ min: 0, max: 1 }), who: fc.integer({ min: 0, max: 1 }) })
    .map((value): Step => ({ op, ...value }));
const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 2, arbitrary: fc.bigInt({ min: 1n, max: 60_000_00n }).map((amount): Step => ({ op: 'top_up', amount })) },
  { weight: 3, arbitrary: onPost('plan') },
  { weight: 3, arbitrary: onPost('approve') },
  { weight: 3, arbitrary: onPost('pay') },
  { weight: 2, arbitrary: onPost('settle') },
  { weight: 2, arbitrary: onPost('return') },
  { weight: 1, arbitrary: onPost('roll_back') },
  { weight: 1, arbitrary: onPost('reject') },
);

/** Refusals the rules allow (not enough money, not pending…) are fine; anything else fails the property. */
async function tolerateRefusal(run: () => Promise<unknown>): Promise<void> {
  try {
    await run();
  } catch (error) {
    if (!isDomainError(error)) throw error;
  }
}

async function apply(poolId: string, posts: string[], current: Step): Promise<void> {
  if (current.op === 'top_up') {
    await topUpPool(db(), world.financeAdmin, {
      poolId,
      amountMinor: current.amount,
      reason: 'property',
      submissionKey: randomId(),
    });
    return;
  }
  const postId = posts[current.post]!;
  const nomination = await db()
    .selectFrom('nomination')
    .select(['id', 'status'])
    .where('post_id', '=', postId)
    .executeTakeFirst();
  const payment = await db()
    .selectFrom('payment')
    .innerJoin('reward', 'reward.id', 'payment.reward_id')
    .select(['payment.id', 'payment.status'])
    .where('reward.nomination_id', '=', nomination?.id ?? '')
    .where('payment.status', 'not in', ['returned', 'failed'])
    .executeTakeFirst();
  switch (current.op) {
    case 'plan':
    case 'roll_back':
      await tolerateRefusal(() =>
        db()
          .transaction()
          .execute((trx) =>
            applyStatusChanges(trx, world.triager.id, [{ postId, to: current.op === 'plan' ? 'planned' : 'under_review' }]),
          ),
      );
      await reconcileNominations(db(), postId);
      if (current.op === 'plan') {
        await db()
          .updateTable('nomination')
          .set({ pool_id: poolId })
          .where('post_id', '=', postId)
          .where('status', '=', 'pending')
          .execute();
      }
      return;
    case 'approve':
    case 'reject': {
      if (!nomination) return;
      const decision = current.op;
      await tolerateRefusal(() =>
        decideNomination(db(), approvers[current.who]!, { nominationId: nomination.id, decision, reason: 'property' }),
      );
      return;
    }
    case 'pay': {
      const rewards = await db()
        .selectFrom('reward')
        .select('id')
        .where('nomination_id', '=', nomination?.id ?? '')
        .execute();
      for (const reward of rewards)
        await runPayout({ db: db(), keys: app.services.vaultKeys, adapter: bankBatchAdapter(db()) }, reward.id);
      return;
    }
    case 'settle':
      if (!payment) return;

      await tolerateRefusal(() =>
        db()
          .transaction()
          .execute((trx) => settlePayment(trx, { paymentId: payment.id, actorId: null })),
      );
      return;
    case 'return':
      if (!payment || payment.status === 'pending') return;
      await db()
        .transaction()
        .execute((trx) => returnPayment(trx, { paymentId: payment.id, actorId: null, reason: 'property' }));
      // A returned payment waits for new details; give them so the next pay can go ahead.
      const owner = await db()
        .selectFrom('payment')
        .innerJoin('reward', 'reward.id', 'payment.reward_id')
        .select('reward.beneficiary_id')
        .where('payment.id', '=', payment.id)
        .executeTakeFirstOrThrow();
      await new Promise((resolve) => setTimeout(resolve, 2));
      await saveMemberPayoutDetails(
        db(),
        app.services.vaultKeys,
        { id: owner.beneficiary_id, orgId: world.orgId, roles: [] },
        {
          accountHolder: 'P',
          accountNumber: `62220${Date.now()}`,
          bankName: 'B',
        },
      );
      return;
  }
}

async function expectInvariants(poolId: string): Promise<void> {
  const totals = await sql<{
    currency: string;
    total: string;
  }>`SELECT currency, sum(amount_minor)::text AS total FROM ledger_entry GROUP BY currency`.execute(db());
  for (const row of totals.rows) expect(row.total, `ledger sum in ${row.currency}`).toBe('0');
  const drift = await sql<{ id: string }>`
    SELECT a.id FROM ledger_account a
    LEFT JOIN (SELECT account_id, sum(amount_minor) AS total FROM ledger_entry GROUP BY account_id) e ON e.account_id = a.id
    WHERE a.balance_minor <> coalesce(e.total, 0) OR (NOT a.may_go_negative AND a.balance_minor < 0)`.execute(db());
  expect(drift.rows).toEqual([]);

  const expected = await sql<{ reserved: string; payable: string; withheld: string }>`
    SELECT
      (SELECT coalesce(sum(r.gross_minor), 0) FROM reward r JOIN nomination n ON n.id = r.nomination_id
        WHERE n.pool_id = ${poolId} AND r.status IN ('approved', 'paying')
          AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.reward_id = r.id AND p.status IN ('debited', 'submitted', 'paid')))::text AS reserved,
      (SELECT coalesce(sum(net_minor), 0) FROM payment WHERE pool_id = ${poolId} AND status IN ('debited', 'submitted'))::text AS payable,
      (SELECT coalesce(sum(withheld_minor), 0) FROM payment WHERE pool_id = ${poolId} AND status IN ('debited', 'submitted', 'paid'))::text AS withheld`.execute(
    db(),
  );
  const accounts = await db()
    .selectFrom('ledger_account')
    .select(['kind', 'balance_minor'])
    .where('pool_id', '=', poolId)
    .execute();
  const balance = (kind: string) => accounts.find((account) => account.kind === kind)!.balance_minor;
  expect(balance('pool_reserved'), 'reserved = approved rewards not yet debited').toBe(expected.rows[0]!.reserved);
  expect(balance('payee_payable'), 'payable = payments debited, not yet paid').toBe(expected.rows[0]!.payable);
  expect(balance('withholding_payable'), 'withheld = withholding of live payments').toBe(expected.rows[0]!.withheld);

  const doubled = await sql<{ reward_id: string }>`
    SELECT reward_id FROM payment WHERE status NOT IN ('returned', 'failed') GROUP BY reward_id HAVING count(*) > 1`.execute(
    db(),
  );
  expect(doubled.rows, 'one live payment per reward').toEqual([]);
}

it('the ledger and the rewards agree after every step of any sequence', async () => {
  await fc.assert(
    fc.asyncProperty(
      fc.bigInt({ min: 0n, max: 50_000_00n }),
      fc.array(step, { minLength: 3, maxLength: 20 }),
      async (funds, steps) => {
        const year = new Date().getUTCFullYear();
        const { id: poolId } = await createPool(db(), world.financeAdmin, {
          name: `Property ${randomId().slice(0, 5)}`,
          currency: 'CNY',
          budgetMinor: 10_000_000_00n,
          periodStart: `${year}-01-01`,
          periodEnd: `${year}-12-31`,
        });
        if (funds > 0n)
          await topUpPool(db(), world.financeAdmin, { poolId, amountMinor: funds, reason: 'opening', submissionKey: randomId() });
        const posts: string[] = [];
        for (let index = 0; index < 2; index += 1) {
          posts.push(
            await createPostRow(db(), {
              authorId: members[index % members.length]!.id,
              productAreaId: world.areaId,
              title: `Property ${randomId()}`,
            }),
          );
        }
        // Both posts start adopted, so the random steps act on live nominations from the first one.
        const opening: Step[] = [
          { op: 'plan', post: 0, who: 0 },
          { op: 'plan', post: 1, who: 0 },
        ];
        for (const current of [...opening, ...steps]) {
          await apply(poolId, posts, current);
          await expectInvariants(poolId);
        }
      },
    ),
    // A fixed seed keeps CI reproducible; the check below proves these 100 sequences reach every stage.
    { numRuns: 100, seed: 20261126 },
  );
  // The sequences did reach every stage: money was reserved, paid, returned and refused.
  const reached = await sql<{ kind: string }>`SELECT DISTINCT kind FROM ledger_transaction`.execute(db());
  expect(reached.rows.map((row) => row.kind).sort()).toEqual(
    expect.arrayContaining(['debit', 'release', 'reserve', 'reverse_debit', 'settle', 'top_up']),
  );
  const refusals = await db().selectFrom('audit_log').select('id').where('action', '=', 'nomination.approve_refused').execute();
  expect(refusals.length).toBeGreaterThan(0);
}, 300_000);
