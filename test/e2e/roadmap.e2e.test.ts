import type { Cookie, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, expectChinese, fillTemplate, flash, heading, samePersonOn, switchLanguage } from './support/flows.js';
import { login, type ViewportName, setupE2E } from './support/e2e.js';

// The roadmap as the people who use it live it: a triager creates a roadmap
// item, links a demo post to it through the search and ships it after the
// confirm step; then anyone sees it under Shipped on the public board and
// under this month in the changelog (and its Atom feed), the post says
// shipped and links back, and the pages read in 简体中文 and on a phone.
// The tests build on each other and run in order.

const e2e = setupE2E();

const TRIAGER = 'triager@candor.example';
const DEMO_KPI_TITLE = 'Export KPI reports through the API';
const ITEM_TITLE = 'Scheduled KPI exports';
const ITEM_DESCRIPTION = 'A **daily export** of the KPI reports, through the Open API.';
const SHIP_NOTE = 'Available from release 24.2.';

let triagerCookies: Cookie[] | undefined;

/** A page signed in as the demo triager; logs in once per file (login is rate limited). */
async function triagerPage(viewport: ViewportName = 'desktop'): Promise<Page> {
  if (triagerCookies) return samePersonOn(e2e, viewport, triagerCookies);
  const page = await e2e.newPage(viewport);
  await login(page, TRIAGER);
  triagerCookies = await page.context().cookies();
  return page;
}


/** The managed item's panel on /roadmap/manage. */
const managedItem = (page: Page) =>
  page.locator('article.roadmap-manage-item').filter({ has: page.getByRole('heading', { level: 3, name: ITEM_TITLE, exact: true }) });

/** "November 2026" / "2026年11月": the month the item ships in, as the changelog names it. */
const thisMonth = (locale: string) => new Intl.DateTimeFormat(locale, { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date());

describe('roadmap', () => {
  let postPath = '';

  test('a triager creates an item, links a post through the search and ships it after confirming', async () => {
    const page = await triagerPage();
    await page.goto('/roadmap');
    await heading(page, en.roadmap.board.title).waitFor();
    await page.getByRole('link', { name: en.roadmap.board.manage }).click();
    await heading(page, en.roadmap.manage.title).waitFor();
    await checkPage(page, 'roadmap-manage');

    // An empty title is refused on the field.
    const create = page.locator('form#create-roadmap-item');
    await create.getByRole('button', { name: en.roadmap.manage.create }).click();
    await create.getByText(en.common.errors.required).waitFor();
    await create.getByLabel(en.roadmap.manage.itemTitle, { exact: true }).fill(ITEM_TITLE);
    await create.getByLabel(en.roadmap.manage.description, { exact: true }).fill(ITEM_DESCRIPTION);
    await create.getByLabel(en.roadmap.manage.column).selectOption('planned');
    await create.getByRole('button', { name: en.roadmap.manage.create }).click();
    await flash(page, en.roadmap.flash.created).waitFor();
    const item = managedItem(page);
    await item.waitFor();
    expect(await item.locator('.prose strong').innerText()).toBe('daily export');
    expect(await item.innerText()).toContain(en.roadmap.item.noPosts);

    // The demo post sits on the demo "KPI reports" item: a post belongs to one item, so unlink it there first.
    await page.getByRole('button', { name: fillTemplate(en.roadmap.manage.unlinkLabel, { title: DEMO_KPI_TITLE }) }).click();
    await flash(page, en.roadmap.flash.unlinked).waitFor();

    // Find the demo post and link it.
    await item.locator('summary', { hasText: en.roadmap.manage.link.title }).click();
    await item.getByLabel(en.roadmap.manage.link.search, { exact: true }).fill('KPI');
    await item.getByRole('button', { name: en.roadmap.manage.link.submit, exact: true }).click();
    const linkButton = item.getByRole('button', { name: fillTemplate(en.roadmap.manage.link.linkLabel, { title: DEMO_KPI_TITLE }) });
    await linkButton.waitFor();
    await checkPage(page, 'roadmap-manage-search');
    await linkButton.click();
    await flash(page, en.roadmap.flash.linked).waitFor();
    const linked = managedItem(page).locator('ul.roadmap-posts');
    await linked.getByRole('link', { name: DEMO_KPI_TITLE, exact: true }).waitFor();
    postPath = (await linked.getByRole('link', { name: DEMO_KPI_TITLE, exact: true }).getAttribute('href')) ?? '';
    expect(postPath).toMatch(/^\/posts\/[a-z0-9]+$/);
    // The search now says it is linked here.
    await managedItem(page).getByText(en.roadmap.manage.link.refusals.on_this_item).waitFor();

    // Ship: the confirm step says how many posts will ship.
    await managedItem(page).getByRole('link', { name: fillTemplate(en.roadmap.manage.shipLabel, { title: ITEM_TITLE }) }).click();
    const confirm = page.locator('#ship-confirm');
    await heading(confirm, fillTemplate(en.roadmap.manage.shipConfirm.title, { title: ITEM_TITLE }), 4).waitFor();
    await confirm.getByText(fillTemplate(en.roadmap.manage.shipConfirm.toShip_one, { count: 1 })).waitFor();
    await confirm.getByText(en.roadmap.manage.shipConfirm.final).waitFor();
    await checkPage(page, 'roadmap-ship-confirm');
    await confirm.getByLabel(en.roadmap.manage.shipConfirm.note, { exact: true }).fill(SHIP_NOTE);
    await confirm.getByRole('button', { name: fillTemplate(en.roadmap.manage.shipConfirm.submit_one, { count: 1 }) }).click();
    await flash(page, en.roadmap.flash.shipped).waitFor();
    const shippedColumn = page.locator('section.roadmap-manage-column').filter({
      has: page.getByRole('heading', { level: 2, name: new RegExp(`^${en.roadmap.columns.shipped}`) }),
    });
    await heading(shippedColumn, ITEM_TITLE, 3).waitFor();
    await checkPage(page, 'roadmap-manage-shipped');

    const phone = await triagerPage('phone');
    await phone.goto('/roadmap/manage');
    await heading(phone, en.roadmap.manage.title).waitFor();
    await checkPage(phone, 'roadmap-manage');
  });

  test('anyone sees the item under Shipped on the board, with its post and votes', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await e2e.newPage(viewport);
      await page.goto('/roadmap');
      await heading(page, en.roadmap.board.title).waitFor();
      const shipped = page.locator('section.roadmap-column--shipped');
      const card = shipped.locator('article.roadmap-card').filter({ has: heading(page, ITEM_TITLE, 3) });
      await card.waitFor();
      await card.getByRole('link', { name: DEMO_KPI_TITLE, exact: true }).waitFor();
      expect(await card.innerText()).toMatch(/\d+ votes? in total/);
      // The demo roadmap fills the other columns.
      expect(await page.locator('section.roadmap-column--planned article.roadmap-card').count()).toBeGreaterThan(0);
      expect(await page.locator('section.roadmap-column--in_progress article.roadmap-card').count()).toBeGreaterThan(0);
      await shipped.getByRole('link', { name: en.roadmap.board.allShipped }).waitFor();
      await checkPage(page, 'roadmap-board');
      if (viewport === 'phone') {
        // Columns stack: each as wide as the page, none side by side.
        const boxes = await page.locator('section.roadmap-column').evaluateAll((columns) =>
          columns.map((column) => column.getBoundingClientRect()),
        );
        expect(new Set(boxes.map((box) => Math.round(box.left))).size).toBe(1);
        expect(boxes.every((box) => box.right <= 390)).toBe(true);
      }
    }
  });

  test('the changelog lists it under this month and advertises its Atom feed', async () => {
    const page = await e2e.newPage();
    await page.goto('/roadmap');
    await page.getByRole('link', { name: en.roadmap.board.allShipped }).click();
    await heading(page, en.roadmap.changelog.title).waitFor();
    const month = page.locator('section.changelog-month').filter({ has: heading(page, thisMonth('en'), 2) });
    await heading(month, ITEM_TITLE, 3).waitFor();
    await month.getByRole('link', { name: DEMO_KPI_TITLE, exact: true }).waitFor();
    expect(await page.locator('head link[rel="alternate"][type="application/atom+xml"]').getAttribute('href')).toBe('/changelog.atom');
    await checkPage(page, 'changelog');

    const feed = await page.request.get('/changelog.atom');
    expect(feed.status()).toBe(200);
    expect(feed.headers()['content-type']).toBe('application/atom+xml; charset=utf-8');
    const xml = await feed.text();
    expect(xml).toContain(`<title type="text">${ITEM_TITLE}</title>`);
    // Absolute links, from the portal's PUBLIC_URL.
    expect(xml).toContain(`${e2e.url.replace(/\/+$/, '')}${postPath}`);
  });

  test('the post shows shipped, its public note, and links to its roadmap item', async () => {
    const page = await e2e.newPage();
    await page.goto(postPath);
    await heading(page, DEMO_KPI_TITLE).waitFor();
    await page.locator('.post__badges').getByText(en.posts.statuses.shipped, { exact: true }).waitFor();
    const onRoadmap = page.locator('.post__roadmap');
    await onRoadmap.getByText(en.roadmap.onRoadmap.label).waitFor();
    await onRoadmap.getByRole('link', { name: ITEM_TITLE, exact: true }).click();
    await heading(page, en.roadmap.changelog.title).waitFor();
    await page.locator('article.roadmap-card').first().filter({ has: heading(page, ITEM_TITLE, 3) }).waitFor();
    await checkPage(page, 'changelog-from-post');
  });

  test('the board, the changelog and the manage page read in Chinese', async () => {
    for (const viewport of ['desktop', 'phone'] as const) {
      const page = await e2e.newPage(viewport);
      await page.goto('/roadmap');
      await switchLanguage(page, 'zh-CN');
      await heading(page, zhCN.roadmap.board.title).waitFor();
      await heading(page.locator('section.roadmap-column--shipped'), zhCN.roadmap.columns.shipped, 2).waitFor();
      await expectChinese(page);
      await checkPage(page, 'roadmap-board-zh');

      await page.goto('/changelog');
      await heading(page, zhCN.roadmap.changelog.title).waitFor();
      await heading(page, thisMonth('zh-CN'), 2).waitFor();
      expect(thisMonth('zh-CN')).toMatch(/^\d{4}年\d{1,2}月$/);
      await expectChinese(page);
      await checkPage(page, 'changelog-zh');
    }

    const staff = await triagerPage();
    await staff.goto('/roadmap/manage');
    await switchLanguage(staff, 'zh-CN');
    await heading(staff, zhCN.roadmap.manage.title).waitFor();
    await expectChinese(staff);
    await checkPage(staff, 'roadmap-manage-zh');
    // The language is remembered for the account: set it back.
    await switchLanguage(staff, 'en');
  });
});
