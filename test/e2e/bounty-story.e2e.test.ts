import { readFile } from 'node:fs/promises';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, demoPeople, expectChinese, fillTemplate, flash, heading, switchLanguage } from './support/flows.js';
import { expectAccessible, setupE2E } from './support/e2e.js';

// Issue 5's whole story, as the people in it live it in a browser, on a post
// made here (not the demo nomination): a member posts a request; members of
// three customer orgs say "me too"; a triager plans it on the post page; the
// adoption worker (same process: outbox relay, then BullMQ) nominates it and
// the nomination appears in the finance queue with its amount and why; the
// finance admin adjusts the amount with a reason; the finance approver, a
// different person, approves it (under the two-approver threshold, so one
// approval is enough); the member gives payout details and sees only the last
// four digits; the payout worker puts the payment in the open bank batch;
// finance exports the batch (and downloads its CSV), marks it sent and
// reconciles the payment as paid; the member sees "paid"; the public hall of
// fame lists the member's pseudonym with the post. Every page visited passes
// axe, two read in 简体中文. The tests build on each other and run in order.

const e2e = setupE2E();
const { pageAs, pseudonymOf } = demoPeople(e2e);

const MEMBER = { email: 'member@northwind.example', name: 'Mei Member' };
/** "Me too" from three orgs: Northwind (strategic), Contoso (major), Fabrikam (standard). */
const VOTERS = ['orgadmin@northwind.example', 'engineer1@contoso.example', 'engineer3@fabrikam.example'];
const TRIAGER = { email: 'triager@candor.example', display: 'Tao (Product)' };
const FINANCE_ADMIN = { email: 'finance@candor.example', display: 'Felix (Finance lead)' };
const APPROVER = 'approver@candor.example';

const AREA = 'Network management';
const TITLE = 'Schedule bulk parameter changes for the night window';
const BODY =
  'We push bulk parameter changes by hand after midnight so that the day shift is not disturbed. ' +
  'A scheduler in the console would let us queue them during the day and have them run in the night window.';
const HOURS = 4;
const PLAN_NOTE = 'Planned: a scheduler for bulk parameter changes, with a preview of the affected base stations.';
const ADJUST_REASON = 'Saves every night shift an hour of manual work across all regions; worth more than the computed amount.';
const APPROVE_REASON = 'Checked against the policy and the pool: fine to pay.';
const ACCOUNT = { holder: 'Mei Member', number: '6222 0212 3456 7788', bank: 'Industrial Bank of Northwind', last4: '7788' };

// Policy v1 (the seed): "request adopted" defaults to ¥10,000.00; the impact
// multiplier is 100% + 10 points per org beyond the first (3 orgs: +20) + 1
// point per hour lost per week (+4) = 124%. Finance sets ¥15,000.00, below
// the ¥50,000.00 two-approver threshold; 20% is withheld.
const COMPUTED = 'CN¥12,400.00';
const ADJUSTED = { input: '15,000.00', gross: 'CN¥15,000.00', withheld: 'CN¥3,000.00', net: 'CN¥12,000.00' };
const CSV_AMOUNTS = { net: '12000.00', gross: '15000.00', withheld: '3000.00' };

/** Real identities and org names: none may reach a public page or a finance page. */
const SECRETS = ['Mei Member', MEMBER.email, 'Northwind', 'Omar Orgadmin', 'Demo Engineer', '622202123456'];




async function expectNoSecrets(page: Page, secrets = SECRETS): Promise<void> {
  const html = await page.content();
  for (const secret of secrets) expect(html, secret).not.toContain(secret);
}

/** One number of the post's vote panel, by its label ("Me too", "Organisations"). */
function voteStat(page: Page, label: string): Promise<string> {
  return page
    .locator('.vote-panel__stats > div')
    .filter({ has: page.locator('dt').getByText(label, { exact: true }) })
    .locator('dd')
    .innerText()
    .then((text) => text.trim());
}

/** Resolves when the page's next POST whose path starts with `pathPrefix` has been answered. */
function answered(page: Page, pathPrefix: string) {
  return page.waitForResponse(
    (response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith(pathPrefix),
  );
}

let postPath = '';
let nominationPath = '';

describe('the bounty story: from a request to a paid reward in the hall of fame', () => {
  test('a member posts a request', async () => {
    const page = await pageAs(MEMBER.email);
    expect(pseudonymOf(MEMBER.email)).not.toBe('');
    await page.goto('/posts/new');
    await heading(page, en.posts.compose.title).waitFor();
    await page.getByLabel(en.posts.compose.type).selectOption('request');
    await page.getByLabel(en.posts.compose.area).selectOption({ label: AREA });
    await page.getByLabel(en.posts.compose.postTitle, { exact: true }).fill(TITLE);
    await page.getByLabel(en.posts.compose.body, { exact: true }).fill(BODY);
    await page.getByLabel(en.posts.compose.hours).fill(String(HOURS));
    await checkPage(page, 'story-compose');

    await Promise.all([
      page.waitForURL((url) => /^\/posts\/[a-z0-9]+$/.test(url.pathname) && url.pathname !== '/posts/new'),
      page.getByRole('button', { name: en.posts.compose.submit, exact: true }).click(),
    ]);
    postPath = new URL(page.url()).pathname;
    await flash(page, en.posts.flash.created).waitFor();
    await heading(page, TITLE).waitFor();
    await page.locator('.post__byline').getByText(fillTemplate(en.post.byline, { pseudonym: pseudonymOf(MEMBER.email) })).waitFor();
    await page.locator('article.post .post__badges').getByText(en.posts.statuses.open, { exact: true }).waitFor();
    await checkPage(page, 'story-post-new');
  });

  test('members of three customer orgs say "me too"', async () => {
    expect(postPath).not.toBe('');
    for (const [index, email] of VOTERS.entries()) {
      const page = await pageAs(email);
      await page.goto(postPath);
      await heading(page, TITLE).waitFor();
      expect(await voteStat(page, en.post.votes.count)).toBe(String(index));
      if (index === 0) await checkPage(page, 'story-post-before-vote');
      else await expectAccessible(page);
      // The button flips at once (optimistic); wait for the server's answer before moving on.
      await Promise.all([answered(page, postPath), page.getByRole('button', { name: en.post.votes.vote, exact: true }).click()]);
      await page.getByRole('button', { name: en.post.votes.unvote, exact: true }).waitFor();
      await expect.poll(() => voteStat(page, en.post.votes.count)).toBe(String(index + 1));
    }

    // Counted after a reload (not only optimistic): three votes from three orgs.
    const author = await pageAs(MEMBER.email);
    await author.goto(postPath);
    await heading(author, TITLE).waitFor();
    expect(await voteStat(author, en.post.votes.count)).toBe('3');
    expect(await voteStat(author, en.post.votes.orgs)).toBe('3');
    await checkPage(author, 'story-post-voted');
  });

  test('a triager moves it to planned on the post page', async () => {
    expect(postPath).not.toBe('');
    const page = await pageAs(TRIAGER.email);
    await page.goto(postPath);
    await heading(page, TITLE).waitFor();
    const panel = page.locator('section.triage-panel');
    await heading(panel, en.triage.panel.title, 2).waitFor();
    await checkPage(page, 'story-triage-panel');

    await panel.getByLabel(en.triage.panel.status, { exact: true }).selectOption('planned');
    await panel.getByLabel(en.triage.panel.note, { exact: true }).fill(PLAN_NOTE);
    await Promise.all([
      answered(page, `${postPath}/triage`),
      panel.getByRole('button', { name: en.triage.panel.save, exact: true }).click(),
    ]);
    await flash(page, en.triage.flash.saved).waitFor();
    await page.locator('article.post .post__badges').getByText(en.posts.statuses.planned, { exact: true }).waitFor();
    const timeline = page.locator('section.status-timeline');
    await timeline.getByText(PLAN_NOTE).waitFor();
    await timeline.getByText(fillTemplate(en.triage.timeline.by, { name: TRIAGER.display })).waitFor();
    await checkPage(page, 'story-post-planned');
  });

  test(
    'the adoption worker nominates it, and the finance admin adjusts the amount with a reason',
    async () => {
      expect(postPath).not.toBe('');
      const page = await pageAs(FINANCE_ADMIN.email);
      // The worker runs in the portal's process: the outbox relay polls every
      // 500 ms, BullMQ on the embedded database about every second.
      const card = page.locator('main article').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
      await expect
        .poll(
          async () => {
            await page.goto('/finance/nominations');
            await heading(page, en.finance.nominations.title).waitFor();
            return card.count();
          },
          { timeout: 90_000, interval: 1_000 },
        )
        .toBe(1);
      const cardText = await card.innerText();
      expect(cardText).toContain(en.finance.triggers.request_adopted);
      expect(cardText).toContain(fillTemplate(en.finance.nominations.support, { votes: 3, count: 3 }));
      expect(cardText).toContain(pseudonymOf(MEMBER.email));
      expect(cardText).toContain(COMPUTED);
      await expectNoSecrets(page);
      await checkPage(page, 'story-finance-nominations');

      await Promise.all([
        page.waitForURL((url) => /^\/finance\/nominations\/[a-z0-9]+$/.test(url.pathname)),
        card.getByRole('link', { name: TITLE, exact: true }).click(),
      ]);
      nominationPath = new URL(page.url()).pathname;
      await heading(page, TITLE).waitFor();
      await page.locator('main .stat').getByText(COMPUTED, { exact: true }).waitFor();
      await heading(page, en.finance.nomination.whyTitle, 3).waitFor();
      await page.getByText(en.finance.nomination.why.tier, { exact: true }).waitFor();
      await expectNoSecrets(page);
      await checkPage(page, 'story-finance-nomination');

      await page.getByText(en.finance.nomination.adjustTitle, { exact: true }).click();
      await page.getByLabel(fillTemplate(en.finance.nomination.fields.amount, { currency: 'CNY' })).fill(ADJUSTED.input);
      await page.getByLabel(en.finance.nomination.fields.adjustReason).fill(ADJUST_REASON);
      await Promise.all([
        answered(page, nominationPath),
        page.getByRole('button', { name: en.finance.nomination.adjust, exact: true }).click(),
      ]);
      await flash(page, en.finance.flash.adjusted).waitFor();
      await page.locator('main .stat').getByText(ADJUSTED.gross, { exact: true }).waitFor();
      // Maker-checker: having adjusted it, the admin may not approve it.
      await page.getByText(en.finance.nomination.blocked.adjuster).waitFor();
      expect(await page.getByRole('button', { name: en.finance.nomination.approve, exact: true }).count()).toBe(0);
      await checkPage(page, 'story-finance-nomination-adjusted');
    },
    150_000,
  );

  test('a different person, the finance approver, approves it with one approval', async () => {
    expect(nominationPath).not.toBe('');
    const page = await pageAs(APPROVER);
    await page.goto(nominationPath);
    await heading(page, TITLE).waitFor();
    // The approver sees the adjustment, by whom and why.
    const adjustments = page.locator('main section').filter({ has: heading(page, en.finance.nomination.adjustmentsTitle, 2) });
    await adjustments.getByText(ADJUST_REASON).waitFor();
    await adjustments.getByText(FINANCE_ADMIN.display).waitFor();
    // Below the two-approver threshold: one approval is enough.
    const approvals = page.locator('main section').filter({ has: heading(page, en.finance.nomination.approvalsTitle, 2) });
    await approvals.getByText(fillTemplate(en.finance.nominations.approvalsOf, { approvals: 0, required: 1 })).waitFor();
    expect(await approvals.getByText(en.finance.nomination.twoApprovers).count()).toBe(0);
    await checkPage(page, 'story-approver-nomination');

    await page.locator('form#decide-nomination').getByLabel(en.finance.nomination.fields.reason, { exact: true }).fill(APPROVE_REASON);
    await Promise.all([
      answered(page, nominationPath),
      page.getByRole('button', { name: en.finance.nomination.approve, exact: true }).click(),
    ]);
    await flash(page, en.finance.flash.approved).waitFor();
    await page.locator('main .page-header .badge').getByText(en.finance.nominations.statuses.approved, { exact: true }).waitFor();
    await approvals.getByText(fillTemplate(en.finance.nominations.approvalsOf, { approvals: 1, required: 1 })).waitFor();
    expect(await approvals.innerText()).toContain(en.finance.nomination.you);
    await expectNoSecrets(page);
    await checkPage(page, 'story-approver-approved');
  });

  test('the member gives payout details and afterwards sees only the last four digits', async () => {
    const page = await pageAs(MEMBER.email);
    await page.goto('/');
    await page.locator('.site-header').getByRole('link', { name: en.rewards.nav.rewards, exact: true }).click();
    await heading(page, en.rewards.mine.title).waitFor();
    await page.getByText(en.rewards.mine.waiting_one).waitFor();
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
    await row.waitFor();
    const text = await row.innerText();
    expect(text).toContain(en.rewards.statuses.approved);
    expect(text).toContain(en.rewards.explanations.approvedNeedsDetails);
    expect(text).toContain(en.rewards.triggers.request_adopted);
    for (const amount of [ADJUSTED.gross, ADJUSTED.withheld, ADJUSTED.net]) expect(text).toContain(amount);
    await checkPage(page, 'story-rewards-approved');

    await page.getByRole('link', { name: en.rewards.mine.giveDetails, exact: true }).click();
    await heading(page, en.rewards.payout.title).waitFor();
    await page.getByText(en.rewards.payout.none).waitFor();
    await checkPage(page, 'story-payout-empty');

    await page.getByLabel(en.rewards.payout.accountHolder, { exact: true }).fill(ACCOUNT.holder);
    await page.getByLabel(en.rewards.payout.accountNumber, { exact: true }).fill(ACCOUNT.number);
    await page.getByLabel(en.rewards.payout.bankName, { exact: true }).fill(ACCOUNT.bank);
    await Promise.all([
      answered(page, '/rewards/payout'),
      page.getByRole('button', { name: en.rewards.payout.submit, exact: true }).click(),
    ]);
    await flash(page, en.rewards.payout.saved).waitFor();
    await page.locator('main .payout-last4').getByText(`•••• ${ACCOUNT.last4}`, { exact: true }).waitFor();
    // The replacement form is empty, and the number is nowhere on the page.
    await heading(page, en.rewards.payout.replaceTitle, 2).waitFor();
    expect(await page.getByLabel(en.rewards.payout.accountNumber, { exact: true }).inputValue()).toBe('');
    await expectNoSecrets(page, ['622202123456', '0212 3456', ACCOUNT.bank]);
    await checkPage(page, 'story-payout-saved');

    // In Chinese, the claim page reads as well (and still shows only the last four).
    await switchLanguage(page, 'zh-CN');
    try {
      await heading(page, zhCN.rewards.payout.title).waitFor();
      await page.locator('main .payout-last4').getByText(`•••• ${ACCOUNT.last4}`, { exact: true }).waitFor();
      await expectChinese(page);
      await checkPage(page, 'story-payout-saved-zh');
    } finally {
      // The language is remembered for the account: back to English for the steps below.
      await switchLanguage(page, 'en');
    }

    await page.getByRole('link', { name: en.rewards.payout.backToRewards, exact: true }).click();
    await heading(page, en.rewards.mine.title).waitFor();
    expect(await page.getByText(en.rewards.mine.waiting_one).count()).toBe(0);
  });

  test(
    'the payout worker puts the payment in the open batch; finance exports it, marks it sent and reconciles it as paid',
    async () => {
      const page = await pageAs(FINANCE_ADMIN.email);
      // Enqueued on approval, before the details existed; the reconciler
      // (every minute, for rewards approved more than 30 s ago) enqueues it
      // again, and then it joins the open bank batch.
      const openBatches = page.locator('main section').filter({ has: heading(page, en.payments.batches.openTitle, 2) });
      const batchLink = openBatches.locator('tbody tr a');
      await expect
        .poll(
          async () => {
            await page.goto('/finance/batches');
            await heading(page, en.payments.batches.title).waitFor();
            return batchLink.count();
          },
          { timeout: 170_000, interval: 2_000 },
        )
        .toBeGreaterThan(0);
      await checkPage(page, 'story-batches');

      await Promise.all([
        page.waitForURL((url) => /^\/finance\/batches\/[^/.]+$/.test(url.pathname)),
        batchLink.first().click(),
      ]);
      const batchPath = new URL(page.url()).pathname;
      const payments = page.locator('main section').filter({ has: heading(page, en.payments.batch.paymentsTitle, 2) });
      const row = payments.locator('tbody tr').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
      await row.waitFor();
      const rowText = await row.innerText();
      // Beneficiary by pseudonym only; gross, withheld, net.
      expect(rowText).toContain(pseudonymOf(MEMBER.email));
      for (const amount of [ADJUSTED.gross, ADJUSTED.withheld, ADJUSTED.net]) expect(rowText).toContain(amount);
      await expectNoSecrets(page);
      await checkPage(page, 'story-batch-open');

      // Export: the batch closes and its bank files can be downloaded.
      await Promise.all([answered(page, batchPath), page.getByRole('button', { name: en.payments.batch.export, exact: true }).click()]);
      await flash(page, en.payments.flash.exported).waitFor();
      const csvLink = page.getByRole('link', { name: en.payments.batch.downloadCsv, exact: true });
      await csvLink.waitFor();
      await checkPage(page, 'story-batch-exported');

      const [download] = await Promise.all([page.waitForEvent('download'), csvLink.click()]);
      expect(download.suggestedFilename()).toMatch(/^candor-batch-\d{4}-\d{2}-\d{2}-CNY-[a-z0-9]+\.csv$/);
      const downloaded = await download.path();
      expect(downloaded).toBeTruthy();
      const csv = (await readFile(downloaded!, 'utf8')).replace(/^\uFEFF/, '');
      const lines = csv.trimEnd().split('\r\n');
      expect(lines[0]).toBe(
        'payment_id,end_to_end_id,currency,amount,gross,withheld,account_holder,account_number,bank_name,bic,remittance',
      );
      expect(lines).toHaveLength(2);
      const line = lines[1]!;
      expect(line).toContain(`,CNY,${CSV_AMOUNTS.net},${CSV_AMOUNTS.gross},${CSV_AMOUNTS.withheld},`);
      expect(line).toContain(`,${ACCOUNT.holder},${ACCOUNT.number.replace(/\s/g, '')},${ACCOUNT.bank},`);

      // Sent to the bank, then the bank's answer: paid.
      await Promise.all([answered(page, batchPath), page.getByRole('button', { name: en.payments.batch.markSent, exact: true }).click()]);
      await flash(page, en.payments.flash.sent).waitFor();
      await checkPage(page, 'story-batch-sent');

      const paymentId = (await row.locator('code').first().innerText()).trim();
      await Promise.all([
        answered(page, batchPath),
        row.getByRole('button', { name: fillTemplate(en.payments.batch.markPaidLabel, { id: paymentId }), exact: true }).click(),
      ]);
      // The only payment in the batch: settling it reconciles the batch.
      await flash(page, en.payments.flash.reconciled).waitFor();
      await row.locator('.badge').getByText(en.payments.paymentStatuses.paid, { exact: true }).waitFor();
      await page.locator('main .badge').getByText(en.payments.batchStatuses.reconciled, { exact: true }).first().waitFor();
      await expectNoSecrets(page);
      await checkPage(page, 'story-batch-reconciled');
    },
    300_000,
  );

  test('the member sees the reward paid', async () => {
    const page = await pageAs(MEMBER.email);
    await page.goto('/rewards');
    await heading(page, en.rewards.mine.title).waitFor();
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: TITLE, exact: true }) });
    await row.locator('.badge').getByText(en.rewards.statuses.paid, { exact: true }).waitFor();
    expect(await row.innerText()).toContain(en.rewards.explanations.paidMember);
    // Paid out so far: the net.
    await page
      .locator('main section')
      .filter({ has: heading(page, en.rewards.mine.paidTotal, 2) })
      .getByText(ADJUSTED.net, { exact: true })
      .waitFor();
    await checkPage(page, 'story-rewards-paid');
  });

  test('the public hall of fame lists the member’s pseudonym with the post', async () => {
    expect(pseudonymOf(MEMBER.email)).not.toBe('');
    const visitor = await e2e.newPage();
    await visitor.goto('/');
    await visitor.locator('.site-footer').getByRole('link', { name: en.rewards.nav.hallOfFame, exact: true }).click();
    await heading(visitor, en.rewards.hallOfFame.title).waitFor();
    const entry = visitor.locator('main table tbody tr').filter({ has: visitor.getByRole('link', { name: TITLE, exact: true }) });
    await entry.waitFor();
    const pseudonymLink = entry.getByRole('link', { name: pseudonymOf(MEMBER.email) });
    expect(await pseudonymLink.getAttribute('href')).toMatch(/^\/u\/[a-z0-9]+$/);
    const entryText = await entry.innerText();
    expect(entryText).toContain(ADJUSTED.gross);
    const month = new Intl.DateTimeFormat('en', { year: 'numeric', month: 'long', timeZone: 'UTC' }).format(new Date());
    expect(entryText).toContain(month);
    await expectNoSecrets(visitor);
    await checkPage(visitor, 'story-hall-of-fame');

    // The post it links to is the planned request.
    await entry.getByRole('link', { name: TITLE, exact: true }).click();
    await visitor.waitForURL((url) => url.pathname === postPath);
    await heading(visitor, TITLE).waitFor();
    await visitor.locator('article.post .post__badges').getByText(en.posts.statuses.planned, { exact: true }).waitFor();
    await expectNoSecrets(visitor);
    await checkPage(visitor, 'story-post-public');

    await visitor.goto('/hall-of-fame');
    await heading(visitor, en.rewards.hallOfFame.title).waitFor();
    await switchLanguage(visitor, 'zh-CN');
    await heading(visitor, zhCN.rewards.hallOfFame.title).waitFor();
    await visitor.locator('main table tbody tr').filter({ has: visitor.getByRole('link', { name: TITLE, exact: true }) }).waitFor();
    await expectChinese(visitor);
    await checkPage(visitor, 'story-hall-of-fame-zh');
  });
});
