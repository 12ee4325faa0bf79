import type { AppLoadContext } from '@remix-run/node';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addComment } from '../app/domain/comments/add-comment.server.js';
import { deleteComment } from '../app/domain/comments/delete-comment.server.js';
import { editComment } from '../app/domain/comments/edit-comment.server.js';
import { listComments } from '../app/domain/comments/list-comments.server.js';
import { DomainError } from '../app/domain/errors.js';
import { updateSettings } from '../app/domain/settings/settings.server.js';
import en from '../app/locales/en.js';
import * as postRoute from '../app/routes/posts.$postId.js';
import { createPostRow, createProductArea, type CreatedUser } from '../db/factories.js';
import type { Role } from '../db/schema.js';
import { makeRequest, sessionCookieFor, settle } from './support/http.js';
import { createTestApp, loadContext, makeOrg, makeUser, type TestApp } from './support/services.js';

type Handler = (args: { request: Request; context: AppLoadContext; params: Record<string, string> }) => Promise<unknown>;

let app: TestApp;
let areaId: string;
let orgId: string;
let author: CreatedUser;
let member: CreatedUser;
let triager: CreatedUser;
let admin: CreatedUser;

const db = () => app.services.db;
const actor = (user: CreatedUser, roles: Role[] = []) => ({ id: user.id, orgId: null, roles });

beforeAll(async () => {
  app = await createTestApp();
  areaId = await createProductArea(db(), { slug: 'core', nameEn: 'Core network', nameZh: '核心网' });
  orgId = await makeOrg(app, { name: 'Comments Org', valueTier: 'major' });
  author = await makeUser(app, { orgId });
  member = await makeUser(app, { orgId });
  triager = await makeUser(app, { roles: ['triager'] });
  await db().updateTable('app_user').set({ staff_display_name: 'Lin from Product' }).where('id', '=', triager.id).execute();
  admin = await makeUser(app, { roles: ['admin'] });
}, 60_000);
afterAll(async () => {
  await app?.close();
});

function newPost() {
  return createPostRow(db(), { authorId: author.id, productAreaId: areaId, title: `Post ${Math.random().toString(36).slice(2, 8)}` });
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

async function commentCount(postId: string): Promise<number> {
  const row = await db().selectFrom('post').select('comment_count').where('id', '=', postId).executeTakeFirstOrThrow();
  return row.comment_count;
}

async function expectDomainError(run: Promise<unknown>, code: string) {
  await expect(run).rejects.toBeInstanceOf(DomainError);
  await expect(run).rejects.toMatchObject({ code });
}

describe('comments', () => {
  it('adds a comment and a reply under it, by pseudonym and day, and counts both', async () => {
    const postId = await newPost();
    const { id: topId } = await addComment(db(), actor(member), { postId, body: 'We see this **too**.' });
    const { id: replyId } = await addComment(db(), actor(author), { postId, parentId: topId, body: 'Which release?' });
    expect(await commentCount(postId)).toBe(2);

    const threads = await listComments(db(), null, postId);
    expect(threads).toHaveLength(1);
    const [top] = threads;
    expect(top).toMatchObject({
      id: topId,
      state: 'visible',
      bodyHtml: '<p>We see this <strong>too</strong>.</p>\n',
      isOfficial: false,
      author: { pseudonym: member.pseudonym, pseudonymZh: expect.any(String) },
      exactAt: null,
      isOwn: false,
      canEdit: false,
    });
    expect(top!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(top!.replies.map((reply) => reply.id)).toEqual([replyId]);
    // No user id and no exact time of a member's comment leaves the server.
    const text = JSON.stringify(threads);
    expect(text).not.toContain(member.id);
    expect(text).not.toContain(author.id);
    expect(text).not.toMatch(/T\d{2}:\d{2}/);
  });

  it('refuses a reply to a reply', async () => {
    const postId = await newPost();
    const { id: topId } = await addComment(db(), actor(member), { postId, body: 'Top' });
    const { id: replyId } = await addComment(db(), actor(author), { postId, parentId: topId, body: 'Reply' });
    await expectDomainError(addComment(db(), actor(member), { postId, parentId: replyId, body: 'Deeper' }), 'reply_to_reply');

    const outcome = await call(postRoute.action as Handler, postId, member, { intent: 'reply', parentId: replyId, body: 'Deeper' });
    expect(outcome.status).toBe(400);
    expect(outcome.data.target).toBe(replyId);
    expect(outcome.data.result.error['']).toEqual(['post.errors.reply_to_reply']);
    expect(en.post.errors.reply_to_reply).toMatch(/one level/);
    expect(await commentCount(postId)).toBe(2);
  });

  it('refuses a reply to a comment of another post', async () => {
    const postId = await newPost();
    const otherPostId = await newPost();
    const { id: elsewhere } = await addComment(db(), actor(member), { postId: otherPostId, body: 'Elsewhere' });
    await expectDomainError(addComment(db(), actor(member), { postId, parentId: elsewhere, body: 'Hi' }), 'parent_not_found');
  });

  it('marks a staff reply official with the staff display name and its exact time', async () => {
    const postId = await newPost();
    const { id: topId } = await addComment(db(), actor(member), { postId, body: 'When is the fix coming?' });
    const outcome = await call(postRoute.action as Handler, postId, triager, {
      intent: 'reply',
      parentId: topId,
      body: 'Planned for the next release.',
    });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toMatch(new RegExp(`^/posts/${postId}#comment-`));

    const page = await call(postRoute.loader as Handler, postId, null);
    const reply = page.data.comments[0].replies[0];
    expect(reply).toMatchObject({ isOfficial: true, author: { staffName: 'Lin from Product' } });
    expect(reply.exactAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}/);
    // The staff member's pseudonym is not shown beside their official name.
    expect(JSON.stringify(reply)).not.toContain(triager.pseudonym);
  });

  it('keeps a finance or plain member comment ordinary', async () => {
    const postId = await newPost();
    const finance = await makeUser(app, { roles: ['finance_approver'] });
    await addComment(db(), actor(finance, ['finance_approver']), { postId, body: 'Just a reader.' });
    await addComment(db(), actor(admin, ['admin']), { postId, body: 'Admin speaking.' });
    const threads = await listComments(db(), null, postId);
    expect(threads.map((thread) => thread.isOfficial)).toEqual([false, true]);
  });

  it('lets the author edit within 15 minutes, and not after', async () => {
    const postId = await newPost();
    const { id } = await addComment(db(), actor(member), { postId, body: 'Frist' });
    const [own] = await listComments(db(), actor(member), postId);
    expect(own).toMatchObject({ isOwn: true, canEdit: true, canDelete: true, editableBody: 'Frist' });

    const edited = await call(postRoute.action as Handler, postId, member, { intent: 'edit-comment', commentId: id, body: 'First' });
    expect(edited.status).toBe(302);
    const [after] = await listComments(db(), null, postId);
    expect(after).toMatchObject({ bodyHtml: '<p>First</p>\n', edited: true, editableBody: null });

    // Someone else's comment cannot be edited.
    await expectDomainError(editComment(db(), actor(author), { commentId: id, body: 'Hijack' }), 'comment_not_found');

    // created_at is never updated by the app; the test moves it back by hand.
    await sql`UPDATE comment SET created_at = now() - interval '16 minutes' WHERE id = ${id}`.execute(db());
    await expectDomainError(editComment(db(), actor(member), { commentId: id, body: 'Too late' }), 'edit_window_over');
    const late = await call(postRoute.action as Handler, postId, member, { intent: 'edit-comment', commentId: id, body: 'Too late' });
    expect(late.status).toBe(400);
    expect(late.data.result.error['']).toEqual(['post.errors.edit_window_over']);
    const [stale] = await listComments(db(), actor(member), postId);
    expect(stale).toMatchObject({ canEdit: false, bodyHtml: '<p>First</p>\n' });
  });

  it('deletes softly: the thread keeps its shape and shows "deleted", the count drops once', async () => {
    const postId = await newPost();
    const { id: topId } = await addComment(db(), actor(member), { postId, body: 'Something I regret' });
    await addComment(db(), actor(author), { postId, parentId: topId, body: 'A reply' });
    expect(await commentCount(postId)).toBe(2);

    await expectDomainError(deleteComment(db(), actor(author), { commentId: topId }), 'comment_not_found');
    const deleted = await call(postRoute.action as Handler, postId, member, { intent: 'delete-comment', commentId: topId });
    expect(deleted.status).toBe(302);
    await deleteComment(db(), actor(member), { commentId: topId });
    expect(await commentCount(postId)).toBe(1);

    const threads = await listComments(db(), null, postId);
    expect(threads).toHaveLength(1);
    expect(threads[0]).toMatchObject({ state: 'deleted', bodyHtml: null, author: null });
    expect(threads[0]!.replies).toHaveLength(1);
    expect(JSON.stringify(threads)).not.toContain('regret');
    expect(JSON.stringify(threads)).not.toContain(member.pseudonym);
    // A deleted comment takes no new replies.
    await expectDomainError(addComment(db(), actor(author), { postId, parentId: topId, body: 'Hello?' }), 'parent_not_found');
  });

  it('refuses comments on hidden and merged posts with a clear message', async () => {
    const hiddenId = await newPost();
    await db().updateTable('post').set({ hidden_at: new Date(), hidden_reason: 'Spam' }).where('id', '=', hiddenId).execute();
    await expectDomainError(addComment(db(), actor(member), { postId: hiddenId, body: 'Hi' }), 'post_hidden');
    const targetId = await newPost();
    const mergedId = await newPost();
    await db().updateTable('post').set({ status: 'merged', merged_into_id: targetId }).where('id', '=', mergedId).execute();
    const outcome = await call(postRoute.action as Handler, mergedId, member, { intent: 'comment', body: 'Hi' });
    expect(outcome.status).toBe(400);
    expect(outcome.data.result.error['']).toEqual(['post.errors.post_merged']);
    expect(await commentCount(mergedId)).toBe(0);
  });

  it('refuses an empty or oversized comment with a form message', async () => {
    const postId = await newPost();
    const empty = await call(postRoute.action as Handler, postId, member, { intent: 'comment', body: '   ' });
    expect(empty.status).toBe(400);
    expect(empty.data.result.error.body).toEqual(['post.errors.bodyRequired']);
    const long = await call(postRoute.action as Handler, postId, member, { intent: 'comment', body: 'x'.repeat(5001) });
    expect(long.status).toBe(400);
    expect(long.data.result.error.body).toEqual(['common.errors.tooLong?max=5000']);
    const orphan = await call(postRoute.action as Handler, postId, member, { intent: 'reply', body: 'No parent' });
    expect(orphan.status).toBe(400);
    expect(await commentCount(postId)).toBe(0);
  });

  it('limits comments per member per hour, from settings, with a clear message', async () => {
    const postId = await newPost();
    const chatty = await makeUser(app, { orgId });
    await updateSettings(db(), admin.id, { commentsPerHour: 3 });
    try {
      for (let index = 0; index < 3; index += 1) {
        const ok = await call(postRoute.action as Handler, postId, chatty, { intent: 'comment', body: `Comment ${index}` });
        expect(ok.status).toBe(302);
      }
      const refused = await call(postRoute.action as Handler, postId, chatty, { intent: 'comment', body: 'One too many' });
      expect(refused.status).toBe(429);
      expect(refused.data.result.error[''][0]).toMatch(/^post\.errors\.commentRateLimited\?minutes=\d+$/);
      expect(await commentCount(postId)).toBe(3);
      // Another member is not limited by the first one's comments.
      const other = await call(postRoute.action as Handler, postId, member, { intent: 'comment', body: 'Me' });
      expect(other.status).toBe(302);
    } finally {
      await updateSettings(db(), admin.id, { commentsPerHour: 60 });
    }
  });

  it('asks an anonymous visitor to log in before commenting, but lets them read', async () => {
    const postId = await newPost();
    await addComment(db(), actor(member), { postId, body: 'Readable by all' });
    const outcome = await call(postRoute.action as Handler, postId, null, { intent: 'comment', body: 'Anon' });
    expect(outcome.status).toBe(302);
    expect(outcome.location).toMatch(/^\/login\?redirectTo=/);
    const page = await call(postRoute.loader as Handler, postId, null);
    expect(page.status).toBe(200);
    expect(page.data.comments[0].bodyHtml).toContain('Readable by all');
    expect(page.data.signedIn).toBe(false);
  });
});

const XSS_PAYLOADS = [
  '<script>alert(1)</script>',
  '<img src=x onerror=alert(1)>',
  '<svg onload=alert(1)>',
  '[click](javascript:alert(1))',
  '[click](JaVaScRiPt:alert(1))',
  '[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
  '<a href="javascript:alert(1)">x</a>',
  '![x](x" onerror="alert(1))',
  '<iframe src="javascript:alert(1)"></iframe>',
  '"><script>alert(1)</script>',
  '<div style="background:url(javascript:alert(1))">x</div>',
  '<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>',
];

describe('comment XSS', () => {
  it('renders every payload inert: no script, event handler or script URL survives', async () => {
    const postId = await newPost();
    for (const payload of XSS_PAYLOADS) {
      await addComment(db(), actor(member), { postId, body: payload });
    }
    const threads = await listComments(db(), null, postId);
    expect(threads).toHaveLength(XSS_PAYLOADS.length);
    for (const thread of threads) {
      const html = thread.bodyHtml!;
      expect(html).not.toMatch(/<script/i);
      expect(html).not.toMatch(/<(iframe|svg|img|math|style|div)\b/i);
      // Escaped text (&lt;img onerror…&gt;) is inert; no real tag may carry a handler or a script URL.
      expect(html).not.toMatch(/<[^>]*\son\w+\s*=/i);
      expect(html).not.toMatch(/<[^>]*(href|src)\s*=\s*"?\s*(javascript|data):/i);
    }
  });

  it('keeps links safe: rel="nofollow noopener ugc"', async () => {
    const postId = await newPost();
    await addComment(db(), actor(member), { postId, body: 'See https://example.com/issue' });
    const [thread] = await listComments(db(), null, postId);
    expect(thread!.bodyHtml).toContain('rel="nofollow noopener ugc"');
  });
});
