import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role } from '../db/schema.js';
import { createInvite } from '../app/domain/admin/create-invite.server.js';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import { createPostRow, createProductArea } from '../db/factories.js';
import { sessionCookieFor } from './support/http.js';
import { createTestApp, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';
import { startTestWebServer, type TestWebServer } from './support/web.js';

// Distinctive real identities: none of these strings may reach any page, data
// response or header, except a person's own settings page.
const PEOPLE: Array<{ key: string; roles: Role[]; inOrg: boolean }> = [
  { key: 'member', roles: [], inOrg: true },
  { key: 'org_admin', roles: ['org_admin'], inOrg: true },
  { key: 'triager', roles: ['triager'], inOrg: false },
  { key: 'product_admin', roles: ['product_admin'], inOrg: false },
  { key: 'finance_approver', roles: ['finance_approver'], inOrg: false },
  { key: 'finance_admin', roles: ['finance_admin'], inOrg: false },
  { key: 'admin', roles: ['admin'], inOrg: false },
  { key: 'auditor', roles: ['auditor'], inOrg: false },
];

interface Person {
  key: string;
  id: string;
  name: string;
  email: string;
  cookie: string;
}

let app: TestApp;
let web: TestWebServer;
let orgId: string;
let postId: string;
const people: Person[] = [];

beforeAll(async () => {
  app = await createTestApp();
  orgId = await makeOrg(app, { name: 'Crawl Org', valueTier: 'major', domains: ['crawl-org.example'] });
  for (const [index, person] of PEOPLE.entries()) {
    const name = `Xanthippe Quorvaldt${index}`;
    const email = `zq.secret${index}@crawl-org.example`;
    const user = await makeUser(app, { name, email, roles: person.roles, orgId: person.inOrg ? orgId : null });
    people.push({ key: person.key, id: user.id, name, email, cookie: await sessionCookieFor(app, user.id) });
  }
  // An invite and a vault read, so lists and the audit log have content.
  const admin = people.find((person) => person.key === 'admin')!;
  await createInvite(
    app.services.db,
    app.services.vaultKeys,
    { id: admin.id, orgId: null, roles: ['admin'] },
    { email: 'zq.invitee@crawl-org.example', orgId, roles: [] },
    TEST_PUBLIC_URL,
  );
  // A member's post, voted on and commented by others, official reply included.
  const by = (key: string) => {
    const person = people.find((one) => one.key === key)!;
    const spec = PEOPLE.find((one) => one.key === key)!;
    return { id: person.id, orgId: spec.inOrg ? orgId : null, roles: spec.roles };
  };
  const areaId = await createProductArea(app.services.db, { slug: 'crawl', nameEn: 'Crawl area', nameZh: '爬取' });
  postId = await createPostRow(app.services.db, { authorId: by('member').id, productAreaId: areaId, title: 'Crawled post' });
  for (const key of ['org_admin', 'triager', 'finance_admin']) await toggleVote(app.services.db, by(key), { postId });
  const { id: commentId } = await addComment(app.services.db, by('org_admin'), { postId, body: 'Same here.' });
  await addComment(app.services.db, by('triager'), { postId, parentId: commentId, body: 'Looking into it.' });
  web = await startTestWebServer(app);
}, 120_000);

afterAll(async () => {
  await web?.close();
  await app?.close();
});

/** Every page a signed-in or anonymous visitor can reach by GET. */
function pages(): string[] {
  return [
    '/',
    '/login',
    '/signup',
    '/forgot-password',
    '/settings',
    '/org',
    '/admin/orgs',
    `/admin/orgs/${orgId}`,
    '/admin/invites',
    '/admin/staff',
    '/admin/settings',
    '/audit',
    `/posts/${postId}`,
    '/posts',
    '/posts/new',
    `/posts/${postId}/edit`,
    '/search',
    '/admin/areas',
    ...people.map((person) => `/u/${person.id}`),
  ];
}

const secretsOf = (person: Person) => [person.name, person.email, person.email.split('@')[0]!];

describe('pseudonymity crawl', () => {
  it('shows no real name or email on any page or data response, to anyone, except one’s own settings', async () => {
    const visitors: Array<Person | null> = [null, ...people];
    const allSecrets = people.flatMap((person) => secretsOf(person).map((secret) => ({ secret, owner: person.key })));
    const checked: string[] = [];
    for (const visitor of visitors) {
      for (const path of pages()) {
        // The document (with the loader data Remix serialises into it) and the
        // single-fetch data response a client navigation would load.
        for (const url of [path, `${path === '/' ? '/_root' : path}.data`]) {
          const response = await fetch(`${web.baseUrl}${url}`, {
            headers: visitor ? { Cookie: visitor.cookie } : {},
            redirect: 'manual',
          });
          const body = await response.text();
          const headers = JSON.stringify([...response.headers]);
          for (const { secret, owner } of allSecrets) {
            const ownSettings = visitor?.key === owner && path === '/settings';
            if (ownSettings) continue;
            if (body.includes(secret) || headers.includes(secret)) {
              throw new Error(`${owner}'s "${secret}" leaked to ${visitor?.key ?? 'anonymous'} at ${url} (${response.status})`);
            }
          }
          checked.push(`${visitor?.key ?? 'anonymous'} ${url} ${response.status}`);
        }
      }
    }
    // The crawl really reached the pages: admins got the admin pages with 200.
    expect(checked).toContain('admin /admin/staff 200');
    expect(checked).toContain('auditor /audit 200');
    expect(checked).toContain('org_admin /org 200');
    expect(checked).toContain('member /settings 200');
    expect(checked).toContain(`anonymous /posts/${postId} 200`);
    expect(checked).toContain(`member /posts/${postId}.data 200`);
    expect(checked).toContain('member /posts 200');
    expect(checked).toContain(`member /posts/${postId}/edit 200`);
    expect(checked).toContain('product_admin /admin/areas 200');
    expect(checked).toContain(`anonymous /u/${people[0]!.id} 200`);
    expect(checked).toContain(`member /u/${people[0]!.id}.data 200`);
  });

  it('does show a person their own name and email on their settings page', async () => {
    const member = people.find((person) => person.key === 'member')!;
    const body = await (await fetch(`${web.baseUrl}/settings`, { headers: { Cookie: member.cookie } })).text();
    expect(body).toContain(member.name);
    expect(body).toContain(member.email);
  });
});
