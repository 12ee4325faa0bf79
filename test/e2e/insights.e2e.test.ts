import type { Cookie, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, expectChinese, heading, samePersonOn, switchLanguage } from './support/flows.js';
import { login, setupE2E, type ViewportName } from './support/e2e.js';

// A product admin reads the insights: the dashboard's charts (each an
// accessible SVG with its table), the priority view sorted by votes, and its
// CSV export, which must name authors by pseudonym only; then the same in
// Chinese and on a phone.

const e2e = setupE2E();

const PRODUCT_ADMIN = 'product@candor.example';
/** Real identities and org names of the demo data: none may reach the export. */
const SECRETS = ['Mei Member', 'Omar Orgadmin', 'Demo Engineer', 'Priya Product', '@northwind.example', '@contoso.example', 'Northwind', 'Contoso', 'Fabrikam'];

let cookies: Cookie[] | undefined;

/** The product admin's page; logs in once per file (login is rate limited). */
async function productAdminPage(viewport: ViewportName = 'desktop'): Promise<Page> {
  if (cookies) return samePersonOn(e2e, viewport, cookies);
  const page = await e2e.newPage(viewport);
  await login(page, PRODUCT_ADMIN);
  cookies = await page.context().cookies();
  return page;
}


/** The numbers in one column of the priority table, top to bottom. */
async function columnNumbers(page: Page, header: string): Promise<number[]> {
  const headers = await page.locator('main .priority-table thead th').allInnerTexts();
  const index = headers.findIndex((text) => text.replace(/[▲▼]/g, '').trim() === header);
  expect(index, `column "${header}" in ${headers.join(' | ')}`).toBeGreaterThanOrEqual(0);
  const cells = await page.locator(`main .priority-table tbody tr td:nth-child(${index + 1})`).allInnerTexts();
  return cells.map((text) => Number(text.replace(/[^\d.-]/g, '')));
}

/** Rows of an RFC 4180 file (quoted fields may hold commas, quotes and line breaks). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < text.length; index += 1) {
    const char = text[index]!;
    if (quoted && char === '"' && text[index + 1] === '"') {
      field += '"';
      index += 1;
    } else if (char === '"') {
      quoted = !quoted;
    } else if (!quoted && char === ',') {
      row.push(field);
      field = '';
    } else if (!quoted && char === '\r' && text[index + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      index += 1;
    } else {
      field += char;
    }
  }
  if (field || row.length) rows.push([...row, field]);
  return rows;
}

const descending = (values: number[]) => values.every((value, index) => index === 0 || values[index - 1]! >= value);
const ascending = (values: number[]) => values.every((value, index) => index === 0 || values[index - 1]! <= value);

describe('insights', () => {
  test('the dashboard shows its charts as accessible images, each with a table', async () => {
    const page = await productAdminPage();
    await page.getByRole('link', { name: en.common.nav.insights }).click();
    await page.waitForURL((url) => url.pathname === '/insights');
    await heading(page, en.insights.dashboard.title).waitFor();
    await page.getByRole('navigation', { name: en.insights.subnav.label }).waitFor();

    // The demo has posts: the status chart is drawn, named by its <title>.
    const statusChart = page.getByRole('img', { name: en.insights.dashboard.status.title });
    await statusChart.waitFor();
    expect(await statusChart.locator('desc').textContent()).toContain(en.posts.statuses.open);
    // Every chart is a figure with a heading; each drawn one has an image and a table, an empty one says so.
    const figures = page.locator('main figure.chart');
    expect(await figures.count()).toBe(5);
    for (const title of [
      en.insights.dashboard.status.title,
      en.insights.dashboard.triage.title,
      en.insights.dashboard.sla.title,
      en.insights.dashboard.inflow.title,
      en.insights.dashboard.demand.title,
    ]) {
      const figure = figures.filter({ has: heading(page, title, 2) });
      const drawn = await figure.locator('svg[role="img"]').count();
      if (drawn) expect(await figure.locator('details.chart__table').count()).toBe(1);
      else await figure.locator('.empty-state').waitFor();
    }

    // "Show as table" opens the same figures as a table.
    const statusFigure = figures.filter({ has: heading(page, en.insights.dashboard.status.title, 2) });
    await statusFigure.getByText(en.insights.charts.showTable).click();
    const table = statusFigure.locator('details table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(12);
    expect(await table.locator('thead th').allInnerTexts()).toContain(en.posts.statuses.open);

    // The demand chart never names a customer: tiers or "Other customers" only.
    const demand = figures.filter({ has: heading(page, en.insights.dashboard.demand.title, 2) });
    const demandText = await demand.innerText();
    for (const secret of SECRETS) expect(demandText).not.toContain(secret);

    // The inflow period switches without losing the page.
    await page.getByRole('link', { name: en.insights.dashboard.inflow.days.replace('{{days}}', '90') }).click();
    await page.waitForURL((url) => url.searchParams.get('days') === '90');
    await page.locator('nav.segmented a[aria-current="true"]', { hasText: '90' }).waitFor();
    await checkPage(page, 'insights-dashboard');
  });

  test('the priority view sorts by votes both ways, with aria-sort on the header', async () => {
    const page = await productAdminPage();
    await page.goto('/insights/priority');
    await heading(page, en.insights.priority.title).waitFor();
    await page.locator('main .priority-table tbody tr').first().waitFor();
    expect(await page.locator('main th[aria-sort]').count()).toBe(1);
    const scoreHeader = page.locator('main th', { has: page.getByRole('link', { name: en.insights.priority.columns.score }) });
    expect(await scoreHeader.getAttribute('aria-sort')).toBe('descending');
    expect(descending(await columnNumbers(page, en.insights.priority.columns.score))).toBe(true);
    await checkPage(page, 'insights-priority');

    const votesLink = page.locator('main th a', { hasText: en.insights.priority.columns.votes });
    await Promise.all([page.waitForURL((url) => url.searchParams.get('sort') === 'votes'), votesLink.click()]);
    const votesHeader = page.locator('main th', { has: page.locator('a', { hasText: en.insights.priority.columns.votes }) });
    await expect.poll(() => votesHeader.getAttribute('aria-sort')).toBe('descending');
    expect(descending(await columnNumbers(page, en.insights.priority.columns.votes))).toBe(true);

    await Promise.all([page.waitForURL((url) => url.searchParams.get('dir') === 'asc'), votesLink.click()]);
    await expect.poll(() => votesHeader.getAttribute('aria-sort')).toBe('ascending');
    expect(ascending(await columnNumbers(page, en.insights.priority.columns.votes))).toBe(true);
    // The rank stays the place by score, whatever the order shown.
    const ranks = await columnNumbers(page, en.insights.priority.columns.rank);
    expect(ranks.length).toBeGreaterThan(0);
    expect(Math.min(...ranks)).toBe(1);
  });

  test('the CSV export is the same list, dated, with pseudonyms only', async () => {
    const page = await productAdminPage();
    await page.goto('/insights/priority?sort=votes');
    await page.locator('main .priority-table tbody tr').first().waitFor();
    const shownTitles = await page.locator('main .priority-table__title a').allInnerTexts();

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: en.insights.priority.download }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^candor-priority-\d{4}-\d{2}-\d{2}\.csv$/);

    // The same file fetched with the session, to read it.
    const response = await page.context().request.get(`${e2e.url}/insights/priority.csv?sort=votes`);
    expect(response.status()).toBe(200);
    expect(response.headers()['content-type']).toBe('text/csv; charset=utf-8');
    const bytes = await response.body();
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    const [header, ...rows] = parseCsv(text);
    expect(header).toEqual(Object.values(en.insights.csv));
    expect(rows.map((row) => row[2])).toEqual(shownTitles);
    for (const secret of SECRETS) expect(text, secret).not.toContain(secret);

    // The author column holds what the post's own page shows: the pseudonym.
    const firstLink = rows[0]!.at(-1)!;
    const author = rows[0]![6]!;
    await page.goto(new URL(firstLink).pathname);
    expect(await page.locator('.post__byline a').innerText()).toContain(author);
    expect(text).toContain('批量修改基站参数时支持回滚');
  });

  test('in Chinese, the dashboard and the priority view have no English left', async () => {
    const page = await productAdminPage();
    await page.goto('/insights');
    await switchLanguage(page, 'zh-CN');
    await heading(page, zhCN.insights.dashboard.title).waitFor();
    await page.getByRole('img', { name: zhCN.insights.dashboard.status.title }).waitFor();
    await expectChinese(page);
    await checkPage(page, 'insights-dashboard-zh');

    await page.getByRole('navigation', { name: zhCN.insights.subnav.label }).getByRole('link', { name: zhCN.insights.subnav.priority }).click();
    await heading(page, zhCN.insights.priority.title).waitFor();
    await expectChinese(page);
    await checkPage(page, 'insights-priority-zh');

    const response = await page.context().request.get(`${e2e.url}/insights/priority.csv`);
    const text = (await response.body()).toString('utf8');
    expect(text).toContain(zhCN.insights.csv.author);
    await switchLanguage(page, 'en');
  });

  test('on a phone, the charts and the table stay readable and accessible', async () => {
    const page = await productAdminPage('phone');
    await page.goto('/insights');
    await heading(page, en.insights.dashboard.title).waitFor();
    await page.getByRole('img', { name: en.insights.dashboard.status.title }).waitFor();
    // A chart scrolls inside its own frame instead of widening the page.
    const pageWidth = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(pageWidth).toBeLessThanOrEqual(390);
    await checkPage(page, 'insights-dashboard');

    await page.goto('/insights/priority');
    await heading(page, en.insights.priority.title).waitFor();
    await page.locator('main .priority-table tbody tr').first().waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await checkPage(page, 'insights-priority');
  });
});
