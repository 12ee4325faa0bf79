import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, flash, heading, switchLanguage } from './support/flows.js';
import { headerPseudonym, setupE2E } from './support/e2e.js';

// Notifications as people meet them: a member posts, another member comments,
// and the worker turns the comment into a notification. The author sees the
// bell's count, opens the notification centre, reads the line and lands on
// the comment; the page in Chinese and on a phone; the mail settings; an
// unknown unsubscribe link. The tests build on each other and run in order.

const e2e = setupE2E();
const { pageAs } = demoPeople(e2e);

const AUTHOR = { email: 'member@northwind.example', name: 'Mei Member' };
const COMMENTER = { email: 'orgadmin@northwind.example', name: 'Omar Orgadmin' };
const TITLE = 'Backup export stalls at midnight on every site';
const BODY = 'The nightly configuration export hangs for about an hour and blocks other jobs.';
const COMMENT = 'We see the same stall on our core sites since the last upgrade.';




/** The number on the header's bell, or null when it shows none. */
async function bellCount(page: Page): Promise<string | null> {
  const badge = page.locator('.site-header .nav__bell .badge--count');
  if ((await badge.count()) === 0) return null;
  return (await badge.innerText()).trim().split(/\s+/)[0] ?? null;
}

let postPath = '';
let commenterPseudonym = '';

describe('notifications', () => {
  test('a member posts and starts with nothing unread', async () => {
    const author = await pageAs(AUTHOR.email);
    // The demo data has already told this member of the official reply to
    // their post (the worker may still be writing it): start from zero.
    await author.goto('/notifications');
    await heading(author, en.notifications.title).waitFor();
    await expect
      .poll(
        async () => {
          await author.reload();
          return author.locator('li.notification').count();
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBeGreaterThan(0);
    const markAll = author.getByRole('button', { name: en.notifications.markAllRead });
    if ((await markAll.count()) > 0) {
      await markAll.click();
      await flash(author, en.notifications.flash.allRead).waitFor();
    }
    expect(await bellCount(author)).toBeNull();
    expect(await author.locator('.notification--unread').count()).toBe(0);
    await checkPage(author, 'notifications-all-read');

    await author.goto('/posts/new');
    await heading(author, en.posts.compose.title).waitFor();
    await author.getByLabel(en.posts.compose.type).selectOption('complaint');
    await author.getByLabel(en.posts.compose.area).selectOption({ label: 'Alarms and monitoring' });
    await author.getByLabel(en.posts.compose.postTitle, { exact: true }).fill(TITLE);
    await author.getByLabel(en.posts.compose.body, { exact: true }).fill(BODY);
    await Promise.all([
      author.waitForURL((url) => /^\/posts\/[^/]+$/.test(url.pathname) && url.pathname !== '/posts/new'),
      author.getByRole('button', { name: en.posts.compose.submit, exact: true }).click(),
    ]);
    postPath = new URL(author.url()).pathname;
    await heading(author, TITLE).waitFor();
  });

  test('another member comments; the author sees the bell, the line, and lands on the comment', async () => {
    expect(postPath).not.toBe('');
    const commenter = await pageAs(COMMENTER.email);
    commenterPseudonym = await headerPseudonym(commenter);
    await commenter.goto(postPath);
    await commenter.getByLabel(en.post.comments.newLabel).fill(COMMENT);
    await commenter.getByRole('button', { name: en.post.comments.submit, exact: true }).click();
    await flash(commenter, en.post.flash.commentAdded).waitFor();
    const commentId = new URL(commenter.url()).hash;
    expect(commentId).toMatch(/^#comment-/);

    // The worker relays the comment's event and writes the notification: the
    // bell counts it on the next page the author opens.
    const author = await pageAs(AUTHOR.email);
    await author.goto('/posts');
    await expect
      .poll(
        async () => {
          await author.reload();
          return bellCount(author);
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe('1');
    // The count is said in words to a screen reader, not only shown.
    expect(await author.locator('.site-header .nav__bell').innerText()).toContain(en.common.nav.unread);

    await author.locator('.site-header .nav__bell').click();
    await heading(author, en.notifications.title).waitFor();
    const sentence = `${commenterPseudonym} commented on “${TITLE}”.`;
    const line = author.locator('li.notification--unread').filter({ hasText: sentence });
    await line.waitFor();
    // Unread is said by a word, not by colour alone.
    await line.getByText(en.notifications.unread, { exact: true }).waitFor();
    const text = await author.locator('main').innerText();
    expect(text).not.toContain(COMMENTER.name);
    expect(text).not.toContain(COMMENTER.email);
    expect(text).not.toMatch(/northwind/i);
    await checkPage(author, 'notifications-unread');

    const phone = await pageAs(AUTHOR.email, 'phone');
    await phone.goto('/notifications');
    await phone.locator('li.notification--unread').filter({ hasText: sentence }).waitFor();
    await checkPage(phone, 'notifications-unread');

    // Opening the line marks it read and leads to the comment itself.
    await Promise.all([author.waitForURL((url) => url.pathname === postPath), line.getByRole('button').click()]);
    expect(new URL(author.url()).hash).toBe(commentId);
    await author.locator(`${commentId} .comment__body`, { hasText: COMMENT }).waitFor();
    await expect.poll(() => bellCount(author)).toBeNull();

    await author.goto('/notifications');
    const read = author.locator('li.notification').filter({ hasText: sentence });
    await read.waitFor();
    expect(await read.getAttribute('class')).not.toContain('notification--unread');
  });

  test('the notification centre in Chinese', async () => {
    const author = await pageAs(AUTHOR.email);
    await author.goto('/notifications');
    await heading(author, en.notifications.title).waitFor();
    await switchLanguage(author, 'zh-CN');
    await heading(author, zhCN.notifications.title).waitFor();
    await author.locator('li.notification').filter({ hasText: `评论了“${TITLE}”。` }).first().waitFor();
    await expectChinese(author);
    await checkPage(author, 'notifications-zh');
    await switchLanguage(author, 'en');
    await heading(author, en.notifications.title).waitFor();
  });

  test('mail settings: the author turns status mails off and on again', async () => {
    const author = await pageAs(AUTHOR.email);
    await author.goto('/notifications');
    await author.getByRole('link', { name: en.notifications.mailSettingsLink }).click();
    await heading(author, en.notifications.preferences.title, 2).waitFor();
    const statusBox = author.getByLabel(en.notifications.preferences.statusChanges);
    const repliesBox = author.getByLabel(en.notifications.preferences.replies);
    expect(await statusBox.isChecked()).toBe(true);
    await statusBox.uncheck();
    await author.getByRole('button', { name: en.notifications.preferences.submit }).click();
    await flash(author, en.notifications.preferences.saved).waitFor();
    await author.reload();
    expect(await author.getByLabel(en.notifications.preferences.statusChanges).isChecked()).toBe(false);
    expect(await repliesBox.isChecked()).toBe(true);
    await checkPage(author, 'settings-mail');

    await author.getByLabel(en.notifications.preferences.statusChanges).check();
    await author.getByRole('button', { name: en.notifications.preferences.submit }).click();
    await flash(author, en.notifications.preferences.saved).waitFor();
    await author.reload();
    expect(await author.getByLabel(en.notifications.preferences.statusChanges).isChecked()).toBe(true);
  });

  test('an unknown unsubscribe link gets a friendly page, without logging in', async () => {
    const anonymous = await e2e.newPage('phone');
    const response = await anonymous.goto(`/unsubscribe/${'q'.repeat(32)}`);
    expect(response?.status()).toBe(404);
    await heading(anonymous, en.notifications.unsubscribe.notFoundTitle).waitFor();
    await anonymous.getByRole('link', { name: en.notifications.unsubscribe.settingsLink }).waitFor();
    await checkPage(anonymous, 'unsubscribe-unknown');
  });
});
