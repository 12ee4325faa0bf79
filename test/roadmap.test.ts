import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../app/domain/admin/actor.server.js';
import { DomainError } from '../app/domain/errors.js';
import { getPost } from '../app/domain/posts/get-post.server.js';
import { escapeMarkup } from '../app/domain/roadmap/atom-feed.js';
import { createRoadmapItem } from '../app/domain/roadmap/create-roadmap-item.server.js';
import { editRoadmapItem } from '../app/domain/roadmap/edit-roadmap-item.server.js';
import { linkPostToRoadmapItem } from '../app/domain/roadmap/link-post-to-roadmap-item.server.js';
import { listChangelog } from '../app/domain/roadmap/list-changelog.server.js';
import { moveRoadmapItem } from '../app/domain/roadmap/move-roadmap-item.server.js';
import { setRoadmapItemStatus } from '../app/domain/roadmap/set-roadmap-item-status.server.js';
import { ShipBlockedError, shipRoadmapItem } from '../app/domain/roadmap/ship-roadmap-item.server.js';
import { unlinkPostFromRoadmapItem } from '../app/domain/roadmap/unlink-post-from-roadmap-item.server.js';
import { toggleVote } from '../app/domain/votes/toggle-vote.server.js';
import * as changelogFeedRoute from '../app/routes/changelog[.]atom.js';
import * as changelogRoute from '../app/routes/changelog.js';
import * as boardRoute from '../app/routes/roadmap.js';
import * as manageRoute from '../app/routes/roadmap_.manage.js';
import { type CreatedUser, createPostRow, createProductArea } from '../db/factories.js';
import type { RoadmapStatus } from '../db/schema.js';
import { outboxJobId, relayOutbox } from '../workers/outbox-relay.js';
import { openQueue, QUEUES, queueConnection } from '../workers/queue.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, TEST_PUBLIC_URL, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let areaId: string;
let orgId: string;
let author: CreatedUser;
let voters: CreatedUser[];
let triager: Actor;
let triagerUser: CreatedUser;
let member: Actor;

const db = () => app.services.db;
const AUTHOR_NAME = 'Roadmapia Quillfeather';
const AUTHOR_EMAIL = 'roadmapia.quill@roadmap-org.example';

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'roadmap-area', nameEn: 'Roadmap area', nameZh: '路线图领域' });
  orgId = await makeOrg(app, { name: 'Roadmapia Org', valueTier: 'major', domains: ['roadmap-org.example'] });
  author = await makeUser(app, { orgId, name: AUTHOR_NAME, email: AUTHOR_EMAIL });
  voters = [await makeUser(app, { orgId }), await makeUser(app, { orgId })];
  triagerUser = await makeUser(app, { roles: ['triager'] });
  triager = { id: triagerUser.id, orgId: null, roles: ['triager'] };
  member = { id: author.id, orgId, roles: [] };
}, 60_000);
afterAll(async () => {
  await app?.close();
});

function newPost(title = `Post ${Math.random().toString(36).slice(2, 8)}`, status?: 'open' | 'declined' | 'shipped' | 'planned') {
  return createPostRow(db(), { authorId: author.id, productAreaId: areaId, title, status });
}

async function newItem(title = `Item ${Math.random().toString(36).slice(2, 8)}`, status: 'planned' | 'in_progress' = 'planned') {
  return (await createRoadmapItem(db(), triager, { title, description: 'What we will build.', status })).itemId;
}

function item(itemId: string) {
  return db()
    .selectFrom('roadmap_item')
    .select(['id', 'title', 'status', 'position', 'version', 'shipped_at'])
    .where('id', '=', itemId)
    .executeTakeFirstOrThrow();
}

/** An item's column as [id, position] pairs, in order. */
async function column(status: RoadmapStatus) {
  const rows = await db().selectFrom('roadmap_item').select(['id', 'position']).where('status', '=', status).orderBy('position').execute();
  return rows;
}

function auditOf(subjectId: string) {
  return db().selectFrom('audit_log').select(['action', 'actor_id', 'before', 'after']).where('subject_id', '=', subjectId).orderBy('created_at').orderBy('id').execute();
}

async function refusal(run: () => Promise<unknown>): Promise<DomainError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

async function call(
  handler: Handler,
  path: string,
  as: CreatedUser | null,
  init: { form?: Record<string, string>; headers?: Record<string, string> } = {},
): Promise<{ status: number; location?: string | null; data?: any; response?: Response }> {
  const cookie = as ? await sessionCookieFor(app, as.id) : undefined;
  const request = makeRequest(path, { form: init.form, cookie, headers: init.headers, method: init.form ? 'POST' : 'GET' });
  const { response, value } = await settle(() => handler({ request, context: loadContext(app), params: {} }));
  if (response) return { status: response.status, location: response.headers.get('Location'), response };
  if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'DataWithResponseInit') {
    const wrapped = value as { data: unknown; init: ResponseInit | null };
    return { status: wrapped.init?.status ?? 200, data: wrapped.data };
  }
  return { status: 200, data: value };
}

describe('roadmap items', () => {
  it('adds an item at the bottom of its column, renders its Markdown once and audits it', async () => {
    const before = await column('planned');
    const itemId = (
      await createRoadmapItem(db(), triager, { title: '  Alarm correlation  ', description: 'Group **related** alarms.\n\n<script>x</script>' })
    ).itemId;
    const row = await db().selectFrom('roadmap_item').selectAll().where('id', '=', itemId).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ title: 'Alarm correlation', status: 'planned', position: before.length, version: 1, shipped_at: null });
    expect(row.description_html).toContain('<strong>related</strong>');
    expect(row.description_html).not.toContain('<script>');
    expect(await auditOf(itemId)).toEqual([
      expect.objectContaining({ action: 'roadmap_item.create', actor_id: triager.id }),
    ]);
  });

  it('refuses a member, an empty title and one over 200 characters', async () => {
    expect((await refusal(() => createRoadmapItem(db(), member, { title: 'Mine' }))).status).toBe(403);
    await expect(createRoadmapItem(db(), triager, { title: '   ' })).rejects.toThrow();
    await expect(createRoadmapItem(db(), triager, { title: 'x'.repeat(201) })).rejects.toThrow();
    // Through the page: the message lands on the field, with a 400.
    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, { form: { intent: 'create', title: 'x'.repeat(201), status: 'planned' } });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error.title).toEqual(['common.errors.tooLong?max=200']);
  });

  it('edits title and description, and refuses an edit made from a stale version with 409', async () => {
    const itemId = await newItem('Before');
    await editRoadmapItem(db(), triager, { itemId, version: 1, title: 'After', description: 'Now *with* text' });
    expect(await item(itemId)).toMatchObject({ title: 'After', version: 2 });

    // A second editor who opened the form at version 1 does not overwrite the first.
    const stale = await refusal(() => editRoadmapItem(db(), triager, { itemId, version: 1, title: 'Overwrite', description: '' }));
    expect(stale).toMatchObject({ code: 'changed_meanwhile', status: 409 });
    expect(await item(itemId)).toMatchObject({ title: 'After', version: 2 });

    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, {
      form: { intent: 'edit', itemId, version: '1', title: 'Overwrite', description: '' },
    });
    expect(outcome.status).toBe(409);
    expect(outcome.data.result.error['']).toEqual(['roadmap.errors.changed_meanwhile']);
    expect((await auditOf(itemId)).map((row) => row.action)).toEqual(['roadmap_item.create', 'roadmap_item.edit']);
  });

  it('of two concurrent edits from the same version, exactly one wins', async () => {
    const itemId = await newItem('Contested');
    const results = await Promise.allSettled(
      ['First', 'Second'].map((title) => editRoadmapItem(db(), triager, { itemId, version: 1, title, description: '' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    const rejected = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
    expect(rejected.reason).toMatchObject({ code: 'changed_meanwhile' });
    expect((await item(itemId)).version).toBe(2);
  });
});

describe('roadmap order', () => {
  it('moves items up and down within a column and keeps positions dense', async () => {
    const [a, b, c] = [await newItem('A'), await newItem('B'), await newItem('C')];
    const ids = async () => (await column('planned')).map((row) => row.id);
    const positions = async () => (await column('planned')).map((row) => row.position);
    const startIds = await ids();
    expect(startIds.slice(-3)).toEqual([a, b, c]);

    await moveRoadmapItem(db(), triager, { itemId: c, version: 1, direction: 'up' });
    expect((await ids()).slice(-3)).toEqual([a, c, b]);
    await moveRoadmapItem(db(), triager, { itemId: a, version: 1, direction: 'down' });
    expect((await ids()).slice(-3)).toEqual([c, a, b]);
    expect(await positions()).toEqual([...Array((await ids()).length).keys()]);

    // The last one down stays where it is, and nothing is written.
    await moveRoadmapItem(db(), triager, { itemId: b, version: 1, direction: 'down' });
    expect((await item(b)).version).toBe(1);

    // Moving to in progress appends there and closes the gap behind it.
    await setRoadmapItemStatus(db(), triager, { itemId: c, version: 2, status: 'in_progress' });
    expect(await ids()).not.toContain(c);
    expect(await positions()).toEqual([...Array((await ids()).length).keys()]);
    const inProgress = await column('in_progress');
    expect(inProgress.at(-1)).toEqual({ id: c, position: inProgress.length - 1 });
    expect((await auditOf(c)).map((row) => row.action)).toEqual(['roadmap_item.create', 'roadmap_item.reorder', 'roadmap_item.status_change']);
  });

  it('refuses a move from a stale version, through the page too', async () => {
    const first = await newItem('Stale first');
    const second = await newItem('Stale second');
    await moveRoadmapItem(db(), triager, { itemId: second, version: 1, direction: 'up' });
    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, { form: { intent: 'move-up', itemId: second, version: '1' } });
    expect(outcome.status).toBe(409);
    expect(outcome.data).toMatchObject({ itemId: second, intent: 'move-up' });
    const order = (await column('planned')).map((row) => row.id);
    expect(order.indexOf(second)).toBe(order.indexOf(first) - 1);
  });

  it('keeps positions dense when many editors create and move items at once', async () => {
    const created = await Promise.all(Array.from({ length: 6 }, (_, index) => newItem(`Concurrent ${index}`)));
    await Promise.allSettled(created.map((itemId, index) => moveRoadmapItem(db(), triager, { itemId, version: 1, direction: index % 2 ? 'up' : 'down' })));
    for (const status of ['planned', 'in_progress'] as const) {
      const positions = (await column(status)).map((row) => row.position);
      expect(positions).toEqual([...positions.keys()]);
    }
  });
});

describe('linking posts', () => {
  it('links and unlinks a post, bumping the version and writing audit rows', async () => {
    const itemId = await newItem('Linkable');
    const postId = await newPost('A post to link');
    await linkPostToRoadmapItem(db(), triager, { itemId, postId });
    await linkPostToRoadmapItem(db(), triager, { itemId, postId });
    expect(await db().selectFrom('post').select('roadmap_item_id').where('id', '=', postId).executeTakeFirstOrThrow()).toEqual({ roadmap_item_id: itemId });
    expect((await item(itemId)).version).toBe(2);
    expect((await getPost(db(), null, postId)).roadmapItem).toEqual({ id: itemId, title: 'Linkable', status: 'planned' });

    await unlinkPostFromRoadmapItem(db(), triager, { itemId, postId });
    await unlinkPostFromRoadmapItem(db(), triager, { itemId, postId });
    expect((await getPost(db(), null, postId)).roadmapItem).toBeNull();
    expect(await auditOf(itemId)).toEqual([
      expect.objectContaining({ action: 'roadmap_item.create' }),
      expect.objectContaining({ action: 'roadmap_item.link_post', after: { postId } }),
      expect.objectContaining({ action: 'roadmap_item.unlink_post', before: { postId } }),
    ]);
  });

  it('refuses merged, hidden and declined posts, and a post already on another item', async () => {
    const itemId = await newItem('Picky');
    const other = await newItem('Other');
    const target = await newPost('Merge target');
    const merged = await newPost('Merged duplicate');
    await db().updateTable('post').set({ status: 'merged', merged_into_id: target }).where('id', '=', merged).execute();
    const hidden = await newPost('Hidden post');
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'spam' }).where('id', '=', hidden).execute();
    const declined = await newPost('Declined post', 'declined');
    const elsewhere = await newPost('On another item');
    await linkPostToRoadmapItem(db(), triager, { itemId: other, postId: elsewhere });

    for (const [postId, code] of [
      [merged, 'post_merged'],
      [hidden, 'post_hidden'],
      [declined, 'post_declined'],
      [elsewhere, 'post_on_other_item'],
      ['nosuchpost', 'post_not_found'],
    ] as const) {
      expect(await refusal(() => linkPostToRoadmapItem(db(), triager, { itemId, postId }))).toMatchObject({ code });
    }
    // Refused, not moved: the post stays on the item it was on.
    expect((await getPost(db(), null, elsewhere)).roadmapItem?.id).toBe(other);
    expect((await item(itemId)).version).toBe(1);

    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, { form: { intent: 'link', itemId, postId: merged } });
    expect(outcome.status).toBe(409);
    expect(outcome.data.result.error.postId).toEqual(['roadmap.errors.post_merged']);
  });

  it('links a post to only one of two items when both try at once', async () => {
    const [first, second] = [await newItem('Race one'), await newItem('Race two')];
    const postId = await newPost('Raced post');
    const results = await Promise.allSettled([first, second].map((itemId) => linkPostToRoadmapItem(db(), triager, { itemId, postId })));
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect((results.find((result) => result.status === 'rejected') as PromiseRejectedResult).reason).toMatchObject({ code: 'post_on_other_item' });
  });

  it('offers search results with the reason a post cannot be linked', async () => {
    const itemId = await newItem('Search target');
    const free = await newPost('Zanzibar antenna tilt');
    const taken = await newPost('Zanzibar antenna power');
    await linkPostToRoadmapItem(db(), triager, { itemId: await newItem('Taken by'), postId: taken });
    const declined = await newPost('Zanzibar antenna declined', 'declined');
    const outcome = await call(manageRoute.loader, `/roadmap/manage?link=${itemId}&q=Zanzibar`, triagerUser);
    const results = outcome.data.linkSearch.results as Array<{ id: string; refusal: string | null; roadmapItem: { title: string } | null }>;
    expect(results.find((post) => post.id === free)).toMatchObject({ refusal: null, roadmapItem: null });
    expect(results.find((post) => post.id === taken)).toMatchObject({ refusal: 'on_other_item', roadmapItem: { title: 'Taken by' } });
    expect(results.find((post) => post.id === declined)).toMatchObject({ refusal: 'declined' });

    const linked = await call(manageRoute.action, '/roadmap/manage', triagerUser, { form: { intent: 'link', itemId, postId: free, q: 'Zanzibar' } });
    expect(linked.status).toBe(302);
    expect(linked.location).toBe(`/roadmap/manage?link=${itemId}&q=Zanzibar#roadmap-item-${itemId}`);
  });
});

describe('shipping', () => {
  const POSTS = 1_000;
  let itemId: string;
  let postIds: string[];
  let declined: string;
  let alreadyShipped: string;

  beforeAll(async () => {
    itemId = await newItem('Big release', 'in_progress');
    postIds = [];
    for (let index = 0; index < POSTS; index++) postIds.push(await newPost(`Shipping post ${index}`, index % 3 === 0 ? 'planned' : 'open'));
    alreadyShipped = postIds[POSTS - 1]!;
    await db().updateTable('post').set({ status: 'shipped' }).where('id', '=', alreadyShipped).execute();
    declined = await newPost('Declined but linked');
    await db()
      .updateTable('post')
      .set({ roadmap_item_id: itemId })
      .where('id', 'in', [...postIds, declined])
      .execute();
    // Declined after it was linked: only shipping notices.
    await db().updateTable('post').set({ status: 'declined' }).where('id', '=', declined).execute();
  }, 120_000);

  const counts = async () => ({
    outbox: Number((await db().selectFrom('outbox').select(sql<string>`count(*)`.as('n')).where('topic', '=', 'post.status_changed').executeTakeFirstOrThrow()).n),
    timeline: Number((await db().selectFrom('post_status_change').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    audit: Number((await db().selectFrom('audit_log').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n),
    shipped: Number(
      (await db().selectFrom('post').select(sql<string>`count(*)`.as('n')).where('roadmap_item_id', '=', itemId).where('status', '=', 'shipped').executeTakeFirstOrThrow()).n,
    ),
  });

  it('refuses the whole ship when one linked post cannot ship, naming it, and changes nothing', async () => {
    const before = { counts: await counts(), item: await item(itemId) };
    const error = await refusal(() => shipRoadmapItem(db(), triager, { itemId, version: before.item.version }));
    expect(error).toBeInstanceOf(ShipBlockedError);
    expect((error as ShipBlockedError).blockers).toEqual([{ id: declined, title: 'Declined but linked', status: 'declined' }]);
    expect((error as ShipBlockedError).blockerCount).toBe(1);
    expect(await counts()).toEqual(before.counts);
    expect(await item(itemId)).toEqual(before.item);

    // The page lists the blocking post with a 409.
    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, {
      form: { intent: 'ship', itemId, version: String(before.item.version) },
    });
    expect(outcome.status).toBe(409);
    expect(outcome.data.blocked).toEqual({ posts: [{ id: declined, title: 'Declined but linked', status: 'declined' }], count: 1 });
    expect(await counts()).toEqual(before.counts);
  });

  it('previews what shipping does, for the confirm step', async () => {
    const outcome = await call(manageRoute.loader, `/roadmap/manage?ship=${itemId}`, triagerUser);
    expect(outcome.data.shipPreview).toMatchObject({ itemId, toShip: POSTS - 1, alreadyShipped: 1, blockerCount: 1 });
  });

  it('refuses a ship confirmed before a post was unlinked (the count it showed is stale)', async () => {
    const { version } = await item(itemId);
    await unlinkPostFromRoadmapItem(db(), triager, { itemId, postId: declined });
    expect(await refusal(() => shipRoadmapItem(db(), triager, { itemId, version }))).toMatchObject({ code: 'changed_meanwhile', status: 409 });
  });

  it('ships the item and its 1,000 posts in one transaction, one outbox event per post', async () => {
    const before = await counts();
    const { version } = await item(itemId);
    const outcome = await shipRoadmapItem(db(), triager, { itemId, version, note: 'Released in 24.2.' });
    expect(outcome).toEqual({ shipped: POSTS - 1, alreadyShipped: 1 });

    const after = await counts();
    expect(after.shipped).toBe(POSTS);
    expect(after.outbox - before.outbox).toBe(POSTS - 1);
    expect(after.timeline - before.timeline).toBe(POSTS - 1);
    const events = await db()
      .selectFrom('outbox')
      .select([sql<string>`payload->>'postId'`.as('post_id'), 'created_at'])
      .where('topic', '=', 'post.status_changed')
      .where(sql<string>`payload->>'postId'`, 'in', postIds)
      .execute();
    // Exactly one per post that moved, none for the one already shipped.
    expect(new Set(events.map((event) => event.post_id)).size).toBe(POSTS - 1);
    expect(events).toHaveLength(POSTS - 1);
    expect(events.map((event) => event.post_id)).not.toContain(alreadyShipped);
    // now() is the transaction's start: one value means one transaction.
    const changes = await db()
      .selectFrom('post_status_change')
      .select(['created_at', 'note', 'actor_id', 'to_status'])
      .where('post_id', 'in', postIds)
      .execute();
    expect(new Set([...changes, ...events].map((row) => row.created_at.toISOString())).size).toBe(1);
    expect(new Set(changes.map((row) => `${row.to_status} ${row.note} ${row.actor_id}`))).toEqual(new Set([`shipped Released in 24.2. ${triager.id}`]));

    const shipped = await item(itemId);
    expect(shipped.status).toBe('shipped');
    expect(shipped.shipped_at?.toISOString()).toBe(changes[0]!.created_at.toISOString());
    expect(await auditOf(itemId)).toContainEqual(
      expect.objectContaining({ action: 'roadmap_item.ship', after: expect.objectContaining({ postsShipped: POSTS - 1, postsAlreadyShipped: 1 }) }),
    );
  }, 60_000);

  it('relays each shipping event exactly once, even with two relays running at once', async () => {
    const otherQueue = openQueue(QUEUES.events, queueConnection(app.services.env));
    try {
      for (;;) {
        const [first, second] = await Promise.all([
          relayOutbox(db(), app.services.eventsQueue),
          relayOutbox(db(), otherQueue),
        ]);
        if (first + second === 0) break;
      }
    } finally {
      await otherQueue.close();
    }
    const events = await db()
      .selectFrom('outbox')
      .select(['id', 'enqueued_at'])
      .where('topic', '=', 'post.status_changed')
      .where(sql<string>`payload->>'postId'`, 'in', postIds)
      .execute();
    expect(events.every((event) => event.enqueued_at !== null)).toBe(true);
    const wanted = new Set(events.map((event) => outboxJobId(event.id)));
    const jobs = await app.services.eventsQueue.getJobs(['waiting', 'delayed', 'active', 'completed', 'failed', 'prioritized'], 0, 5_000);
    const ours = jobs.filter((job) => job.id && wanted.has(job.id));
    expect(ours).toHaveLength(POSTS - 1);
    expect(new Set(ours.map((job) => job.id)).size).toBe(POSTS - 1);
    expect(new Set(ours.map((job) => job.name))).toEqual(new Set(['post.status_changed']));
  }, 60_000);

  it('keeps a shipped item final: no second ship, no move, no link or unlink', async () => {
    const { version } = await item(itemId);
    expect(await refusal(() => shipRoadmapItem(db(), triager, { itemId, version }))).toMatchObject({ code: 'item_shipped', status: 409 });
    expect(await refusal(() => setRoadmapItemStatus(db(), triager, { itemId, version, status: 'planned' }))).toMatchObject({ code: 'item_shipped' });
    expect(await refusal(() => moveRoadmapItem(db(), triager, { itemId, version, direction: 'up' }))).toMatchObject({ code: 'item_shipped' });
    expect(await refusal(() => unlinkPostFromRoadmapItem(db(), triager, { itemId, postId: postIds[0]! }))).toMatchObject({ code: 'item_shipped' });
    expect(await refusal(() => linkPostToRoadmapItem(db(), triager, { itemId, postId: declined }))).toMatchObject({ code: 'item_shipped' });
    // Its text can still be corrected.
    await editRoadmapItem(db(), triager, { itemId, version, title: 'Big release (24.2)', description: '' });
  });

  it('ships through the page with a confirm form and a flash', async () => {
    const smallItem = await newItem('Small release');
    const postId = await newPost('Small shipped post');
    await linkPostToRoadmapItem(db(), triager, { itemId: smallItem, postId });
    const outcome = await call(manageRoute.action, '/roadmap/manage', triagerUser, { form: { intent: 'ship', itemId: smallItem, version: '2' } });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`/roadmap/manage#roadmap-item-${smallItem}`);
    expect((await getPost(db(), null, postId)).status).toBe('shipped');
    expect((await getPost(db(), null, postId)).roadmapItem).toMatchObject({ id: smallItem, status: 'shipped' });
  });
});

describe('public board and changelog', () => {
  let boardItem: string;
  let visible: string;
  let hidden: string;
  let merged: string;

  beforeAll(async () => {
    boardItem = await newItem('Board item <with> & "marks"', 'in_progress');
    visible = await newPost('Visible linked post');
    hidden = await newPost('Hidden linked post');
    merged = await newPost('Merged linked post');
    for (const postId of [visible, hidden, merged]) await linkPostToRoadmapItem(db(), triager, { itemId: boardItem, postId });
    for (const voter of voters) await toggleVote(db(), { id: voter.id, orgId, roles: [] }, { postId: visible });
    await toggleVote(db(), { id: voters[0]!.id, orgId, roles: [] }, { postId: hidden });
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'identifying' }).where('id', '=', hidden).execute();
    await db().updateTable('post').set({ status: 'merged', merged_into_id: visible }).where('id', '=', merged).execute();
  });

  it('shows each column with visible posts and their votes only, to anyone', async () => {
    const outcome = await call(boardRoute.loader, '/roadmap', null);
    expect(outcome.status).toBe(200);
    const card = (outcome.data.board.inProgress as Array<{ id: string }>).find((one) => one.id === boardItem);
    expect(card).toMatchObject({
      title: 'Board item <with> & "marks"',
      postCount: 1,
      totalVotes: 2,
      posts: [{ id: visible, title: 'Visible linked post', voteCount: 2, status: 'open', hidden: false }],
    });
    expect(outcome.data.board.shipped.map((one: { title: string }) => one.title)).toContain('Small release');
    expect(outcome.data.canManage).toBe(false);
    const text = JSON.stringify(outcome.data);
    for (const secret of ['Hidden linked post', 'Merged linked post', AUTHOR_NAME, AUTHOR_EMAIL, author.pseudonym, 'Roadmapia Org']) {
      expect(text).not.toContain(secret);
    }
  });

  it('lets triage staff see the manage link', async () => {
    expect((await call(boardRoute.loader, '/roadmap', triagerUser)).data.canManage).toBe(true);
  });

  it('lists shipped items by month, newest first, in bounded pages', async () => {
    // Shipped in three months; set the dates as if they had shipped then.
    const shippedIn = async (title: string, at: string) => {
      const itemId = await newItem(title);
      await shipRoadmapItem(db(), triager, { itemId, version: 1 });
      await db().updateTable('roadmap_item').set({ shipped_at: new Date(at) }).where('id', '=', itemId).execute();
      return itemId;
    };
    const september = await shippedIn('September thing', '2020-09-15T10:00:00Z');
    const octoberA = await shippedIn('October thing A', '2020-10-02T10:00:00Z');
    const octoberB = await shippedIn('October thing B', '2020-10-30T23:59:00Z');

    const page = await listChangelog(db(), {});
    const months = page.months.map((month) => month.month);
    expect(months).toEqual([...months].sort().reverse());
    const october = page.months.find((month) => month.month === '2020-10')!;
    expect(october.items.map((one) => one.id)).toEqual([octoberB, octoberA]);
    expect(page.months.find((month) => month.month === '2020-09')!.items.map((one) => one.id)).toEqual([september]);
    expect(page.newer).toBeNull();

    // Paging from an item: that item first, the newer ones a page back.
    const from = await listChangelog(db(), { from: octoberA });
    expect(from.months[0]).toMatchObject({ month: '2020-10', items: [{ id: octoberA }] });
    expect(from.newer).toEqual({ from: null });
    // A stale link shows the newest page.
    expect((await listChangelog(db(), { from: 'nosuchitem' })).months[0]!.items[0]!.id).toBe(page.months[0]!.items[0]!.id);

    const outcome = await call(changelogRoute.loader, `/changelog?from=${octoberA}`, null);
    expect(outcome.data.months[0].items[0].id).toBe(octoberA);
    expect(changelogRoute.links()).toContainEqual({ rel: 'alternate', type: 'application/atom+xml', href: '/changelog.atom' });
  });

  it('never shows hidden or merged posts in the changelog', async () => {
    const { version } = await item(boardItem);
    await unlinkPostFromRoadmapItem(db(), triager, { itemId: boardItem, postId: merged });
    await shipRoadmapItem(db(), triager, { itemId: boardItem, version: version + 1 });
    const page = await listChangelog(db(), {});
    const card = page.months.flatMap((month) => month.items).find((one) => one.id === boardItem)!;
    expect(card.posts.map((post) => post.id)).toEqual([visible]);
    expect(card.postCount).toBe(1);
    expect(JSON.stringify(page)).not.toContain('Hidden linked post');
  });
});

/**
 * A strict check that text is well-formed XML of the shape Atom uses:
 * elements nest and close, attributes are quoted, and every & starts one
 * of XML's five entities or a character reference. (No XML parser is
 * installed; this is enough to catch an unescaped payload.)
 */
function expectWellFormedXml(xml: string): void {
  expect(xml.startsWith('<?xml version="1.0" encoding="utf-8"?>\n')).toBe(true);
  const body = xml.slice(xml.indexOf('?>') + 2);
  const open: string[] = [];
  const token = /<\/?([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+="[^"<&]*(?:&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);[^"<&]*)*")*)\s*(\/?)>|([^<]+)/gy;
  let match: RegExpExecArray | null;
  let consumed = 0;
  while ((match = token.exec(body)) !== null) {
    consumed = token.lastIndex;
    const [whole, name, , selfClosing, text] = match;
    if (text !== undefined) {
      expect(text.replace(/&(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, '')).not.toMatch(/[&<>]/);
      continue;
    }
    if (whole.startsWith('</')) expect(open.pop(), `closing ${name}`).toBe(name);
    else if (!selfClosing) open.push(name!);
  }
  expect(consumed, `XML stops parsing at: ${body.slice(consumed, consumed + 80)}`).toBe(body.length);
  expect(open).toEqual([]);
}

describe('changelog feed', () => {
  const PAYLOAD = `Fix <script>alert("x")</script> & 'quotes' \u0001`;

  it('is a well-formed Atom feed with escaped text, absolute links and RFC 3339 dates', async () => {
    const itemId = await newItem(PAYLOAD);
    const postId = await newPost(`Post with <b>tags</b> & "quotes"`);
    await linkPostToRoadmapItem(db(), triager, { itemId, postId });
    await editRoadmapItem(db(), triager, { itemId, version: 2, title: PAYLOAD, description: 'See [the post](/posts/abc) & <em>enjoy</em>' });
    await shipRoadmapItem(db(), triager, { itemId, version: 3 });

    const outcome = await call(changelogFeedRoute.loader, '/changelog.atom', null, { headers: { 'Accept-Language': 'en' } });
    const response = outcome.response!;
    expect(response.status).toBe(200);
    expect(response.headers.get('Content-Type')).toBe('application/atom+xml; charset=utf-8');
    const xml = await response.text();
    expectWellFormedXml(xml);

    expect(xml).toContain('<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">');
    expect(xml).toContain(`<id>${TEST_PUBLIC_URL}/changelog</id>`);
    expect(xml).toContain(`<link rel="self" type="application/atom+xml" href="${TEST_PUBLIC_URL}/changelog.atom"/>`);
    // The payload arrives as text: escaped, the control character dropped.
    expect(xml).toContain('<title type="text">Fix &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &apos;quotes&apos; </title>');
    expect(xml).not.toContain('<script>');
    expect(xml).not.toContain('\u0001');
    // Entry content is HTML, escaped once more as text; the post link is absolute.
    expect(xml).toContain(escapeMarkup(`<a href="${TEST_PUBLIC_URL}/posts/${postId}">Post with &lt;b&gt;tags&lt;/b&gt; &amp; &quot;quotes&quot;</a>`));
    expect(xml).toContain(`<id>${TEST_PUBLIC_URL}/changelog?from=${itemId}</id>`);
    expect(xml).toContain(`<link rel="alternate" type="text/html" href="${TEST_PUBLIC_URL}/changelog?from=${itemId}#roadmap-item-${itemId}"/>`);
    for (const [, date] of xml.matchAll(/<(?:updated|published)>([^<]*)<\//g)) {
      expect(date).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    }
    // No member identity: titles and counts only.
    for (const secret of [AUTHOR_NAME, AUTHOR_EMAIL, author.pseudonym, 'Roadmapia Org', 'Hidden linked post']) expect(xml).not.toContain(secret);

    // Stable ids: the same entries, the same ids, on every fetch.
    const again = await (await call(changelogFeedRoute.loader, '/changelog.atom', null)).response!.text();
    const ids = (text: string) => [...text.matchAll(/<id>([^<]*)<\/id>/g)].map(([, id]) => id);
    expect(ids(again)).toEqual(ids(xml));
  });

  it('speaks the reader’s language', async () => {
    const xml = await (await call(changelogFeedRoute.loader, '/changelog.atom', null, { headers: { 'Accept-Language': 'zh-CN' } })).response!.text();
    expect(xml).toContain('xml:lang="zh-CN"');
    expect(xml).toContain('<title type="text">Candor 坦言更新日志</title>');
    expectWellFormedXml(xml);
  });
});
