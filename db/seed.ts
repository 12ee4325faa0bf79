import type { Kysely } from 'kysely';
import type { VaultKeys } from '../app/domain/identity/vault.server.js';
import { createOrg, createUser } from './factories.js';
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
  await createOrg(db, { name: 'Contoso Mobile', valueTier: 'major', domains: ['contoso.example'] });
  await createOrg(db, { name: 'Fabrikam Networks', valueTier: 'standard', domains: ['fabrikam.example'] });

  await createUser(db, keys, { email: 'member@northwind.example', name: 'Mei Member', password: DEMO_PASSWORD, orgId: northwind });
  await createUser(db, keys, {
    email: 'orgadmin@northwind.example',
    name: 'Omar Orgadmin',
    password: DEMO_PASSWORD,
    orgId: northwind,
    roles: ['org_admin'],
  });
  for (const staff of STAFF) {
    await createUser(db, keys, {
      email: staff.email,
      name: staff.name,
      password: DEMO_PASSWORD,
      roles: staff.roles,
      staffDisplayName: staff.display,
    });
  }
  return true;
}
