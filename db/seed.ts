import type { Kysely } from 'kysely';
import type { VaultKeys } from '../app/domain/identity/vault.server.js';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
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
