import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { DomainError } from '../app/domain/errors.js';
import { followPost } from '../app/domain/follows/follow-post.server.js';
import { listPostMerges } from '../app/domain/merges/list-post-merges.server.js';
import { mergePosts } from '../app/domain/merges/merge-posts.server.js';
import { previewMerge } from '../app/domain/merges/preview-merge.server.js';
import { undoMerge } from '../app/domain/merges/undo-merge.server.js';
import { notifyPostMerged } from '../app/domain/notifications/notify-post-merged.server.js';
import { hotRank } from '../app/domain/posts/hot-rank.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import en from '../app/locales/en.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import * as mergeRoute from '../app/routes/posts.$postId_.merge.js';
import { takeFlash } from '../app/utils/flash.server.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

interface Person {
  user: CreatedUser;
  orgId: string | null;
  roles: Role[];
}

let app: TestApp;
let areaId: string;
let strategicOrg: string;
let majorOrg: string;
let standardOrg: string;
let triager: Person;
let productAdmin: Person;
let member: Person;

const db = () => app.services.db;
const actor = (person: Person) => ({ id: person.user.id, orgId: person.orgId, roles: person.roles });

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'merging', nameEn: 'Merging', nameZh: '合并' });
  strategicOrg = await makeOrg(app, { name: 'Merge Strategic Org', valueTier: 'strategic' });
  majorOrg = await makeOrg(app, { name: 'Merge Major Org', valueTier: 'major' });
  standardOrg = await makeOrg(app, { name: 'Merge Standard Org', valueTier: 'standard' });
  triager = await person(null, ['triager']);
  productAdmin = await person(null, ['product_admin']);
  member = await person(standardOrg);
}, 60_000);
afterAll(async () => {
  await app?.close();
});

async function person(orgId: string | null, roles: Role[] = []): Promise<Person> {
  return { user: await makeUser(app, { orgId, roles }), orgId, roles };
}

function newPost(author: Person, title = `Post ${Math.random().toString(36).slice(2, 8)}`, createdAt?: Date) {
  return createPostRow(db(), { authorId: author.user.id, productAreaId: areaId, title, createdAt });
}

async function vote(voter: Person, postId: string, impactNote?: string) {
  const tally = await toggleVote(db(), actor(voter), { postId, impactNote });
  expect(tally.voted).toBe(true);
}

async function expectDomainError(run: Promise<unknown>, code: string, status?: number) {
  const error = await run.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(DomainError);
  expect(error).toMatchObject(status === undefined ? { code } : { code, status });
}

/** Everything a merge touches and an undo must put back, for a set of posts. */
async function snapshot(postIds: string[]) {
  const [votes, follows, posts] = await Promise.all([
    db()
      .selectFrom('vote')
      .select(['post_id', 'voter_id', 'impact_note', 'created_at'])
      .where('post_id', 'in', postIds)
      .orderBy('post_id')
      .orderBy('voter_id')
      .execute(),
    db()
      .selectFrom('follow')
      .select(['post_id', 'user_id', 'created_at'])
      .where('post_id', 'in', postIds)
      .orderBy('post_id')
      .orderBy('user_id')
      .execute(),
    db()
      .selectFrom('post')
      .select(['id', 'status', 'merged_into_id', 'vote_count', 'weighted_score', 'org_count', 'hot_rank', 'triaged_at', 'comment_count'])
      .where('id', 'in', postIds)
      .orderBy('id')
      .execute(),
  ]);
  return { votes, follows, posts };
}

async function postRow(postId: string) {
  return db()
    .selectFrom('post')
    .select(['status', 'merged_into_id', 'vote_count', 'weighted_score', 'org_count', 'hot_rank', 'created_at', 'version', 'triaged_at', 'comment_count'])
    .where('id', '=', postId)
    .executeTakeFirstOrThrow();
}

const votersOf = async (postId: string) =>
  (await db().selectFrom('vote').select('voter_id').where('post_id', '=', postId).execute()).map((row) => row.voter_id).sort();
const followersOf = async (postId: string) =>
  (await db().selectFrom('follow').select('user_id').where('post_id', '=', postId).execute()).map((row) => row.user_id).sort();
const ids = (...people: Person[]) => people.map((one) => one.user.id).sort();

async function moveMergeBack(mergeId: string, interval: string) {
  await sql`UPDATE post_merge SET merged_at = now() - ${interval}::interval WHERE id = ${mergeId}`.execute(db());
}

/**
 * A duplicate and a target with overlapping voters: four on the duplicate
 * (strategic, major, standard, and a strategic one who voted on both), two
 * on the target; one more person only follows the duplicate.
 */
async function overlappingPair() {
  const sourceAuthor = await person(majorOrg);
  const targetAuthor = await person(strategicOrg);
  const sourceId = await newPost(sourceAuthor, 'Alarm flood after restart');
  const targetId = await newPost(targetAuthor, 'Alarm storm after every base station restart');
  const a = await person(strategicOrg);
  const b = await person(majorOrg);
  const c = await person(standardOrg);
  const both = await person(strategicOrg);
  const e = await person(majorOrg);
  const followerOnly = await person(standardOrg);
  await vote(a, sourceId, 'Costs us 4 h a week');
  await vote(b, sourceId);
  await vote(c, sourceId);
  await vote(both, sourceId, 'On the duplicate');
  await vote(both, targetId, 'On the target');
  await vote(e, targetId);
  await followPost(db(), actor(followerOnly), sourceId);
  return { sourceId, targetId, sourceAuthor, targetAuthor, a, b, c, both, e, followerOnly };
}

describe('merging a duplicate', () => {
  it('moves votes and followers, counts a member who voted on both once, and recounts both posts', async () => {
    const pair = await overlappingPair();
    const { sourceId, targetId } = pair;
    const votedAt = await db()
      .selectFrom('vote')
      .select(['voter_id', 'created_at', 'impact_note'])
      .where('post_id', '=', sourceId)
      .execute();

    const preview = await previewMerge(db(), actor(triager), { sourceId, targetId });
    expect(preview).toMatchObject({
      votesMoving: 4,
      votersAlreadyOnTarget: 1,
      followersMoving: 6,
      followersAlreadyOnTarget: 1,
      targetVoteCountAfter: 5,
      creditsCoauthor: true,
    });
    expect(preview.target.voteCount).toBe(2);

    const result = await mergePosts(db(), actor(triager), { sourceId, targetId });
    expect(result).toMatchObject({ votesMoved: 4, votersAlreadyOnTarget: 1, followersMoved: 6 });

    expect(await votersOf(targetId)).toEqual(ids(pair.a, pair.b, pair.c, pair.both, pair.e));
    expect(await votersOf(sourceId)).toEqual([]);
    const target = await postRow(targetId);
    // Tier weights 5 / 3 / 1: a and both strategic, b and e major, c standard.
    expect(target).toMatchObject({ vote_count: 5, weighted_score: 5 + 5 + 3 + 3 + 1, org_count: 3 });
    expect(target.hot_rank).toBeCloseTo(hotRank(5, target.created_at), 6);
    expect(await postRow(sourceId)).toMatchObject({ vote_count: 0, weighted_score: 0, org_count: 0 });

    // Moved votes keep when and why; the member who voted on both keeps their own target vote.
    const moved = await db().selectFrom('vote').select(['voter_id', 'created_at', 'impact_note']).where('post_id', '=', targetId).execute();
    for (const original of votedAt) {
      const now = moved.find((row) => row.voter_id === original.voter_id)!;
      if (original.voter_id === pair.both.user.id) {
        expect(now.impact_note).toBe('On the target');
      } else {
        expect(now).toEqual(original);
      }
    }

    expect(await followersOf(targetId)).toEqual(
      ids(pair.targetAuthor, pair.both, pair.e, pair.sourceAuthor, pair.a, pair.b, pair.c, pair.followerOnly),
    );
    expect(await followersOf(sourceId)).toEqual([]);

    const mergeVotes = await db()
      .selectFrom('post_merge_vote')
      .select(['voter_id', 'already_on_target'])
      .where('merge_id', '=', result.mergeId)
      .execute();
    expect(mergeVotes).toHaveLength(4);
    expect(mergeVotes.filter((row) => row.already_on_target).map((row) => row.voter_id)).toEqual([pair.both.user.id]);
    const mergeFollows = await db()
      .selectFrom('post_merge_follow')
      .select(['user_id', 'already_on_target'])
      .where('merge_id', '=', result.mergeId)
      .execute();
    expect(mergeFollows).toHaveLength(6);
    expect(mergeFollows.filter((row) => row.already_on_target).map((row) => row.user_id)).toEqual([pair.both.user.id]);
  });

  it('marks the duplicate merged with a timeline row, makes its author a co-author, and keeps its comments', async () => {
    const { sourceId, targetId, sourceAuthor, a } = await overlappingPair();
    await addComment(db(), actor(a), { postId: sourceId, body: 'Seen this on three sites.' });
    const before = await postRow(sourceId);
    const { mergeId } = await mergePosts(db(), actor(productAdmin), { sourceId, targetId, note: '  Same alarm storm.  ' });

    const source = await postRow(sourceId);
    expect(source).toMatchObject({ status: 'merged', merged_into_id: targetId, version: before.version + 1, comment_count: 1 });
    expect(source.triaged_at).not.toBeNull();
    expect(await db().selectFrom('comment').select('post_id').where('post_id', '=', sourceId).execute()).toHaveLength(1);

    const timeline = await db()
      .selectFrom('post_status_change')
      .select(['from_status', 'to_status', 'actor_id', 'note'])
      .where('post_id', '=', sourceId)
      .execute();
    expect(timeline).toEqual([{ from_status: 'open', to_status: 'merged', actor_id: productAdmin.user.id, note: 'Same alarm storm.' }]);

    const sourceCreated = await db().selectFrom('post').select('created_at').where('id', '=', sourceId).executeTakeFirstOrThrow();
    expect(await db().selectFrom('post_coauthor').select(['post_id', 'user_id', 'merge_id', 'authored_at']).where('merge_id', '=', mergeId).execute()).toEqual([
      { post_id: targetId, user_id: sourceAuthor.user.id, merge_id: mergeId, authored_at: sourceCreated.created_at },
    ]);
  });

  it('writes one audit row and one post.merged event in the same transaction', async () => {
    const { sourceId, targetId } = await overlappingPair();
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    const audit = await db()
      .selectFrom('audit_log')
      .select(['actor_id', 'action', 'subject_type', 'after'])
      .where('subject_id', '=', sourceId)
      .where('action', '=', 'post.merge')
      .execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: triager.user.id, subject_type: 'post' });
    expect(audit[0]!.after).toMatchObject({ status: 'merged', mergedIntoId: targetId, mergeId, votesMoved: 4 });
    const events = await db().selectFrom('outbox').select(['topic', 'payload']).where('topic', '=', 'post.merged').execute();
    expect(events.filter((event) => (event.payload as { mergeId: string }).mergeId === mergeId)).toEqual([
      { topic: 'post.merged', payload: { mergeId } },
    ]);
  });

  it('credits no co-author when the duplicate has the target’s author, and carries earlier co-authors along', async () => {
    const author = await person(majorOrg);
    const otherAuthor = await person(standardOrg);
    const first = await newPost(author);
    const second = await newPost(author);
    await mergePosts(db(), actor(triager), { sourceId: first, targetId: second });
    expect(await db().selectFrom('post_coauthor').select('user_id').where('post_id', '=', second).execute()).toEqual([]);

    // otherAuthor's post into second, then second into third: both earlier authors reach third.
    const earliest = new Date(Date.now() - 3 * 86_400_000);
    const early = await newPost(otherAuthor, 'Earliest report', earliest);
    await mergePosts(db(), actor(triager), { sourceId: early, targetId: second });
    const third = await newPost(await person(strategicOrg));
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId: second, targetId: third });
    const coauthors = await db()
      .selectFrom('post_coauthor')
      .select(['user_id', 'authored_at'])
      .where('post_id', '=', third)
      .where('merge_id', '=', mergeId)
      .orderBy('authored_at')
      .execute();
    expect(coauthors.map((row) => row.user_id)).toEqual([otherAuthor.user.id, author.user.id]);
    expect(coauthors[0]!.authored_at).toEqual(earliest);
  });

  it('refuses a member with 403 and changes nothing', async () => {
    const { sourceId, targetId } = await overlappingPair();
    await expectDomainError(mergePosts(db(), actor(member), { sourceId, targetId }), 'forbidden', 403);
    await expectDomainError(previewMerge(db(), actor(member), { sourceId, targetId }), 'forbidden', 403);
    expect((await postRow(sourceId)).status).toBe('open');
  });

  it('refuses the same post, unknown posts, a merged duplicate, a merged or hidden target, and a cycle', async () => {
    const author = await person(majorOrg);
    const [one, two, three] = [await newPost(author), await newPost(author), await newPost(author)];
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: one, targetId: one }), 'merge_into_itself', 409);
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: 'nosuchpost', targetId: one }), 'source_not_found', 404);
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: one, targetId: 'nosuchpost' }), 'target_not_found', 404);

    await mergePosts(db(), actor(triager), { sourceId: one, targetId: two });
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: one, targetId: three }), 'source_merged', 409);
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: three, targetId: one }), 'target_merged', 409);
    // two ← one: merging two back into one would close a loop.
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: two, targetId: one }), 'merge_cycle', 409);
    await expectDomainError(previewMerge(db(), actor(triager), { sourceId: two, targetId: one }), 'merge_cycle', 409);

    const hidden = await newPost(author);
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'Spam' }).where('id', '=', hidden).execute();
    await expectDomainError(mergePosts(db(), actor(triager), { sourceId: three, targetId: hidden }), 'target_hidden', 409);

    const merges = await db().selectFrom('post_merge').select('source_post_id').where('source_post_id', 'in', [two, three]).execute();
    expect(merges).toEqual([]);
  });

  it('refuses a vote on a merged duplicate, in the use-case and through the page', async () => {
    const { sourceId, targetId } = await overlappingPair();
    await mergePosts(db(), actor(triager), { sourceId, targetId });
    const voter = await person(majorOrg);
    await expectDomainError(toggleVote(db(), actor(voter), { postId: sourceId }), 'post_merged');
    const response = await call(postRoute.action as Handler, `/posts/${sourceId}`, { postId: sourceId }, voter, { intent: 'vote' });
    expect(response.status).toBe(400);
    expect(response.data.result.error['']).toEqual(['post.errors.post_merged']);
    expect(await votersOf(sourceId)).toEqual([]);
  });

  it('lets exactly one of two concurrent merges of the same duplicate succeed', async () => {
    const author = await person(majorOrg);
    const voters = [await person(strategicOrg), await person(majorOrg), await person(standardOrg)];
    const sourceId = await newPost(author);
    const targets = [await newPost(author), await newPost(author)];
    for (const voter of voters) await vote(voter, sourceId);

    const outcomes = await Promise.allSettled(targets.map((targetId) => mergePosts(db(), actor(triager), { sourceId, targetId })));
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected') as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ code: 'source_merged', status: 409 });

    const winner = (await postRow(sourceId)).merged_into_id!;
    const loser = targets.find((targetId) => targetId !== winner)!;
    expect(await votersOf(winner)).toEqual(ids(...voters));
    expect(await votersOf(loser)).toEqual([]);
    expect(await db().selectFrom('post_merge').select('id').where('source_post_id', '=', sourceId).execute()).toHaveLength(1);
  });

  it('lets only one of two posts merged into each other at once go through', async () => {
    const author = await person(majorOrg);
    const [one, two] = [await newPost(author), await newPost(author)];
    const outcomes = await Promise.allSettled([
      mergePosts(db(), actor(triager), { sourceId: one, targetId: two }),
      mergePosts(db(), actor(productAdmin), { sourceId: two, targetId: one }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const statuses = [(await postRow(one)).status, (await postRow(two)).status].sort();
    expect(statuses).toEqual(['merged', 'open']);
  });
});

describe('undoing a merge', () => {
  it('restores every vote, follow, counter and the status exactly', async () => {
    const pair = await overlappingPair();
    const { sourceId, targetId } = pair;
    // A triaged duplicate, under review: both come back.
    await db().updateTable('post').set({ status: 'under_review', triaged_at: new Date(Date.now() - 3_600_000) }).where('id', '=', sourceId).execute();
    const before = await snapshot([sourceId, targetId]);

    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    // A moved voter takes the vote back on the target meanwhile: nothing to remove for them.
    await toggleVote(db(), actor(pair.b), { postId: targetId });
    // The member who voted on both takes theirs back and votes again: their own target vote stays.
    await toggleVote(db(), actor(pair.both), { postId: targetId });
    await toggleVote(db(), actor(pair.both), { postId: targetId, impactNote: 'On the target' });

    const undone = await undoMerge(db(), actor(productAdmin), { mergeId });
    expect(undone).toEqual({ sourceId, targetId });
    const after = await snapshot([sourceId, targetId]);
    expect(after.votes.map(({ created_at: _, ...vote }) => vote)).toEqual(before.votes.map(({ created_at: _, ...vote }) => vote));
    // Every restored vote keeps its time, except the one re-cast on the target.
    const recast = (row: { post_id: string; voter_id: string }) => row.post_id === targetId && row.voter_id === pair.both.user.id;
    expect(after.votes.filter((row) => !recast(row))).toEqual(before.votes.filter((row) => !recast(row)));
    expect(after.follows).toEqual(before.follows);
    expect(after.posts).toEqual(before.posts);

    expect(await db().selectFrom('post_coauthor').select('user_id').where('merge_id', '=', mergeId).execute()).toEqual([]);
    const merge = await db().selectFrom('post_merge').select(['undone_by', 'undone_at']).where('id', '=', mergeId).executeTakeFirstOrThrow();
    expect(merge.undone_by).toBe(productAdmin.user.id);
    expect(merge.undone_at).not.toBeNull();
    const timeline = await db()
      .selectFrom('post_status_change')
      .select(['from_status', 'to_status'])
      .where('post_id', '=', sourceId)
      .orderBy('created_at')
      .execute();
    expect(timeline).toEqual([
      { from_status: 'under_review', to_status: 'merged' },
      { from_status: 'merged', to_status: 'under_review' },
    ]);
    const audit = await db().selectFrom('audit_log').select('actor_id').where('subject_id', '=', sourceId).where('action', '=', 'post.merge_undo').execute();
    expect(audit).toEqual([{ actor_id: productAdmin.user.id }]);
    // Votes go to the duplicate again.
    await vote(await person(majorOrg), sourceId);
  });

  it('puts an untriaged duplicate back in the triage inbox', async () => {
    const author = await person(majorOrg);
    const [sourceId, targetId] = [await newPost(author), await newPost(author)];
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    expect((await postRow(sourceId)).triaged_at).not.toBeNull();
    await undoMerge(db(), actor(triager), { mergeId });
    expect(await postRow(sourceId)).toMatchObject({ status: 'open', triaged_at: null, merged_into_id: null });
  });

  it('is allowed until 24 hours after the merge and refused after', async () => {
    const author = await person(majorOrg);
    const [sourceId, targetId] = [await newPost(author), await newPost(author)];
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    await moveMergeBack(mergeId, '24 hours 1 minute');
    await expectDomainError(undoMerge(db(), actor(triager), { mergeId }), 'undo_window_over', 409);
    expect((await postRow(sourceId)).status).toBe('merged');
    expect(en.merge.errors.undo_window_over).toMatch(/can only be undone within 24 hours/);

    const [otherSource, otherTarget] = [await newPost(author), await newPost(author)];
    const late = await mergePosts(db(), actor(triager), { sourceId: otherSource, targetId: otherTarget });
    await moveMergeBack(late.mergeId, '23 hours 58 minutes');
    await undoMerge(db(), actor(triager), { mergeId: late.mergeId });
    expect((await postRow(otherSource)).status).toBe('open');
  });

  it('is refused twice, for an unknown merge, and for a member', async () => {
    const author = await person(majorOrg);
    const [sourceId, targetId] = [await newPost(author), await newPost(author)];
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    await expectDomainError(undoMerge(db(), actor(member), { mergeId }), 'forbidden', 403);
    await undoMerge(db(), actor(triager), { mergeId });
    await expectDomainError(undoMerge(db(), actor(triager), { mergeId }), 'already_undone', 409);
    await expectDomainError(undoMerge(db(), actor(triager), { mergeId: 'nosuchmerge' }), 'merge_not_found', 404);
    // The duplicate can be merged again after an undo.
    await mergePosts(db(), actor(triager), { sourceId, targetId });
  });

  it('is refused once the target has been merged itself, until that merge is undone', async () => {
    const author = await person(majorOrg);
    const voter = await person(strategicOrg);
    const [one, two, three] = [await newPost(author), await newPost(author), await newPost(author)];
    await vote(voter, one);
    const first = await mergePosts(db(), actor(triager), { sourceId: one, targetId: two });
    const second = await mergePosts(db(), actor(triager), { sourceId: two, targetId: three });
    expect(await votersOf(three)).toEqual(ids(voter));
    await expectDomainError(undoMerge(db(), actor(triager), { mergeId: first.mergeId }), 'target_merged_since', 409);

    await undoMerge(db(), actor(triager), { mergeId: second.mergeId });
    await undoMerge(db(), actor(triager), { mergeId: first.mergeId });
    expect(await votersOf(one)).toEqual(ids(voter));
    expect(await votersOf(two)).toEqual([]);
    expect(await votersOf(three)).toEqual([]);
  });
});

describe('merge notifications', () => {
  it('tells the duplicate’s followers and author where it went, once', async () => {
    const { sourceId, targetId, sourceAuthor, a, b, c, both, followerOnly } = await overlappingPair();
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    expect(await notifyPostMerged(db(), mergeId)).toBe(6);
    expect(await notifyPostMerged(db(), mergeId)).toBe(0);
    const rows = await db()
      .selectFrom('notification')
      .select(['user_id', 'kind', 'post_id', 'data'])
      .where('source_key', '=', `merge:${mergeId}`)
      .execute();
    expect(rows.map((row) => row.user_id).sort()).toEqual(ids(sourceAuthor, a, b, c, both, followerOnly));
    for (const row of rows) expect(row).toMatchObject({ kind: 'post_merged', post_id: sourceId, data: { targetId } });
  });

  it('tells no one of a merge undone before the event was handled', async () => {
    const author = await person(majorOrg);
    const [sourceId, targetId] = [await newPost(author), await newPost(author)];
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    await undoMerge(db(), actor(triager), { mergeId });
    expect(await notifyPostMerged(db(), mergeId)).toBe(0);
    expect(await notifyPostMerged(db(), 'nosuchmerge')).toBe(0);
  });
});

async function call(
  handler: Handler,
  path: string,
  params: Record<string, string>,
  as: Person | null,
  form?: Record<string, string>,
): Promise<{ status: number; location?: string | null; flash?: string | null; data?: any }> {
  const cookie = as ? await sessionCookieFor(app, as.user.id) : undefined;
  const request = makeRequest(path, { form, cookie, method: form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params }));
  if (response) {
    const setCookie = response.headers.get('Set-Cookie');
    const flash = setCookie ? (await takeFlash(new Request('http://x/', { headers: { Cookie: setCookie.split(';')[0]! } }))).message : null;
    return { status: response.status, location: response.headers.get('Location'), flash };
  }
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

describe('the merge page', () => {
  const mergePath = (postId: string, query = '') => `/posts/${postId}/merge${query}`;

  it('answers 403 to a member, for the page and the form', async () => {
    const { sourceId, targetId } = await overlappingPair();
    expect((await call(mergeRoute.loader as Handler, mergePath(sourceId), { postId: sourceId }, member)).status).toBe(403);
    const posted = await call(mergeRoute.action as Handler, mergePath(sourceId), { postId: sourceId }, member, { intent: 'merge', targetId });
    expect(posted.status).toBe(403);
    expect((await postRow(sourceId)).status).toBe('open');
  });

  it('offers posts with similar titles, never the duplicate itself or a merged post; a search or a pasted address finds others', async () => {
    const author = await person(majorOrg);
    const sourceId = await newPost(author, 'Rollback for bulk parameter changes');
    const similarId = await newPost(author, 'Rollback for bulk parameter changes on base stations');
    const mergedId = await newPost(author, 'Rollback of bulk parameter changes');
    await mergePosts(db(), actor(triager), { sourceId: mergedId, targetId: similarId });
    const unrelatedId = await newPost(author, 'Export KPI reports through the API');

    const similar = await call(mergeRoute.loader as Handler, mergePath(sourceId), { postId: sourceId }, triager);
    expect(similar.status).toBe(200);
    expect(similar.data).toMatchObject({ step: 'choose', basis: 'similar', source: { id: sourceId } });
    const offered = similar.data.candidates.map((candidate: { id: string }) => candidate.id);
    expect(offered).toContain(similarId);
    expect(offered).not.toContain(sourceId);
    expect(offered).not.toContain(mergedId);
    expect(similar.data.candidates[0]).toMatchObject({ status: 'open', voteCount: expect.any(Number) });

    const searched = await call(mergeRoute.loader as Handler, mergePath(sourceId, '?q=KPI+reports'), { postId: sourceId }, triager);
    expect(searched.data.basis).toBe('search');
    expect(searched.data.candidates.map((candidate: { id: string }) => candidate.id)).toEqual([unrelatedId]);

    const pasted = await call(
      mergeRoute.loader as Handler,
      mergePath(sourceId, `?q=${encodeURIComponent(`http://localhost:3000/posts/${unrelatedId}`)}`),
      { postId: sourceId },
      triager,
    );
    expect(pasted.data.candidates.map((candidate: { id: string }) => candidate.id)).toEqual([unrelatedId]);
  });

  it('previews the arithmetic before confirming, and says why a target is refused', async () => {
    const { sourceId, targetId } = await overlappingPair();
    const confirm = await call(mergeRoute.loader as Handler, mergePath(sourceId, `?target=${targetId}`), { postId: sourceId }, triager);
    expect(confirm.data).toMatchObject({
      step: 'confirm',
      preview: { votesMoving: 4, votersAlreadyOnTarget: 1, followersMoving: 6, targetVoteCountAfter: 5 },
    });

    const refused = await call(mergeRoute.loader as Handler, mergePath(sourceId, `?target=${sourceId}`), { postId: sourceId }, triager);
    expect(refused.data).toMatchObject({ step: 'choose', refusal: 'merge.errors.merge_into_itself' });
    expect((await call(mergeRoute.loader as Handler, mergePath('nosuchpost'), { postId: 'nosuchpost' }, triager)).status).toBe(404);
  });

  it('merges through the form and sends the triager to the target with a notice', async () => {
    const { sourceId, targetId } = await overlappingPair();
    const merged = await call(mergeRoute.action as Handler, mergePath(sourceId), { postId: sourceId }, triager, {
      intent: 'merge',
      targetId,
      note: '',
    });
    expect(merged).toMatchObject({ status: 302, location: `/posts/${targetId}`, flash: 'merge.flash.merged' });
    expect((await postRow(targetId)).vote_count).toBe(5);
  });

  it('answers 409 with the reason for a refused merge or undo, and 400 for a malformed form', async () => {
    const author = await person(majorOrg);
    const [one, two, three] = [await newPost(author), await newPost(author), await newPost(author)];
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId: one, targetId: two });

    const intoMerged = await call(mergeRoute.action as Handler, mergePath(three), { postId: three }, triager, { intent: 'merge', targetId: one });
    expect(intoMerged.status).toBe(409);
    expect(intoMerged.data.result.error.targetId).toEqual(['merge.errors.target_merged']);

    const gone = await call(mergeRoute.action as Handler, mergePath(three), { postId: three }, triager, { intent: 'merge', targetId: 'nosuchpost' });
    expect(gone.status).toBe(404);
    expect(gone.data.result.error.targetId).toEqual(['merge.errors.target_not_found']);

    await moveMergeBack(mergeId, '25 hours');
    const late = await call(mergeRoute.action as Handler, mergePath(one), { postId: one }, triager, { intent: 'undo', mergeId });
    expect(late.status).toBe(409);
    expect(late.data.result.error['']).toEqual(['merge.errors.undo_window_over']);

    const malformed = await call(mergeRoute.action as Handler, mergePath(three), { postId: three }, triager, { intent: 'merge', note: 'x'.repeat(2001) });
    expect(malformed.status).toBe(400);
    expect(malformed.data.result.error.note).toEqual(['common.errors.tooLong?max=2000']);
  });

  it('undoes through the form and sends the triager back to the restored duplicate', async () => {
    const { sourceId, targetId } = await overlappingPair();
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    const undone = await call(mergeRoute.action as Handler, mergePath(sourceId), { postId: sourceId }, triager, { intent: 'undo', mergeId });
    expect(undone).toMatchObject({ status: 302, location: `/posts/${sourceId}`, flash: 'merge.flash.undone' });
    expect((await postRow(sourceId)).vote_count).toBe(4);
    expect((await postRow(targetId)).vote_count).toBe(2);
  });
});

describe('the post page around a merge', () => {
  it('sends readers of a merged duplicate to the target with a notice, unless they ask to read the duplicate', async () => {
    const { sourceId, targetId } = await overlappingPair();
    await mergePosts(db(), actor(triager), { sourceId, targetId });
    for (const reader of [null, member]) {
      const page = await call(postRoute.loader as Handler, `/posts/${sourceId}`, { postId: sourceId }, reader);
      expect(page).toMatchObject({ status: 302, location: `/posts/${targetId}`, flash: 'merge.flash.redirected' });
    }
    const stay = await call(postRoute.loader as Handler, `/posts/${sourceId}?view=duplicate`, { postId: sourceId }, member);
    expect(stay.status).toBe(200);
    expect(stay.data.post.mergedInto).toEqual({ id: targetId, title: expect.any(String) });
    expect(stay.data.merges.mergedInto).toBeNull();
  });

  it('shows triage staff the duplicate with its undo while it is allowed', async () => {
    const { sourceId, targetId } = await overlappingPair();
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    const page = await call(postRoute.loader as Handler, `/posts/${sourceId}`, { postId: sourceId }, triager);
    expect(page.status).toBe(200);
    expect(page.data.canMerge).toBe(true);
    expect(page.data.post.mergedInto.id).toBe(targetId);
    expect(page.data.merges.mergedInto).toMatchObject({ mergeId, targetId });
    expect(page.data.merges.mergedInto.undoMinutesLeft).toBeGreaterThan(23 * 60);

    await moveMergeBack(mergeId, '25 hours');
    const later = await call(postRoute.loader as Handler, `/posts/${sourceId}`, { postId: sourceId }, triager);
    expect(later.data.merges.mergedInto).toMatchObject({ mergeId, undoMinutesLeft: null });
  });

  it('lists the merged duplicates on the target: titles for everyone, undo for staff, never an author', async () => {
    const { sourceId, targetId, sourceAuthor } = await overlappingPair();
    const { mergeId } = await mergePosts(db(), actor(triager), { sourceId, targetId });
    const asMember = await call(postRoute.loader as Handler, `/posts/${targetId}`, { postId: targetId }, member);
    expect(asMember.data.canMerge).toBe(false);
    expect(asMember.data.merges.duplicates).toEqual([
      { id: sourceId, title: 'Alarm flood after restart', mergedDay: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/), undo: null },
    ]);
    const author = await db().selectFrom('app_user').select(['pseudonym', 'pseudonym_zh']).where('id', '=', sourceAuthor.user.id).executeTakeFirstOrThrow();
    const text = JSON.stringify(asMember.data.merges);
    for (const secret of [sourceAuthor.user.id, author.pseudonym, author.pseudonym_zh]) expect(text).not.toContain(secret);

    const asStaff = await listPostMerges(db(), actor(triager), targetId);
    expect(asStaff.duplicates[0]!.undo).toMatchObject({ mergeId, minutesLeft: expect.any(Number) });
  });

  it('hides a hidden duplicate from the list for members', async () => {
    const { sourceId, targetId } = await overlappingPair();
    await mergePosts(db(), actor(triager), { sourceId, targetId });
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'Spam' }).where('id', '=', sourceId).execute();
    expect((await listPostMerges(db(), actor(member), targetId)).duplicates).toEqual([]);
    expect((await listPostMerges(db(), actor(triager), targetId)).duplicates).toHaveLength(1);
  });
});
