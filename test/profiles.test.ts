import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getProfile } from '../app/domain/profiles/get-profile.server.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import * as profileRoute from '../app/routes/u.$userId.js';
import { type CreatedUser, createPostRow, createProductArea } from '../db/factories.js';
import { makeRequest, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

const ORG_NAME = 'Quillfeather Networks';
const NAME = 'Ottoline Brackenridge';
const JOIN_DAY = '2001-02-03';

let app: TestApp;
let areaId: string;
let author: CreatedUser;
let authorEmail: string;
let smallOrgId: string;
let posts: { open: string; planned: string; heard: string; hidden: string };

const db = () => app.services.db;

async function load(userId: string, headers: Record<string, string> = {}): Promise<{ status: number; data?: any }> {
  const request = makeRequest(`/u/${userId}`, { method: 'GET' });
  for (const [key, value] of Object.entries(headers)) request.headers.set(key, value);
  const { response, value } = await settle(() =>
    (profileRoute.loader as Handler)({ request, context: loadContext(app), params: { userId } }),
  );
  if (response) return { status: response.status };
  return { status: 200, data: value };
}

async function setVotes(postId: string, voteCount: number) {
  await db().updateTable('post').set({ vote_count: voteCount }).where('id', '=', postId).execute();
}

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'profiles', nameEn: 'Profiles', nameZh: '主页' });
  // Two active members: below the default threshold of five.
  smallOrgId = await makeOrg(app, { name: ORG_NAME, valueTier: 'strategic', domains: ['quillfeather.example'] });
  authorEmail = 'ottoline.secret@quillfeather.example';
  author = await makeUser(app, { orgId: smallOrgId, name: NAME, email: authorEmail });
  await makeUser(app, { orgId: smallOrgId });
  await sql`UPDATE app_user SET created_at = ${new Date(`${JOIN_DAY}T12:00:00Z`)} WHERE id = ${author.id}`.execute(db());

  const day = (d: string) => new Date(`${d}T10:00:00Z`);
  posts = {
    open: await createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: 'Oldest open post', createdAt: day('2024-01-05') }),
    planned: await createPostRow(db(), {
      authorId: author.id,
      productAreaId: areaId,
      title: 'Planned post',
      status: 'planned',
      createdAt: day('2024-02-06'),
    }),
    heard: await createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: 'Popular post', createdAt: day('2024-03-07') }),
    hidden: await createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: 'Hidden post', createdAt: day('2024-04-08') }),
  };
  await setVotes(posts.open, 2);
  await setVotes(posts.planned, 3);
  await setVotes(posts.heard, 10);
  await setVotes(posts.hidden, 100);
  await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'test' }).where('id', '=', posts.hidden).execute();
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('public profile', () => {
  it('shows the pseudonym, visible posts newest first with day-level dates, reputation and badges, to anonymous visitors', async () => {
    const { status, data } = await load(author.id);
    expect(status).toBe(200);
    const { profile } = data;
    expect(profile.pseudonym).toBe(author.pseudonym);
    expect(profile.posts).toEqual([
      { id: posts.heard, title: 'Popular post', type: 'request', status: 'open', voteCount: 10, createdDay: '2024-03-07' },
      { id: posts.planned, title: 'Planned post', type: 'request', status: 'planned', voteCount: 3, createdDay: '2024-02-06' },
      { id: posts.open, title: 'Oldest open post', type: 'request', status: 'open', voteCount: 2, createdDay: '2024-01-05' },
    ]);
    // 2 + 3 + 10 votes on visible posts, plus 5 for the planned one; the hidden post counts for nothing.
    expect(profile.reputation).toBe(20);
    expect(profile.badges).toEqual(['first_post', 'heard', 'adopted']);
  });

  it('shows the Chinese pseudonym to a zh-CN reader', async () => {
    const zh = await getProfile(db(), { userId: author.id, locale: 'zh-CN' });
    const row = await db().selectFrom('app_user').select('pseudonym_zh').where('id', '=', author.id).executeTakeFirstOrThrow();
    expect(zh.pseudonym).toBe(row.pseudonym_zh);
  });

  it('never includes the name, email, org name or join date anywhere in the loader output', async () => {
    const { data } = await load(author.id);
    const json = JSON.stringify(data);
    for (const secret of [NAME, authorEmail, authorEmail.split('@')[0]!, ORG_NAME, JOIN_DAY, 'Hidden post', posts.hidden]) {
      expect(json).not.toContain(secret);
    }
    expect(Object.keys(data.profile).sort()).toEqual(['badges', 'id', 'orgTier', 'posts', 'pseudonym', 'reputation']);
  });

  it('hides the org tier below the anonymity threshold and shows only the tier at it', async () => {
    expect((await load(author.id)).data.profile.orgTier).toBeNull();
    // Unverified and disabled accounts are not active members.
    await makeUser(app, { orgId: smallOrgId, verified: false });
    const disabled = await makeUser(app, { orgId: smallOrgId });
    await db().updateTable('app_user').set({ disabled_at: new Date() }).where('id', '=', disabled.id).execute();
    await makeUser(app, { orgId: smallOrgId });
    await makeUser(app, { orgId: smallOrgId });
    expect((await load(author.id)).data.profile.orgTier).toBeNull(); // four active
    await makeUser(app, { orgId: smallOrgId });
    const { data } = await load(author.id); // five active
    expect(data.profile.orgTier).toBe('strategic');
    expect(JSON.stringify(data)).not.toContain(ORG_NAME);
  });

  it('gives vendor staff (no org) and newcomers a profile with no tier, no posts and no badges', async () => {
    const staff = await makeUser(app, { roles: ['triager'] });
    const { status, data } = await load(staff.id);
    expect(status).toBe(200);
    expect(data.profile).toEqual({ id: staff.id, pseudonym: staff.pseudonym, orgTier: null, reputation: 0, badges: [], posts: [] });
  });

  it('answers 404 for an unknown id', async () => {
    expect((await load('nosuchuser')).status).toBe(404);
  });

  it('links the post page’s author to the profile through the author id', async () => {
    const request = makeRequest(`/posts/${posts.heard}`, { method: 'GET' });
    const { value } = await settle(() =>
      (postRoute.loader as Handler)({ request, context: loadContext(app), params: { postId: posts.heard } }),
    );
    expect((value as any).post.author.id).toBe(author.id);
  });
});
