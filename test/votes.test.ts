import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { DomainError } from '../app/domain/errors.js';
import { getPost } from '../app/domain/posts/get-post.server.js';
import { hotRank } from '../app/domain/posts/hot-rank.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import en from '../app/locales/en.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let areaId: string;
let strategicOrg: string;
let majorOrg: string;
let standardOrg: string;
let author: CreatedUser;
let admin: CreatedUser;

const db = () => app.services.db;
const actor = (user: CreatedUser, orgId: string | null = null, roles: Role[] = []) => ({ id: user.id, orgId, roles });

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'radio', nameEn: 'Radio', nameZh: '无线' });
  strategicOrg = await makeOrg(app, { name: 'Votes Strategic Org', valueTier: 'strategic' });
  majorOrg = await makeOrg(app, { name: 'Votes Major Org', valueTier: 'major' });
  standardOrg = await makeOrg(app, { name: 'Votes Standard Org', valueTier: 'standard' });
  author = await makeUser(app, { orgId: standardOrg });
  admin = await makeUser(app, { roles: ['admin'] });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

function newPost(title = `Post ${Math.random().toString(36).slice(2, 8)}`) {
  return createPostRow(db(), { authorId: author.id, productAreaId: areaId, title });
}

async function call(
  handler: Handler,
  postId: string,
  as: CreatedUser | null,
  form?: Record<string, string>,
): Promise<{ status: number; location?: string | null; data?: any }> {
  const cookie = as ? await sessionCookieFor(app, as.id) : undefined;
  const request = makeRequest(`/posts/${postId}`, { form, cookie, method: form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: { postId } }));
  if (response) return { status: response.status, location: response.headers.get('Location') };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

/** The post's stored counters beside a fresh recount from its votes. */
async function countersAndRecount(postId: string) {
  const stored = await db()
    .selectFrom('post')
    .select(['vote_count', 'org_count', 'weighted_score', 'hot_rank', 'created_at'])
    .where('id', '=', postId)
    .executeTakeFirstOrThrow();
  const recount = await db()
    .selectFrom('vote')
    .innerJoin('app_user', 'app_user.id', 'vote.voter_id')
    .select([sql<number>`count(*)::int`.as('votes'), sql<number>`count(DISTINCT app_user.org_id)::int`.as('orgs')])
    .where('vote.post_id', '=', postId)
    .executeTakeFirstOrThrow();
  return { stored, recount };
}

async function expectDomainError(run: Promise<unknown>, code: string) {
  await expect(run).rejects.toBeInstanceOf(DomainError);
  await expect(run).rejects.toMatchObject({ code });
}

describe('toggling a vote', () => {
  it('votes on the first toggle, follows the post, and takes the vote back on the second', async () => {
    const postId = await newPost();
    const voter = await makeUser(app, { orgId: majorOrg });
    const first = await toggleVote(db(), actor(voter, majorOrg), { postId, impactNote: 'Costs us 4 h a week' });
    expect(first).toEqual({ voted: true, voteCount: 1, weightedScore: 3, orgCount: 1 });
    const vote = await db().selectFrom('vote').select('impact_note').where('post_id', '=', postId).executeTakeFirstOrThrow();
    expect(vote.impact_note).toBe('Costs us 4 h a week');
    const follows = await db().selectFrom('follow').select('user_id').where('post_id', '=', postId).execute();
    expect(follows.map((row) => row.user_id)).toContain(voter.id);

    const second = await toggleVote(db(), actor(voter, majorOrg), { postId });
    expect(second).toEqual({ voted: false, voteCount: 0, weightedScore: 0, orgCount: 0 });
    // Taking a vote back does not unfollow: that is a choice of its own.
    const stillFollows = await db().selectFrom('follow').select('user_id').where('post_id', '=', postId).where('user_id', '=', voter.id).execute();
    expect(stillFollows).toHaveLength(1);
  });

  it('weighs votes by the org tier weights in settings and counts distinct orgs', async () => {
    const postId = await newPost();
    const voters: Array<[CreatedUser, string | null, Role[]]> = [
      [await makeUser(app, { orgId: strategicOrg }), strategicOrg, []],
      [await makeUser(app, { orgId: strategicOrg }), strategicOrg, []],
      [await makeUser(app, { orgId: majorOrg }), majorOrg, []],
      [await makeUser(app, { orgId: standardOrg }), standardOrg, []],
      // Vendor staff without an org weigh as the standard tier and add no org.
      [await makeUser(app, { roles: ['triager'] }), null, ['triager']],
    ];
    let tally;
    for (const [user, orgId, roles] of voters) tally = await toggleVote(db(), actor(user, orgId, roles), { postId });
    expect(tally).toEqual({ voted: true, voteCount: 5, weightedScore: 5 + 5 + 3 + 1 + 1, orgCount: 3 });

    await updateSettings(db(), admin.id, { tierWeightStrategic: 10, tierWeightStandard: 2 });
    try {
      const late = await makeUser(app, { orgId: majorOrg });
      tally = await toggleVote(db(), actor(late, majorOrg), { postId });
      expect(tally).toEqual({ voted: true, voteCount: 6, weightedScore: 10 + 10 + 3 + 2 + 2 + 3, orgCount: 3 });
    } finally {
      await updateSettings(db(), admin.id, { tierWeightStrategic: 5, tierWeightStandard: 1 });
    }
    const { stored } = await countersAndRecount(postId);
    expect(stored.hot_rank).toBeCloseTo(hotRank(6, stored.created_at), 6);
  });

  it('refuses a hidden post with a clear message and changes nothing', async () => {
    const postId = await newPost();
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'Spam' }).where('id', '=', postId).execute();
    const voter = await makeUser(app, { orgId: majorOrg });
    await expectDomainError(toggleVote(db(), actor(voter, majorOrg), { postId }), 'post_hidden');

    const outcome = await call(postRoute.action as Handler, postId, voter, { intent: 'vote' });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error['']).toEqual(['post.errors.post_hidden']);
    expect(en.post.errors.post_hidden).toMatch(/hidden/);
    const { stored } = await countersAndRecount(postId);
    expect(stored.vote_count).toBe(0);
    expect(await db().selectFrom('vote').select('voter_id').where('post_id', '=', postId).execute()).toEqual([]);
  });

  it('refuses a merged post with a clear message pointing to the post it was merged into', async () => {
    const targetId = await newPost();
    const postId = await newPost();
    await db().updateTable('post').set({ status: 'merged', merged_into_id: targetId }).where('id', '=', postId).execute();
    const voter = await makeUser(app, { orgId: majorOrg });
    await expectDomainError(toggleVote(db(), actor(voter, majorOrg), { postId }), 'post_merged');

    const outcome = await call(postRoute.action as Handler, postId, voter, { intent: 'vote' });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error['']).toEqual(['post.errors.post_merged']);
    expect(en.post.errors.post_merged).toMatch(/merged into another/);
    expect((await countersAndRecount(postId)).stored.vote_count).toBe(0);

    // The page sends readers on to the post it was merged into (test/merge.test.ts has the rest).
    const page = await call(postRoute.loader as Handler, postId, voter);
    expect(page).toMatchObject({ status: 302, location: `/posts/${targetId}` });
  });

  it('ends consistent after 20 concurrent toggles by the same member (even: no vote), and 21 (odd: one vote)', async () => {
    for (const toggles of [20, 21]) {
      const postId = await newPost();
      const voter = await makeUser(app, { orgId: strategicOrg });
      const results = await Promise.all(
        Array.from({ length: toggles }, () => toggleVote(db(), actor(voter, strategicOrg), { postId })),
      );
      expect(results.filter((result) => result.voted)).toHaveLength(Math.ceil(toggles / 2));
      const rows = await db().selectFrom('vote').select('voter_id').where('post_id', '=', postId).execute();
      expect(rows).toHaveLength(toggles % 2);
      const { stored, recount } = await countersAndRecount(postId);
      expect(stored.vote_count).toBe(recount.votes);
      expect(stored.org_count).toBe(recount.orgs);
      expect(stored.weighted_score).toBe(5 * recount.votes);
      expect(stored.hot_rank).toBeCloseTo(hotRank(recount.votes, stored.created_at), 6);
    }
  });

  it('counts 20 concurrent votes by 20 different members as 20', async () => {
    const postId = await newPost();
    const voters = [];
    for (let index = 0; index < 20; index += 1) {
      const orgId = [strategicOrg, majorOrg, standardOrg][index % 3]!;
      voters.push({ user: await makeUser(app, { orgId }), orgId });
    }
    await Promise.all(voters.map(({ user, orgId }) => toggleVote(db(), actor(user, orgId), { postId })));
    const { stored, recount } = await countersAndRecount(postId);
    expect(stored.vote_count).toBe(20);
    expect(recount.votes).toBe(20);
    expect(stored.org_count).toBe(3);
    // 7 strategic, 7 major, 6 standard.
    expect(stored.weighted_score).toBe(7 * 5 + 7 * 3 + 6 * 1);
  }, 60_000);
});

describe('the vote form', () => {
  it('toggles through the page action and sends the voter back to the post', async () => {
    const postId = await newPost();
    const voter = await makeUser(app, { orgId: majorOrg });
    const outcome = await call(postRoute.action as Handler, postId, voter, { intent: 'vote', impactNote: 'Two sites down weekly' });
    expect(outcome).toMatchObject({ status: 302, location: `/posts/${postId}` });
    const page = await call(postRoute.loader as Handler, postId, voter);
    expect(page.data.post).toMatchObject({ voteCount: 1, weightedScore: 3, orgCount: 1 });
    expect(page.data.post.viewer).toMatchObject({ hasVoted: true, isFollowing: true });
  });

  it('refuses an impact note over 500 characters with a form message', async () => {
    const postId = await newPost();
    const voter = await makeUser(app, { orgId: majorOrg });
    const outcome = await call(postRoute.action as Handler, postId, voter, { intent: 'vote', impactNote: 'x'.repeat(501) });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error.impactNote).toEqual(['common.errors.tooLong?max=500']);
    expect((await countersAndRecount(postId)).stored.vote_count).toBe(0);
  });

  it('sends an anonymous visitor to log in and back', async () => {
    const postId = await newPost();
    const outcome = await call(postRoute.action as Handler, postId, null, { intent: 'vote' });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/login?redirectTo=${encodeURIComponent(`/posts/${postId}`)}`);
  });

  it('refuses an unknown intent with a form message, not a crash', async () => {
    const postId = await newPost();
    const outcome = await call(postRoute.action as Handler, postId, author, { intent: 'explode' });
    expect(outcome.status).toBe(400);
  });
});

describe('the post page', () => {
  it('never shows who voted: no voter id or pseudonym in the loader output, for anyone', async () => {
    const postId = await newPost();
    const voters = [await makeUser(app, { orgId: strategicOrg }), await makeUser(app, { orgId: majorOrg })];
    for (const voter of voters) await toggleVote(db(), actor(voter), { postId });
    const secrets = await db()
      .selectFrom('app_user')
      .select(['id', 'pseudonym', 'pseudonym_zh'])
      .where(
        'id',
        'in',
        voters.map((voter) => voter.id),
      )
      .execute();
    const triager = await makeUser(app, { roles: ['triager'] });
    for (const viewer of [null, author, triager, admin, ...voters]) {
      const page = await call(postRoute.loader as Handler, postId, viewer);
      expect(page.status).toBe(200);
      const text = JSON.stringify(page.data);
      for (const secret of secrets) {
        expect(text).not.toContain(secret.id);
        expect(text).not.toContain(secret.pseudonym);
        expect(text).not.toContain(secret.pseudonym_zh);
      }
      expect(page.data.post.voteCount).toBe(2);
    }
    // Nor the vote's reply.
    const voted = await call(postRoute.action as Handler, postId, voters[0]!, { intent: 'vote' });
    expect(JSON.stringify(voted)).not.toContain(voters[0]!.id);
  });

  it('shows the author by pseudonym and day, and the org only as its tier above the anonymity threshold', async () => {
    const smallOrg = await makeOrg(app, { name: 'Tiny Telecom', valueTier: 'strategic' });
    const smallAuthor = await makeUser(app, { orgId: smallOrg });
    const postId = await createPostRow(db(), { authorId: smallAuthor.id, productAreaId: areaId, title: 'Small org post' });
    let page = await call(postRoute.loader as Handler, postId, null);
    // The opaque author id is there for the link to the public profile, and nowhere else.
    expect(page.data.post.author).toEqual({ id: smallAuthor.id, pseudonym: smallAuthor.pseudonym, pseudonymZh: expect.any(String), orgTier: null });
    expect(page.data.post.createdDay).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(JSON.stringify(page.data)).not.toContain('Tiny Telecom');
    const withoutAuthorId = { ...page.data, post: { ...page.data.post, author: { ...page.data.post.author, id: undefined } } };
    expect(JSON.stringify(withoutAuthorId)).not.toContain(smallAuthor.id);

    for (let index = 0; index < 4; index += 1) await makeUser(app, { orgId: smallOrg });
    // An unverified account is not an active member and does not count.
    await makeUser(app, { orgId: smallOrg, verified: false });
    page = await call(postRoute.loader as Handler, postId, null);
    expect(page.data.post.author.orgTier).toBe('strategic');
    expect(JSON.stringify(page.data)).not.toContain('Tiny Telecom');
  });

  it('answers 404 for an unknown post, and for a hidden one to all but its author and moderators', async () => {
    expect((await call(postRoute.loader as Handler, 'nosuchpost', null)).status).toBe(404);
    const postId = await newPost();
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'Names a customer site' }).where('id', '=', postId).execute();
    const stranger = await makeUser(app, { orgId: majorOrg });
    const triager = await makeUser(app, { roles: ['triager'] });
    expect((await call(postRoute.loader as Handler, postId, null)).status).toBe(404);
    expect((await call(postRoute.loader as Handler, postId, stranger)).status).toBe(404);
    expect((await call(postRoute.loader as Handler, postId, admin)).status).toBe(404);
    const asAuthor = await call(postRoute.loader as Handler, postId, author);
    expect(asAuthor.data.post.hidden).toEqual({ reason: 'Names a customer site' });
    const asTriager = await call(postRoute.loader as Handler, postId, triager);
    expect(asTriager.data.post.hidden).toEqual({ reason: 'Names a customer site' });
  });

  it('lets the author edit until the post is triaged', async () => {
    const postId = await newPost();
    expect((await getPost(db(), actor(author), postId)).viewer).toMatchObject({ isAuthor: true, canEdit: true, isFollowing: true });
    const other = await makeUser(app, { orgId: majorOrg });
    expect((await getPost(db(), actor(other), postId)).viewer).toMatchObject({ isAuthor: false, canEdit: false });
    await db().updateTable('post').set({ triaged_at: new Date(), status: 'under_review' }).where('id', '=', postId).execute();
    expect((await getPost(db(), actor(author), postId)).viewer.canEdit).toBe(false);
  });

  it('follows and unfollows through the page action', async () => {
    const postId = await newPost();
    const member = await makeUser(app, { orgId: majorOrg });
    expect(await call(postRoute.action as Handler, postId, member, { intent: 'follow' })).toMatchObject({ status: 302 });
    expect((await getPost(db(), actor(member), postId)).viewer.isFollowing).toBe(true);
    expect(await call(postRoute.action as Handler, postId, member, { intent: 'follow' })).toMatchObject({ status: 302 });
    expect(await call(postRoute.action as Handler, postId, member, { intent: 'unfollow' })).toMatchObject({ status: 302 });
    expect((await getPost(db(), actor(member), postId)).viewer.isFollowing).toBe(false);
    // The author can unfollow their own post too.
    await call(postRoute.action as Handler, postId, author, { intent: 'unfollow' });
    expect((await getPost(db(), actor(author), postId)).viewer.isFollowing).toBe(false);
  });

  it('keeps the comment count beside the votes without exposing commenters as voters', async () => {
    const postId = await newPost();
    const commenter = await makeUser(app, { orgId: majorOrg });
    await addComment(db(), actor(commenter), { postId, body: 'Same here.' });
    const post = await getPost(db(), null, postId);
    expect(post).toMatchObject({ commentCount: 1, voteCount: 0 });
  });
});
