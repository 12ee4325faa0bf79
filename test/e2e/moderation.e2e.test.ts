import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, flash, heading, switchLanguage } from './support/flows.js';
import { headerPseudonym, setupE2E } from './support/e2e.js';

// Moderation as people meet it in a browser: a member reports a demo post
// with a reason and a note; a triager finds it in the queue (one entry, the
// note, never the reporter), hides it with a reason; the author sees the
// notice with that reason, everyone else a 404; the queue and the hidden list
// read in 简体中文. The tests build on each other and run in order.

const e2e = setupE2E();
const { pageAs } = demoPeople(e2e);

const AUTHOR = 'member@northwind.example';
const REPORTER = 'orgadmin@northwind.example';
const OTHER = 'engineer1@contoso.example';
const TRIAGER = 'triager@candor.example';

const DEMO_TITLE = 'Export KPI reports through the API';
const NOTE = 'It names the customer’s NOC building.';
const REASON = 'It identifies a customer site. Please repost without the site name.';




let postPath = '';
let reporterPseudonym = '';

describe('moderation', () => {
  test('a member reports a post with a reason and a note, and the page then says it is reported', async () => {
    const page = await pageAs(REPORTER);
    reporterPseudonym = await headerPseudonym(page);
    await page.goto('/posts');
    await page.getByRole('link', { name: DEMO_TITLE, exact: true }).click();
    await heading(page, DEMO_TITLE).waitFor();
    postPath = new URL(page.url()).pathname;

    const report = page.locator('article.post > details.report');
    await report.locator('summary').click();
    await report.getByText(en.moderation.report.intro).waitFor();
    await checkPage(page, 'report-open');

    // Sent without a reason: refused on the form, nothing reported.
    await report.getByRole('button', { name: en.moderation.report.submit }).click();
    await report.getByText(en.moderation.errors.reasonRequired).waitFor();

    await report.getByLabel(en.moderation.report.reason).selectOption('identifying');
    await report.getByLabel(en.moderation.report.note).fill(NOTE);
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/report')),
      report.getByRole('button', { name: en.moderation.report.submit }).click(),
    ]);
    await flash(page, en.moderation.flash.reported).waitFor();
    await page.locator('article.post > .report-sent').getByText(en.moderation.report.sent).waitFor();
    expect(await page.locator('article.post > details.report').count()).toBe(0);
    await checkPage(page, 'report-sent');
  });

  test('a triager sees one entry with the note but not the reporter, and hides the post with a reason', async () => {
    expect(postPath).not.toBe('');
    const page = await pageAs(TRIAGER);
    await page.getByRole('link', { name: en.common.nav.moderation, exact: true }).click();
    await heading(page, en.moderation.title).waitFor();
    const entries = page.locator('.moderation-case');
    await expect.poll(() => entries.count()).toBe(1);
    const entry = entries.first();
    await entry.getByRole('link', { name: DEMO_TITLE }).waitFor();
    await entry.getByText(en.moderation.queue.reports_one.replace('{{count}}', '1')).waitFor();
    await entry.getByText(`${en.moderation.reasons.identifying} × 1`).waitFor();
    await entry.getByText(NOTE).waitFor();
    // Reporters stay anonymous, to moderators as to the author.
    expect(await page.locator('main').innerText()).not.toContain(reporterPseudonym);
    await checkPage(page, 'moderation-queue');

    const phone = await pageAs(TRIAGER, 'phone');
    await phone.goto('/moderation');
    await phone.locator('.moderation-case').first().waitFor();
    await checkPage(phone, 'moderation-queue');

    // Hide needs a reason the author will read.
    await entry.getByRole('button', { name: en.moderation.actions.hide, exact: true }).click();
    await entry.getByText(en.moderation.errors.explainRequired).waitFor();
    await entry.getByLabel(en.moderation.actions.hideReason).fill(REASON);
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith('/moderation')),
      entry.getByRole('button', { name: en.moderation.actions.hide, exact: true }).click(),
    ]);
    await flash(page, en.moderation.flash.hidden).waitFor();
    await page.getByText(en.moderation.queue.empty).waitFor();

    await page.getByRole('link', { name: en.moderation.tabs.hidden, exact: true }).click();
    const hidden = page.locator('.moderation-case').filter({ hasText: DEMO_TITLE });
    await hidden.getByText(REASON).waitFor();
    await checkPage(page, 'moderation-hidden');
  });

  test('the author sees the notice with the reason; the post is gone for everyone else', async () => {
    expect(postPath).not.toBe('');
    const author = await pageAs(AUTHOR);
    await author.goto(postPath);
    const notice = author.locator('main > .notice[role="status"]');
    await notice.getByText(en.post.hidden.toAuthor, { exact: false }).waitFor();
    expect(await notice.innerText()).toContain(en.post.hidden.reason.replace('{{reason}}', REASON));
    await checkPage(author, 'post-hidden-author');

    const other = await pageAs(OTHER);
    const response = await other.goto(postPath);
    expect(response?.status()).toBe(404);
    await other.goto('/posts');
    await heading(other, en.posts.feed.title).waitFor();
    expect(await other.getByRole('link', { name: DEMO_TITLE, exact: true }).count()).toBe(0);
  });

  test('the queue and the hidden list read in Chinese', async () => {
    const page = await pageAs(TRIAGER);
    await page.goto('/moderation?view=hidden');
    await heading(page, en.moderation.title).waitFor();
    await switchLanguage(page, 'zh-CN');
    await heading(page, zhCN.moderation.title).waitFor();
    await page.locator('.moderation-case').filter({ hasText: DEMO_TITLE }).getByRole('button', { name: zhCN.moderation.actions.restore, exact: true }).waitFor();
    await expectChinese(page);
    await checkPage(page, 'moderation-hidden-zh');

    await page.getByRole('link', { name: zhCN.moderation.tabs.reported.replace('{{count}}', '0'), exact: true }).click();
    await page.getByText(zhCN.moderation.queue.empty).waitFor();
    await expectChinese(page);
    await switchLanguage(page, 'en');
  });
});
