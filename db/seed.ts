import type { Kysely } from 'kysely';
import type { VaultKeys } from '../app/domain/identity/vault.server.js';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { createRoadmapItem } from '../app/domain/roadmap/create-roadmap-item.server.js';
import { linkPostToRoadmapItem } from '../app/domain/roadmap/link-post-to-roadmap-item.server.js';
import { shipRoadmapItem } from '../app/domain/roadmap/ship-roadmap-item.server.js';
import { createTag } from '../app/domain/tags/create-tag.server.js';
import { triagePost } from '../app/domain/triage/triage-post.server.js';
import { setRewardMode } from '../app/domain/orgs/set-reward-mode.server.js';
import { createPool } from '../app/domain/pools/create-pool.server.js';
import { topUpPool } from '../app/domain/pools/top-up-pool.server.js';
import { getCurrentPolicy } from '../app/domain/rewards/current-policy.server.js';
import { reconcileNominations } from '../app/domain/rewards/reconcile-nominations.server.js';
import { createOrg, createPostRow, createProductArea, createUser } from './factories.js';
import type { Database, Role } from './schema.js';

/** One password for every demo account; printed at start-up, never used in production. */
export const DEMO_PASSWORD = 'candor-demo-2026';

export interface DemoLogin {
  role: string;
  email: string;
}

export const DEMO_LOGINS: DemoLogin[] = [
  { role: 'member', email: 'member@northwind.example' },
  { role: 'org admin', email: 'orgadmin@northwind.example' },
  { role: 'admin', email: 'admin@candor.example' },
  { role: 'triager', email: 'triager@candor.example' },
  { role: 'product admin', email: 'product@candor.example' },
  { role: 'finance approver', email: 'approver@candor.example' },
  { role: 'finance admin', email: 'finance@candor.example' },
  { role: 'auditor', email: 'auditor@candor.example' },
];

const STAFF: Array<{ email: string; name: string; display: string; roles: Role[] }> = [
  { email: 'admin@candor.example', name: 'Avery Admin', display: 'Avery (Candor ops)', roles: ['admin'] },
  { email: 'triager@candor.example', name: 'Tao Triager', display: 'Tao (Product)', roles: ['triager'] },
  { email: 'product@candor.example', name: 'Priya Product', display: 'Priya (Product lead)', roles: ['product_admin'] },
  { email: 'approver@candor.example', name: 'Fang Approver', display: 'Fang (Finance)', roles: ['finance_approver'] },
  { email: 'finance@candor.example', name: 'Felix Finance', display: 'Felix (Finance lead)', roles: ['finance_admin'] },
  { email: 'auditor@candor.example', name: 'Aiko Auditor', display: 'Aiko (Compliance)', roles: ['auditor'] },
];

/** Seeds demo orgs and one login per role, once: does nothing when accounts exist. */
export async function seedDemoData(db: Kysely<Database>, keys: VaultKeys): Promise<boolean> {
  const existing = await db.selectFrom('app_user').select('id').limit(1).executeTakeFirst();
  if (existing) return false;

  const northwind = await createOrg(db, { name: 'Northwind Telecom', valueTier: 'strategic', domains: ['northwind.example'] });
  const contoso = await createOrg(db, { name: 'Contoso Mobile', valueTier: 'major', domains: ['contoso.example'] });
  const fabrikam = await createOrg(db, { name: 'Fabrikam Networks', valueTier: 'standard', domains: ['fabrikam.example'] });

  const member = await createUser(db, keys, {
    email: 'member@northwind.example',
    name: 'Mei Member',
    password: DEMO_PASSWORD,
    orgId: northwind,
  });
  const orgAdmin = await createUser(db, keys, {
    email: 'orgadmin@northwind.example',
    name: 'Omar Orgadmin',
    password: DEMO_PASSWORD,
    orgId: northwind,
    roles: ['org_admin'],
  });
  // Northwind's org admin consents to cash rewards paid to its members: the demo's reward story.
  await setRewardMode(db, { id: orgAdmin.id, orgId: northwind, roles: ['org_admin'] }, { mode: 'member', consent: true });
  // Engineers at the other customers, so demo posts have votes from several orgs.
  const voters = [orgAdmin];
  for (const [index, orgId] of [contoso, contoso, fabrikam].entries()) {
    voters.push(
      await createUser(db, keys, {
        email: `engineer${index + 1}@${orgId === contoso ? 'contoso' : 'fabrikam'}.example`,
        name: `Demo Engineer ${index + 1}`,
        password: DEMO_PASSWORD,
        orgId,
      }),
    );
  }
  const staffIds: Record<string, string> = {};
  for (const staff of STAFF) {
    staffIds[staff.email] = (await createUser(db, keys, {
      email: staff.email,
      name: staff.name,
      password: DEMO_PASSWORD,
      roles: staff.roles,
      staffDisplayName: staff.display,
    })).id;
  }
  const postIds = await seedDemoPosts(db, member.id);
  // Votes and an official reply go through the same use-cases as the pages.
  for (const [index, voter] of voters.entries()) {
    const actor = { id: voter.id, orgId: null, roles: [] };
    for (const postId of postIds.slice(0, postIds.length - (index % 2))) {
      await toggleVote(db, actor, { postId });
    }
  }
  await addComment(
    db,
    { id: staffIds['triager@candor.example']!, orgId: null, roles: ['triager'] },
    { postId: postIds[0]!, body: 'Thanks for the detail. We can reproduce this on our lab network and are looking at alarm correlation.' },
  );
  await seedDemoRoadmap(db, { id: staffIds['product@candor.example']!, orgId: null, roles: ['product_admin'] }, postIds);
  await seedDemoTriage(
    db,
    { id: staffIds['triager@candor.example']!, orgId: null, roles: ['triager'] },
    { id: staffIds['product@candor.example']!, orgId: null, roles: ['product_admin'] },
    postIds,
  );
  await seedDemoFinance(db, { id: staffIds['finance@candor.example']!, orgId: null, roles: ['finance_admin'] }, postIds);
  return true;
}

const AREAS = [
  { slug: 'network-management', nameEn: 'Network management', nameZh: '网络管理' },
  { slug: 'alarms', nameEn: 'Alarms and monitoring', nameZh: '告警与监控' },
  { slug: 'field-operations', nameEn: 'Field operations', nameZh: '现场运维' },
  { slug: 'billing', nameEn: 'Billing', nameZh: '计费' },
  { slug: 'open-api', nameEn: 'Open API', nameZh: '开放接口' },
];

async function seedDemoPosts(db: Kysely<Database>, authorId: string): Promise<string[]> {
  const areas: Record<string, string> = {};
  for (const [position, area] of AREAS.entries()) {
    areas[area.slug] = await createProductArea(db, { ...area, position });
  }
  const day = 86_400_000;
  const now = Date.now();
  const alarmStorm = await createPostRow(db, {
    authorId,
    productAreaId: areas.alarms!,
    type: 'complaint',
    title: 'Alarm storm after every base station restart',
    body: 'Each restart of a base station raises **300+ alarms** in a few seconds.\n\n- the real fault is buried\n- operators acknowledge them one by one',
    createdAt: new Date(now - 9 * day),
    impactHoursPerWeek: 12,
    impactSites: 40,
  });
  const rollback = await createPostRow(db, {
    authorId,
    productAreaId: areas['network-management']!,
    type: 'request',
    title: '批量修改基站参数时支持回滚',
    body: '现在批量下发参数后如果出现问题，只能逐个基站手工恢复。希望能一键回滚到修改前的配置。',
    createdAt: new Date(now - 5 * day),
    impactHoursPerWeek: 6,
  });
  const kpiExport = await createPostRow(db, {
    authorId,
    productAreaId: areas['open-api']!,
    type: 'request',
    title: 'Export KPI reports through the API',
    body: 'We rebuild the same KPI report every morning by hand. An API endpoint (CSV or JSON) would save us an hour a day.',
    createdAt: new Date(now - 2 * day),
    impactHoursPerWeek: 5,
  });
  return [alarmStorm, rollback, kpiExport];
}

/**
 * A roadmap with items in every column, the demo posts linked to the open
 * ones. The shipped item has no linked post: shipping one would change the
 * demo posts' status, which the community browser tests count on.
 */
async function seedDemoRoadmap(db: Kysely<Database>, productAdmin: Actor, [alarmStorm, rollback, kpiExport]: string[]): Promise<void> {
  const item = async (title: string, description: string, status: 'planned' | 'in_progress', postIds: string[] = []) => {
    const { itemId } = await createRoadmapItem(db, productAdmin, { title, description, status });
    for (const postId of postIds) await linkPostToRoadmapItem(db, productAdmin, { itemId, postId });
    return itemId;
  };
  await item(
    'Alarm correlation after restarts',
    'Group the alarms a base station restart raises under **one root-cause alarm**, so the real fault is not buried.',
    'planned',
    [alarmStorm!],
  );
  await item('KPI reports through the Open API', 'A read-only endpoint for the daily KPI reports, as CSV or JSON.', 'planned', [kpiExport!]);
  await item(
    'Roll back bulk parameter changes',
    'One action restores the configuration a bulk change replaced, on every base station it touched.\n\n一键回滚批量参数修改。',
    'in_progress',
    [rollback!],
  );
  await item('Faster topology view', 'The network topology opens in under two seconds for networks of 10,000 sites.', 'in_progress');
  const shipped = await item('Night mode for the operations console', 'A dark theme for the night shift, with the same alarm colours.', 'planned');
  await shipRoadmapItem(db, productAdmin, { itemId: shipped, version: 1 });
}

/**
 * The managed tags, and a status history on two demo posts; the KPI export
 * post stays untriaged (and past the SLA) for the triage inbox. No demo post
 * is added: the community browser tests count the feed's posts.
 */
async function seedDemoTriage(db: Kysely<Database>, triager: Actor, productAdmin: Actor, [alarmStorm, rollback]: string[]): Promise<void> {
  const tags: Record<string, string> = {};
  for (const tag of [
    { slug: 'regression', nameEn: 'Regression', nameZh: '回归问题', color: 'red' },
    { slug: 'needs-logs', nameEn: 'Needs logs', nameZh: '需要日志', color: 'amber' },
    { slug: 'quick-win', nameEn: 'Quick win', nameZh: '快速见效', color: 'green' },
    { slug: 'usability', nameEn: 'Usability', nameZh: '易用性', color: 'blue' },
    { slug: 'security', nameEn: 'Security', nameZh: '安全', color: 'violet' },
  ] as const) {
    tags[tag.slug] = (await createTag(db, productAdmin, tag)).tagId;
  }
  // Each step goes through the triage panel's use-case, so the timeline, audit and outbox are real.
  const step = async (postId: string, changes: { status: 'under_review' | 'in_progress'; note: string; tagIds?: string[] }) => {
    const post = await db.selectFrom('post').select(['version', 'product_area_id']).where('id', '=', postId).executeTakeFirstOrThrow();
    const current = await db.selectFrom('post_tag').select('tag_id').where('post_id', '=', postId).execute();
    await triagePost(db, triager, {
      postId,
      expectedVersion: post.version,
      productAreaId: post.product_area_id,
      tagIds: changes.tagIds ?? current.map((row) => row.tag_id),
      assigneeId: triager.id,
      status: changes.status,
      note: changes.note,
    });
  };
  await step(alarmStorm!, {
    status: 'under_review',
    note: 'Reproduced on our lab network after a restart of 40 sites. We are looking at grouping these alarms under one root cause.',
    tagIds: [tags.regression!, tags['needs-logs']!],
  });
  await step(rollback!, { status: 'under_review', note: '正在评估对现有批量任务的影响。', tagIds: [tags.usability!] });
  await step(rollback!, { status: 'in_progress', note: '已排入开发：一键回滚将记录每次批量修改前的配置。' });
}

/**
 * This year's bounty pool, topped up to its budget, policy version 1, and the
 * adoption worker's nomination for the rollback request (in progress, so
 * adopted): one pending nomination in the finance queue. The worker makes the
 * same one from the seed's outbox events; making it here puts it in the queue
 * before the worker runs, and the worker then finds nothing to add.
 */
async function seedDemoFinance(db: Kysely<Database>, financeAdmin: Actor, [, rollback]: string[]): Promise<void> {
  const year = new Date().getUTCFullYear();
  const { id: poolId } = await createPool(db, financeAdmin, {
    name: `Operator complaint reward FY${year}`,
    currency: 'CNY',
    budgetMinor: 2_000_000_00n,
    periodStart: `${year}-01-01`,
    periodEnd: `${year}-12-31`,
  });
  await topUpPool(db, financeAdmin, { poolId, amountMinor: 2_000_000_00n, reason: 'Annual budget approved by the board', submissionKey: 'demo-annual-budget' });
  await getCurrentPolicy(db);
  await reconcileNominations(db, rollback!);
}
