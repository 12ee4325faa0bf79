import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, fillTemplate, flash, heading, switchLanguage } from './support/flows.js';
import { setupE2E } from './support/e2e.js';

// Triage as the people who do it live it: a member posts; a triager finds the
// post in the triage inbox (keyboard shortcuts offered), opens it, is told
// that declining needs a public note, then sets the area, a tag and "under
// review" with a note; the post leaves the inbox; the member sees the status,
// the tag and the note on the post's status history; the pages read in
// 简体中文 and on a phone, and pass axe. The tests build on each other and run
// in order.

const e2e = setupE2E();
const { pageAs } = demoPeople(e2e);

const MEMBER = 'member@northwind.example';
const TRIAGER = { email: 'triager@candor.example', display: 'Tao (Product)' };
const PRODUCT_ADMIN = 'product@candor.example';
const TITLE = 'Alarm export drops the cell name column';
const BODY = 'Since the last upgrade the CSV export of active alarms has no cell name column, so we join it by hand.';
const NOTE = 'Reproduced with release 24.1; the export template lost the column.';
const AREA = 'Alarms and monitoring';
const NEW_AREA = 'Open API';
const TAG = 'Regression';



const inboxRow = (page: Page, title: string) => page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: title, exact: true }) });

let postPath = '';

describe('triage', () => {
  test('a member posts a complaint', async () => {
    const page = await pageAs(MEMBER);
    await page.goto('/posts/new');
    await heading(page, en.posts.compose.title).waitFor();
    await page.getByLabel(en.posts.compose.type).selectOption('complaint');
    await page.getByLabel(en.posts.compose.area).selectOption({ label: AREA });
    await page.getByLabel(en.posts.compose.postTitle, { exact: true }).fill(TITLE);
    await page.getByLabel(en.posts.compose.body, { exact: true }).fill(BODY);
    await Promise.all([
      page.waitForURL((url) => /^\/posts\/[a-z0-9]+$/.test(url.pathname) && url.pathname !== '/posts/new'),
      page.getByRole('button', { name: en.posts.compose.submit, exact: true }).click(),
    ]);
    postPath = new URL(page.url()).pathname;
    await heading(page, TITLE).waitFor();
    // Nobody has triaged it: no status history yet, and no triage panel for a member.
    await page.locator('section.status-timeline').getByText(en.triage.timeline.empty).waitFor();
    expect(await page.locator('section.triage-panel').count()).toBe(0);
  });

  test('a triager finds it in the inbox, oldest first, with its SLA and the keyboard shortcuts', async () => {
    const page = await pageAs(TRIAGER.email);
    await page.getByRole('link', { name: en.common.nav.triage, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/triage');
    await heading(page, en.triage.inbox.title).waitFor();
    const row = inboxRow(page, TITLE);
    await row.waitFor();
    await row.getByText(fillTemplate(en.triage.inbox.dueIn_other, { count: 48 })).waitFor();
    // The demo's KPI post has waited past the SLA and comes first.
    const titles = await page.locator('main table tbody td.post-row__title a').allInnerTexts();
    expect(titles.at(-1)).toBe(TITLE);
    await page.locator('main table tbody tr').first().getByText(en.triage.inbox.overdue).waitFor();

    // Keyboard: j moves to the first row, ? lists the shortcuts.
    await page.getByText(en.triage.keys.hint).waitFor();
    await page.locator('main h1').click();
    await page.keyboard.press('j');
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest('tr')?.rowIndex ?? -1)).toBe(1);
    await page.keyboard.press('?');
    await page.locator('details.keyboard-help[open]').getByText(en.triage.keys.open).waitFor();
    await checkPage(page, 'triage-inbox');

    const phone = await pageAs(TRIAGER.email, 'phone');
    await phone.goto('/triage');
    await inboxRow(phone, TITLE).waitFor();
    // Shortcuts need a keyboard: not offered on a phone.
    expect(await phone.getByText(en.triage.keys.hint).isVisible()).toBe(false);
    await checkPage(phone, 'triage-inbox');

    await row.getByRole('link', { name: TITLE, exact: true }).click();
    await page.waitForURL((url) => url.pathname === postPath);
    await heading(page, TITLE).waitFor();
  });

  test('declining without a public note is refused with a message', async () => {
    const page = await pageAs(TRIAGER.email);
    await page.goto(postPath);
    const panel = page.locator('section.triage-panel');
    await heading(panel, en.triage.panel.title, 2).waitFor();
    await panel.getByText(en.triage.panel.inInbox).waitFor();
    await panel.getByLabel(en.triage.panel.status, { exact: true }).selectOption('declined');
    await panel.getByRole('button', { name: en.triage.panel.save }).click();
    await panel.getByText(en.triage.errors.note_required).waitFor();
    await checkPage(page, 'triage-panel-note-required');
    // Nothing changed.
    await page.reload();
    await page.locator('section.status-timeline').getByText(en.triage.timeline.empty).waitFor();
  });

  test('the triager sets the area, a tag and "under review" with a public note', async () => {
    const page = await pageAs(TRIAGER.email);
    await page.goto(postPath);
    const panel = page.locator('section.triage-panel');
    await panel.getByLabel(en.triage.panel.area, { exact: true }).selectOption({ label: NEW_AREA });
    await panel.getByLabel(TAG, { exact: true }).check();
    await panel.getByLabel(en.triage.panel.status, { exact: true }).selectOption('under_review');
    await panel.getByLabel(en.triage.panel.note, { exact: true }).fill(NOTE);
    await panel.getByRole('button', { name: en.triage.panel.save }).click();
    await flash(page, en.triage.flash.saved).waitFor();

    const badges = page.locator('article.post .post__badges');
    await badges.getByText(en.posts.statuses.under_review, { exact: true }).waitFor();
    await badges.getByText(NEW_AREA, { exact: true }).waitFor();
    await page.locator('article.post .tag-badges').getByRole('link', { name: TAG, exact: true }).waitFor();
    const timeline = page.locator('section.status-timeline li.timeline__item');
    expect(await timeline.count()).toBe(1);
    await timeline.getByText(NOTE).waitFor();
    await timeline.getByText(fillTemplate(en.triage.timeline.by, { name: TRIAGER.display })).waitFor();
    // The panel now offers the moves from "under review" and no longer says the post waits.
    expect(await page.locator('section.triage-panel').getByText(en.triage.panel.inInbox).count()).toBe(0);
    await checkPage(page, 'triage-post-triaged');

    // Triaged: it has left the inbox.
    await page.goto('/triage');
    await heading(page, en.triage.inbox.title).waitFor();
    await page.locator('main table, main .empty-state').first().waitFor();
    expect(await inboxRow(page, TITLE).count()).toBe(0);
  });

  test('the member sees the status, the tag and the note in the status history', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await pageAs(MEMBER, viewport);
      await page.goto(postPath);
      await heading(page, TITLE).waitFor();
      await page.locator('article.post .post__badges').getByText(en.posts.statuses.under_review, { exact: true }).waitFor();
      const history = page.locator('section.status-timeline');
      await heading(history, en.triage.timeline.title, 2).waitFor();
      await history.getByText(NOTE).waitFor();
      await history.getByText(fillTemplate(en.triage.timeline.by, { name: TRIAGER.display })).waitFor();
      expect(await page.locator('section.triage-panel').count()).toBe(0);
      await checkPage(page, 'triage-post-member');
    }

    // The tag leads to the feed filtered by it.
    const page = await pageAs(MEMBER);
    await page.goto(postPath);
    await page.locator('article.post .tag-badges').getByRole('link', { name: TAG, exact: true }).click();
    await page.waitForURL((url) => url.pathname === '/posts' && url.searchParams.get('tag') === 'regression');
    await page.locator('main table tbody td.post-row__title').getByRole('link', { name: TITLE, exact: true }).waitFor();
  });

  test('product admins keep the tag list', async () => {
    const page = await pageAs(PRODUCT_ADMIN);
    await page.goto('/triage');
    await page.getByRole('link', { name: en.triage.inbox.manageTags }).click();
    await page.waitForURL((url) => url.pathname === '/triage/tags');
    await heading(page, en.triage.tags.title).waitFor();
    const create = page.locator('main form').first();
    await create.getByLabel(en.triage.tags.slug, { exact: true }).fill('field-report');
    await create.getByLabel(en.triage.tags.nameEn, { exact: true }).fill('Field report');
    await create.getByLabel(en.triage.tags.nameZh, { exact: true }).fill('现场反馈');
    await create.getByLabel(en.triage.tags.colors.teal, { exact: true }).check();
    await create.getByRole('button', { name: en.triage.tags.create }).click();
    await flash(page, en.triage.flash.tagCreated).waitFor();
    await page.locator('main table').getByText('field-report', { exact: true }).waitFor();
    await checkPage(page, 'triage-tags');
  });

  test('the inbox, the panel and the history read in 简体中文', async () => {
    const page = await pageAs(TRIAGER.email);
    await page.goto('/triage');
    await heading(page, en.triage.inbox.title).waitFor();
    await switchLanguage(page, 'zh-CN');
    try {
      await heading(page, zhCN.triage.inbox.title).waitFor();
      await page.getByRole('heading', { level: 2, name: zhCN.triage.bulk.title }).waitFor();
      await expectChinese(page);
      await checkPage(page, 'triage-inbox-zh');

      await page.goto(postPath);
      await heading(page.locator('section.triage-panel'), zhCN.triage.panel.title, 2).waitFor();
      await heading(page.locator('section.status-timeline'), zhCN.triage.timeline.title, 2).waitFor();
      await page.locator('section.status-timeline').getByText(zhCN.posts.statuses.under_review, { exact: true }).first().waitFor();
      await page.locator('article.post .tag-badges').getByText('回归问题', { exact: true }).waitFor();
      await expectChinese(page);
      await checkPage(page, 'triage-post-zh');
    } finally {
      // The language is remembered for the account: switch back for the other tests.
      await switchLanguage(page, 'en');
    }
  });
});
