import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, flash, heading, switchLanguage } from './support/flows.js';
import { setupE2E } from './support/e2e.js';

// The member's side of a reward, on the demo data: Northwind's org admin has
// consented to cash rewards (the seed), the approver approves the demo
// nomination, and the member finds it on /rewards waiting for payout
// details, gives them on the claim page (a refused BIC first) and sees only
// "•••• 1234" afterwards. Finance then pays it through the bank batch, and
// the public hall of fame lists the member's pseudonym with the amount. Every
// page passes axe, reads in 简体中文 and works on a phone. The tests build on
// each other and run in order.

const e2e = setupE2E();
const { pageAs, pseudonymOf } = demoPeople(e2e);

const MEMBER = { email: 'member@northwind.example', name: 'Mei Member' };
const ORG_ADMIN = 'orgadmin@northwind.example';
const APPROVER = 'approver@candor.example';
const FINANCE_ADMIN = 'finance@candor.example';
const NOMINATED_TITLE = '批量修改基站参数时支持回滚';
const ACCOUNT = { holder: 'Mei Member', number: '6222 0212 3456 1234', bank: 'Industrial Bank of Northwind' };
/** Real identities and org names of the demo data: none may reach a public page. */
const SECRETS = ['Mei Member', 'member@northwind.example', 'Northwind', 'Omar Orgadmin', '622202123456'];




async function expectNoSecrets(page: Page, secrets = SECRETS): Promise<void> {
  const html = await page.content();
  for (const secret of secrets) expect(html, secret).not.toContain(secret);
}

describe('rewards, from the member’s side', () => {
  test('the org admin sees the cash consent on record, and cannot change it without consenting again', async () => {
    const page = await pageAs(ORG_ADMIN);
    await page.goto('/org');
    const section = page.locator('section#reward-mode');
    await heading(section, en.rewards.orgMode.title, 2).waitFor();
    expect(await section.innerText()).toContain(en.rewards.modes.member);
    expect(await section.getByRole('radio', { name: new RegExp(en.rewards.modes.member) }).isChecked()).toBe(true);
    await checkPage(page, 'org-reward-mode');

    // No consent, no change: said on the box.
    await section.getByRole('radio', { name: new RegExp(en.rewards.modes.recognition) }).check();
    await section.getByRole('button', { name: en.rewards.orgMode.submit, exact: true }).click();
    await section.getByText(en.rewards.orgMode.errors.consent_required).waitFor();
    await checkPage(page, 'org-reward-mode-refused');
    await page.goto('/org');
    expect(await page.locator('section#reward-mode').getByRole('radio', { name: new RegExp(en.rewards.modes.member) }).isChecked()).toBe(true);
  });

  test('the approver approves the demo nomination', async () => {
    const page = await pageAs(APPROVER);
    await page.goto('/finance/nominations');
    const card = page.locator('main article').filter({ has: page.getByRole('link', { name: NOMINATED_TITLE, exact: true }) });
    await card.waitFor();
    await card.getByRole('link', { name: NOMINATED_TITLE, exact: true }).click();
    await heading(page, NOMINATED_TITLE).waitFor();
    await page.getByRole('button', { name: en.finance.nomination.approve, exact: true }).click();
    await flash(page, en.finance.flash.approved).waitFor();
  });

  test('the member finds the approved reward waiting for payout details', async () => {
    const page = await pageAs(MEMBER.email);
    await page.goto('/');
    await page.locator('.site-header').getByRole('link', { name: en.rewards.nav.rewards, exact: true }).click();
    await heading(page, en.rewards.mine.title).waitFor();
    await page.getByText(en.rewards.mine.waiting_one).waitFor();
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: NOMINATED_TITLE, exact: true }) });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(en.rewards.statuses.approved);
    expect(text).toContain(en.rewards.explanations.approvedNeedsDetails);
    expect(text).toContain(en.rewards.triggers.request_adopted);
    // Gross, withheld and net, all in yuan with two decimals.
    expect(text.match(/CN¥[\d,]+\.\d{2}/g)?.length).toBe(3);
    await checkPage(page, 'rewards-waiting');
  });

  test('the member gives payout details and then sees only the last four digits', async () => {
    const page = await pageAs(MEMBER.email);
    await page.goto('/rewards');
    await page.getByRole('link', { name: en.rewards.mine.giveDetails, exact: true }).click();
    await heading(page, en.rewards.payout.title).waitFor();
    await page.getByText(en.rewards.payout.none).waitFor();
    await checkPage(page, 'rewards-payout-empty');

    const holder = page.getByLabel(en.rewards.payout.accountHolder, { exact: true });
    const number = page.getByLabel(en.rewards.payout.accountNumber, { exact: true });
    const bank = page.getByLabel(en.rewards.payout.bankName, { exact: true });
    const bic = page.getByLabel(en.rewards.payout.bic, { exact: true });
    await holder.fill(ACCOUNT.holder);
    await number.fill(ACCOUNT.number);
    await bank.fill(ACCOUNT.bank);
    await bic.fill('NOPE');
    await page.getByRole('button', { name: en.rewards.payout.submit, exact: true }).click();
    await page.getByText(en.rewards.payout.errors.bic_invalid).waitFor();
    await checkPage(page, 'rewards-payout-refused');

    await number.fill(ACCOUNT.number);
    await bic.fill('');
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST'),
      page.getByRole('button', { name: en.rewards.payout.submit, exact: true }).click(),
    ]);
    await flash(page, en.rewards.payout.saved).waitFor();
    await page.locator('main .payout-last4').getByText('•••• 1234', { exact: true }).waitFor();
    // The replacement form is empty, and the number is nowhere on the page.
    await heading(page, en.rewards.payout.replaceTitle, 2).waitFor();
    expect(await page.getByLabel(en.rewards.payout.accountNumber, { exact: true }).inputValue()).toBe('');
    expect(await page.getByLabel(en.rewards.payout.accountHolder, { exact: true }).inputValue()).toBe('');
    await expectNoSecrets(page, ['622202123456', '0212 3456', ACCOUNT.bank]);
    await checkPage(page, 'rewards-payout-saved');

    await page.getByRole('link', { name: en.rewards.payout.backToRewards, exact: true }).click();
    await heading(page, en.rewards.mine.title).waitFor();
    expect(await page.getByText(en.rewards.mine.waiting_one).count()).toBe(0);
  });

  test('on a phone and in Chinese, the rewards and the claim page read well', async () => {
    const page = await pageAs(MEMBER.email, 'phone');
    await page.goto('/rewards');
    await heading(page, en.rewards.mine.title).waitFor();
    // Nothing wider than the screen but the table, which scrolls inside its own box.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(1);
    await checkPage(page, 'rewards');

    await switchLanguage(page, 'zh-CN');
    await heading(page, zhCN.rewards.mine.title).waitFor();
    await expectChinese(page);
    await checkPage(page, 'rewards-zh');
    await page.goto('/rewards/payout');
    await heading(page, zhCN.rewards.payout.title).waitFor();
    await page.locator('main .payout-last4').getByText('•••• 1234', { exact: true }).waitFor();
    await expectChinese(page);
    await checkPage(page, 'rewards-payout-zh');
    await switchLanguage(page, 'en');
  });

  test(
    'finance pays it, and the public hall of fame lists the member’s pseudonym with the amount',
    async () => {
      expect(pseudonymOf(MEMBER.email)).not.toBe('');
      const finance = await pageAs(FINANCE_ADMIN);
      // The payout worker puts the reward in the open bank batch once the details are there
      // (the reconciler picks approved rewards up every minute).
      const batchLink = finance.locator('main section').filter({ has: heading(finance, en.payments.batches.openTitle, 2) }).locator('tbody tr a');
      await expect
        .poll(
          async () => {
            await finance.goto('/finance/batches');
            return batchLink.count();
          },
          { timeout: 150_000, interval: 2_000 },
        )
        .toBeGreaterThan(0);
      await batchLink.first().click();
      await finance.getByRole('button', { name: en.payments.batch.export, exact: true }).click();
      await flash(finance, en.payments.flash.exported).waitFor();
      await finance.getByRole('button', { name: en.payments.batch.markSent, exact: true }).click();
      await flash(finance, en.payments.flash.sent).waitFor();
      // Each row's button is named after its payment ("Mark payment … as paid").
      await finance.locator('main button[name="intent"][value="paid"]').first().click();
      await flash(finance, en.payments.flash.reconciled).waitFor();

      // The member sees it paid.
      const member = await pageAs(MEMBER.email);
      await member.goto('/rewards');
      const row = member.locator('main table tbody tr').filter({ has: member.getByRole('link', { name: NOMINATED_TITLE, exact: true }) });
      await row.getByText(en.rewards.statuses.paid, { exact: true }).waitFor();

      // Anyone, from the footer: the hall of fame, by pseudonym and month, nothing else.
      const visitor = await e2e.newPage();
      await visitor.goto('/');
      await visitor.locator('.site-footer').getByRole('link', { name: en.rewards.nav.hallOfFame, exact: true }).click();
      await heading(visitor, en.rewards.hallOfFame.title).waitFor();
      const entry = visitor.locator('main table tbody tr').filter({ has: visitor.getByRole('link', { name: NOMINATED_TITLE, exact: true }) });
      await entry.waitFor();
      const pseudonymLink = entry.getByRole('link', { name: pseudonymOf(MEMBER.email) });
      expect(await pseudonymLink.getAttribute('href')).toMatch(/^\/u\/[a-z0-9]+$/);
      expect(await entry.innerText()).toMatch(/CN¥[\d,]+\.\d{2}/);
      const month = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date());
      expect(await entry.innerText()).toContain(month);
      await expectNoSecrets(visitor);
      await checkPage(visitor, 'hall-of-fame');

      await visitor.getByRole('navigation', { name: en.rewards.nav.pagesLabel }).getByRole('link', { name: en.rewards.nav.leaderboard }).click();
      await heading(visitor, en.rewards.leaderboard.title).waitFor();
      await visitor.locator('main table tbody tr').filter({ has: visitor.getByRole('link', { name: pseudonymOf(MEMBER.email) }) }).waitFor();
      await expectNoSecrets(visitor);
      await checkPage(visitor, 'leaderboard');

      await visitor.goto('/hall-of-fame');
      await switchLanguage(visitor, 'zh-CN');
      await heading(visitor, zhCN.rewards.hallOfFame.title).waitFor();
      await expectChinese(visitor);
      await checkPage(visitor, 'hall-of-fame-zh');
    },
    240_000,
  );
});
