import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, fillTemplate, flash, heading, switchLanguage } from './support/flows.js';
import { setupE2E } from './support/e2e.js';

// Finance at work on the demo data: the finance admin reads the pools (the
// burn-down chart as an accessible image with its table) and the nominations
// queue, opens the demo nomination (the rollback request the product team
// adopted), is refused an amount outside the tier's range, then adjusts it
// with a reason; the approver sees that adjustment, by whom and why, and
// approves it. The pages pass axe, read in 简体中文 and work on a phone.
// The tests build on each other and run in order.

const e2e = setupE2E();
const { pageAs } = demoPeople(e2e);

const FINANCE_ADMIN = { email: 'finance@candor.example', display: 'Felix (Finance lead)' };
const APPROVER = 'approver@candor.example';
const POOL = `Operator complaint reward FY${new Date().getUTCFullYear()}`;
const NOMINATED_TITLE = '批量修改基站参数时支持回滚';
const REASON = 'Saves the night shift a rollback by hand after each failed bulk change.';
/** Real identities and org names of the demo data: none may reach a finance page. */
const SECRETS = ['Mei Member', 'member@northwind.example', 'Northwind', 'Felix Finance', 'Fang Approver'];




async function expectNoSecrets(page: Page): Promise<void> {
  const html = await page.content();
  for (const secret of SECRETS) expect(html, secret).not.toContain(secret);
}

let nominationPath = '';

describe('finance', () => {
  test('the finance admin reads the pools and their burn-down', async () => {
    const page = await pageAs(FINANCE_ADMIN.email);
    await page.getByRole('link', { name: en.finance.title, exact: true }).click();
    // The finance section opens on the nominations queue.
    await page.waitForURL((url) => url.pathname === '/finance/nominations');
    await page.getByRole('navigation', { name: en.finance.subnav.label }).getByRole('link', { name: en.finance.subnav.pools }).click();
    await heading(page, en.finance.pools.title).waitFor();
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: POOL, exact: true }) });
    await row.waitFor();
    // Budget and available as the demo tops it up: ¥2,000,000.00 each.
    expect((await row.innerText()).match(/2,000,000\.00/g)?.length).toBeGreaterThanOrEqual(2);
    await checkPage(page, 'finance-pools');

    await row.getByRole('link', { name: POOL, exact: true }).click();
    await heading(page, POOL).waitFor();
    const chart = page.getByRole('img', { name: en.finance.pools.burnDown.title });
    await chart.waitFor();
    expect(await chart.locator('desc').textContent()).toContain('2,000,000.00');
    const figure = page.locator('main figure.chart');
    await figure.getByText(en.insights.charts.showTable).click();
    const table = figure.locator('details table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(52);
    expect(await table.locator('thead th').allInnerTexts()).toEqual([
      en.finance.pools.burnDown.week,
      en.finance.pools.burnDown.remaining,
      en.finance.pools.burnDown.target,
    ]);
    // The demo's top-up, with its reason and who made it.
    await page.locator('main table').filter({ hasText: en.finance.pools.topUpColumns.reason }).getByText(FINANCE_ADMIN.display).waitFor();
    await checkPage(page, 'finance-pool');
  });

  test('the finance admin adjusts the demo nomination within the tier range', async () => {
    const page = await pageAs(FINANCE_ADMIN.email);
    await page.goto('/finance/nominations');
    await heading(page, en.finance.nominations.title).waitFor();
    const card = page.locator('main article').filter({ has: page.getByRole('link', { name: NOMINATED_TITLE, exact: true }) });
    await card.waitFor();
    expect(await card.innerText()).toContain(en.finance.triggers.request_adopted);
    await expectNoSecrets(page);
    await checkPage(page, 'finance-nominations');

    await Promise.all([
      page.waitForURL((url) => /^\/finance\/nominations\/[a-z0-9]+$/.test(url.pathname)),
      card.getByRole('link', { name: NOMINATED_TITLE, exact: true }).click(),
    ]);
    nominationPath = new URL(page.url()).pathname;
    await heading(page, NOMINATED_TITLE).waitFor();
    // Why the amount is what it is: the tier default and the impact multiplier.
    await heading(page, en.finance.nomination.whyTitle, 3).waitFor();
    await page.getByText(en.finance.nomination.why.tier, { exact: true }).waitFor();
    await expectNoSecrets(page);

    await page.getByText(en.finance.nomination.adjustTitle, { exact: true }).click();
    const amount = page.getByLabel(fillTemplate(en.finance.nomination.fields.amount, { currency: 'CNY' }));
    const reason = page.getByLabel(en.finance.nomination.fields.adjustReason);
    await amount.fill('50,000.00');
    await reason.fill(REASON);
    await page.getByRole('button', { name: en.finance.nomination.adjust, exact: true }).click();
    // Out of the tier's range: said on the field, with the range.
    const error = page.locator('form#adjust-nomination .field__error');
    await error.waitFor();
    expect(await error.innerText()).toBe(fillTemplate(en.finance.nominations.errors.amount_out_of_range, { min: 'CN¥10,000.00', max: 'CN¥30,000.00' }));
    await checkPage(page, 'finance-nomination-adjust-refused');

    await amount.fill('15,000.00');
    await page.getByRole('button', { name: en.finance.nomination.adjust, exact: true }).click();
    await flash(page, en.finance.flash.adjusted).waitFor();
    await page.locator('main .stat').getByText('CN¥15,000.00').waitFor();
    // Having adjusted it, the admin may not approve it: told why, no buttons.
    await page.getByText(en.finance.nomination.blocked.adjuster).waitFor();
    expect(await page.getByRole('button', { name: en.finance.nomination.approve, exact: true }).count()).toBe(0);
    await checkPage(page, 'finance-nomination-adjusted');
  });

  test('the approver sees the adjustment and approves', async () => {
    expect(nominationPath).not.toBe('');
    const page = await pageAs(APPROVER);
    await page.goto(nominationPath);
    await heading(page, NOMINATED_TITLE).waitFor();
    const adjustments = page.locator('main section').filter({ has: heading(page, en.finance.nomination.adjustmentsTitle, 2) });
    await adjustments.getByText(REASON).waitFor();
    await adjustments.getByText(FINANCE_ADMIN.display).waitFor();
    await checkPage(page, 'finance-nomination-approver');

    await page.getByRole('button', { name: en.finance.nomination.approve, exact: true }).click();
    await flash(page, en.finance.flash.approved).waitFor();
    await page.locator('main .page-header .badge').getByText(en.finance.nominations.statuses.approved, { exact: true }).waitFor();
    const approvals = page.locator('main section').filter({ has: heading(page, en.finance.nomination.approvalsTitle, 2) });
    expect(await approvals.innerText()).toContain(en.finance.nomination.you);
    await expectNoSecrets(page);
    await checkPage(page, 'finance-nomination-approved');

    // The reservation shows on the pool: ¥15,000.00 reserved.
    await page.goto('/finance/pools');
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: POOL, exact: true }) });
    expect(await row.innerText()).toContain('15,000.00');
    // The approver reads pools but is not offered the forms that change them.
    expect(await heading(page, en.finance.pools.createTitle, 2).count()).toBe(0);
  });

  test('in Chinese, the finance pages have no English left', async () => {
    const page = await pageAs(APPROVER);
    await page.goto(nominationPath);
    await switchLanguage(page, 'zh-CN');
    await heading(page, zhCN.finance.nomination.amountTitle, 2).waitFor();
    await expectChinese(page);
    await checkPage(page, 'finance-nomination-zh');

    await page.getByRole('navigation', { name: zhCN.finance.subnav.label }).getByRole('link', { name: zhCN.finance.subnav.pools }).click();
    await heading(page, zhCN.finance.pools.title).waitFor();
    await expectChinese(page);
    await checkPage(page, 'finance-pools-zh');

    await page.getByRole('navigation', { name: zhCN.finance.subnav.label }).getByRole('link', { name: zhCN.finance.subnav.policy }).click();
    await heading(page, zhCN.finance.policy.title).waitFor();
    await expectChinese(page);
    await checkPage(page, 'finance-policy-zh');
    await switchLanguage(page, 'en');
  });

  test('on a phone, the pool, its chart and the queue stay readable and accessible', async () => {
    const page = await pageAs(FINANCE_ADMIN.email, 'phone');
    await page.goto('/finance/pools');
    await heading(page, en.finance.pools.title).waitFor();
    await page.getByRole('link', { name: POOL, exact: true }).click();
    await page.getByRole('img', { name: en.finance.pools.burnDown.title }).waitFor();
    // Nothing wider than the screen but the chart and tables, which scroll inside their own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await checkPage(page, 'finance-pool');

    await page.goto('/finance/nominations?view=approved');
    await page.locator('main article').filter({ hasText: NOMINATED_TITLE }).waitFor();
    await checkPage(page, 'finance-nominations-approved');
  });
});
