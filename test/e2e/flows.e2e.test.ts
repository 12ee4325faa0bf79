import type { Cookie, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import { checkPage, expectChinese, linkFromMailbox, samePersonOn, switchLanguage } from './support/flows.js';
import { DEMO_PASSWORD, headerPseudonym, login, type ViewportName, setupE2E } from './support/e2e.js';

// The foundation's flows, as people do them in a browser: an admin adds an
// organisation and invites someone, who signs up, confirms the address through
// the dev mailbox and gets a pseudonym; the language switch; password reset;
// clear messages for bad input. The tests of this file build on each other
// (the invite of the first is accepted in the second) and run in order.

const e2e = setupE2E();

const ADMIN = 'admin@candor.example';
const ORG = 'Acme Networks';
const ORG_DOMAIN = 'acme-e2e.example';
const INVITEE = `new.person@${ORG_DOMAIN}`;
const INVITEE_HINT = `n•••@${ORG_DOMAIN}`;
const INVITEE_NAME = 'Nadia Quillfeather';
const INVITEE_PASSWORD = 'violet harbour lantern 93';
const MEMBER2 = 'member2@northwind.example';
const MEMBER2_NAME = 'Marek Okonkwo-Lindqvist';
const MEMBER2_PASSWORD = 'copper kettle meadow 58';
const MEMBER2_NEW_PASSWORD = 'granite willow comet 71';

let adminCookies: Cookie[] | undefined;

/** A page signed in as the demo admin; logs in once per file, then reuses the session. */
async function adminPage(viewport: ViewportName = 'desktop'): Promise<Page> {
  if (adminCookies) return samePersonOn(e2e, viewport, adminCookies);
  const page = await e2e.newPage(viewport);
  await login(page, ADMIN);
  adminCookies = await page.context().cookies();
  return page;
}

const heading = (page: Page, name: string, level = 1) => page.getByRole('heading', { level, name, exact: true });

describe('admin: organisations and invites', () => {
  let orgPath = '';

  test('the admin adds an organisation with a domain; it is listed and its page shows the domain', async () => {
    const page = await adminPage('desktop');
    await page.goto('/admin/orgs');
    await heading(page, en.admin.orgs.title).waitFor();
    await checkPage(page, 'admin-orgs');

    const form = page.locator('form#create-org');
    await form.getByLabel(en.admin.orgs.name, { exact: true }).fill(ORG);
    await form.getByLabel(en.admin.orgs.tier).selectOption('major');
    await form.getByLabel(en.admin.orgs.domain).fill(ORG_DOMAIN);
    await Promise.all([
      page.waitForURL((url) => /^\/admin\/orgs\/[^/]+$/.test(url.pathname)),
      form.getByRole('button', { name: en.admin.orgs.create }).click(),
    ]);
    orgPath = new URL(page.url()).pathname;
    // Opaque ids in URLs, never sequential numbers.
    expect(orgPath).not.toMatch(/\/\d+$/);
    await heading(page, ORG).waitFor();
    await page.getByRole('status').filter({ hasText: en.admin.flash.orgCreated }).waitFor();
    const domains = page.locator('section[aria-labelledby="org-domains-heading"] table');
    await domains.getByRole('cell', { name: ORG_DOMAIN, exact: true }).waitFor();
    await expect.poll(() => page.locator('main .badge').first().innerText()).toBe(en.common.tiers.major);
    await checkPage(page, 'admin-org-detail');

    await page.getByRole('link', { name: en.admin.org.back }).click();
    await heading(page, en.admin.orgs.title).waitFor();
    const row = page.locator('main table tbody tr').filter({ has: page.getByRole('link', { name: ORG, exact: true }) });
    await row.waitFor();
    expect(await row.locator('td').nth(2).innerText()).toBe(ORG_DOMAIN);
    expect(await row.locator('td').nth(1).innerText()).toBe(en.common.tiers.major);
    await checkPage(page, 'admin-orgs-with-acme');

    const phone = await adminPage('phone');
    await phone.goto('/admin/orgs');
    await phone.getByRole('link', { name: ORG, exact: true }).waitFor();
    await checkPage(phone, 'admin-orgs');
    await phone.goto(orgPath);
    await heading(phone, ORG).waitFor();
    await checkPage(phone, 'admin-org-detail');
  });

  test('the admin invites new.person@ into Acme Networks; the invite is pending with a masked address', async () => {
    // Sent from a phone: the notice with the link is part of the page to check.
    const phone = await adminPage('phone');
    await phone.goto('/admin/invites');
    await heading(phone, en.admin.invites.title).waitFor();
    await checkPage(phone, 'admin-invites-empty');

    const form = phone.locator('form#create-invite');
    await form.getByLabel(en.admin.invites.email).fill(INVITEE);
    await form.getByLabel(en.admin.invites.org, { exact: true }).selectOption({ label: ORG });
    await form.getByRole('button', { name: en.admin.invites.send }).click();
    const notice = phone.getByRole('status').filter({ has: heading(phone, en.admin.invites.createdTitle, 2) });
    await notice.waitFor();
    expect(await notice.getByLabel(en.admin.invites.link).inputValue()).toMatch(new RegExp(`^${e2e.url}/invite/[\\w-]{20,}$`));
    // The form is emptied for the next invite.
    expect(await form.getByLabel(en.admin.invites.email).inputValue()).toBe('');
    await checkPage(phone, 'admin-invites-created');

    const page = await adminPage('desktop');
    await page.goto('/admin/invites');
    const row = page.locator('main table tbody tr').filter({ hasText: INVITEE_HINT });
    await row.waitFor();
    expect(await row.locator('td').nth(1).innerText()).toBe(ORG);
    expect(await row.locator('td').nth(2).innerText()).toBe(en.common.roles.member);
    expect(await row.locator('td').nth(3).innerText()).toBe(en.admin.invites.status.pending);
    await row.getByRole('button', { name: en.admin.invites.revokeLabel.replace('{{email}}', INVITEE_HINT) }).waitFor();
    // The full address is shown nowhere on the list.
    expect(await page.locator('main').innerText()).not.toContain(INVITEE);
    await checkPage(page, 'admin-invites');
  });
});

describe('joining', () => {
  test('sign up by invite, confirm through the dev mailbox, log in and see the pseudonym', async () => {
    const admin = await adminPage('desktop');
    const inviteLink = await linkFromMailbox(admin, { to: INVITEE, subject: 'You are invited' });
    expect(inviteLink).toMatch(new RegExp(`^${e2e.url}/invite/`));
    await checkPage(admin, 'admin-mailbox');

    // The invitee, logged out, in a browser of their own.
    const phone = await e2e.newPage('phone');
    await phone.goto(inviteLink);
    await heading(phone, en.auth.signup.title).waitFor();
    await checkPage(phone, 'signup-invite');

    const page = await e2e.newPage('desktop');
    await page.goto(inviteLink);
    await page.waitForURL((url) => url.pathname === '/signup' && url.searchParams.has('invite'));
    await heading(page, en.auth.signup.title).waitFor();
    await page.getByText(en.auth.signup.inviteIntro).waitFor();
    await checkPage(page, 'signup-invite');
    await page.getByLabel(en.auth.signup.name).fill(INVITEE_NAME);
    await page.getByLabel(en.auth.signup.email).fill(INVITEE);
    await page.getByLabel(en.auth.signup.password).fill(INVITEE_PASSWORD);
    await page.getByRole('button', { name: en.auth.signup.submit }).click();
    await heading(page, en.auth.signup.checkInboxTitle).waitFor();
    await page.getByRole('status').filter({ hasText: en.auth.signup.checkInbox }).waitFor();
    await checkPage(page, 'signup-check-inbox');

    // The admin passes on the confirmation link from the dev mailbox.
    const verifyLink = await linkFromMailbox(admin, { to: INVITEE, subject: 'Confirm your email address' });
    expect(verifyLink).toMatch(new RegExp(`^${e2e.url}/verify-email/`));
    await admin.goto(verifyLink);
    await heading(admin, en.auth.verify.confirmTitle).waitFor();
    await checkPage(admin, 'verify-email-confirm');
    await admin.getByRole('button', { name: en.auth.verify.confirm }).click();
    await heading(admin, en.auth.verify.title).waitFor();
    await admin.getByRole('status').filter({ hasText: en.auth.verify.done }).waitFor();
    await checkPage(admin, 'verify-email-done');

    // The new member logs in and is known by a generated pseudonym.
    const pseudonym = await login(page, INVITEE, INVITEE_PASSWORD);
    expect(pseudonym).toMatch(/\S+ \S+/);
    expect(pseudonym).not.toMatch(/nadia|quillfeather|new\.person|acme/i);
    await heading(page, en.common.home.welcome.replace('{{pseudonym}}', pseudonym)).waitFor();
    const homeText = await page.locator('body').innerText();
    expect(homeText).not.toContain(INVITEE_NAME);
    expect(homeText).not.toContain(INVITEE);
    await checkPage(page, 'home-new-member');

    // Their own name and email: on /settings, and only there.
    await page.getByRole('link', { name: pseudonym }).click();
    await heading(page, en.account.settings.title).waitFor();
    const identity = page.locator('section[aria-labelledby="identity-title"]');
    await identity.getByText(INVITEE_NAME, { exact: true }).waitFor();
    await identity.getByText(INVITEE, { exact: true }).waitFor();
    await page.locator('section[aria-labelledby="pseudonym-title"]').getByText(pseudonym, { exact: true }).waitFor();
    await checkPage(page, 'settings');

    const memberPhone = await samePersonOn(e2e, 'phone', await page.context().cookies());
    await memberPhone.goto('/');
    expect(await headerPseudonym(memberPhone)).toBe(pseudonym);
    await checkPage(memberPhone, 'home-new-member');
    await memberPhone.goto('/settings');
    await heading(memberPhone, en.account.settings.title).waitFor();
    await checkPage(memberPhone, 'settings');

    // Staff never see the name or the address: not on the staff page, not at home.
    for (const path of ['/admin/staff', '/', '/admin/invites', '/admin/orgs']) {
      await admin.goto(path);
      await admin.locator('main h1').waitFor();
      const text = await admin.locator('body').innerText();
      expect(text, path).not.toContain(INVITEE_NAME);
      expect(text, path).not.toContain(INVITEE);
    }
    // The invite is used up, and Acme Networks has its first active member.
    await admin.goto('/admin/invites');
    const invite = admin.locator('main table tbody tr').filter({ hasText: INVITEE_HINT });
    expect(await invite.locator('td').nth(3).innerText()).toBe(en.admin.invites.status.accepted);
    await admin.goto('/admin/orgs');
    const acme = admin.locator('main table tbody tr').filter({ has: admin.getByRole('link', { name: ORG, exact: true }) });
    expect(await acme.locator('td').nth(3).innerText()).toBe('1');

    await admin.goto('/admin/staff');
    await heading(admin, en.admin.staff.title).waitFor();
    await checkPage(admin, 'admin-staff');
    const adminPhone = await adminPage('phone');
    await adminPhone.goto('/admin/staff');
    await heading(adminPhone, en.admin.staff.title).waitFor();
    await checkPage(adminPhone, 'admin-staff');
  });
});

describe('language', () => {
  const PAGES = [
    { path: '/', name: 'home', en: en.common.home.heroTitle, zh: zhCN.common.home.heroTitle, admin: false },
    { path: '/login', name: 'login', en: en.auth.login.title, zh: zhCN.auth.login.title, admin: false },
    { path: '/signup', name: 'signup', en: en.auth.signup.title, zh: zhCN.auth.signup.title, admin: false },
    { path: '/admin/orgs', name: 'admin-orgs', en: en.admin.orgs.title, zh: zhCN.admin.orgs.title, admin: true },
  ] as const;

  for (const viewport of ['desktop', 'phone'] as const) {
    test(`the header button switches each page to 简体中文 and back (${viewport})`, async () => {
      const anonymous = await e2e.newPage(viewport);
      const admin = await adminPage(viewport);
      for (const target of PAGES) {
        const page = target.admin ? admin : anonymous;
        await page.goto(target.path);
        await heading(page, target.en).waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe('en');

        await switchLanguage(page, 'zh-CN');
        await heading(page, target.zh).waitFor();
        await expectChinese(page);
        await checkPage(page, `${target.name}-zh`);

        await switchLanguage(page, 'en');
        await heading(page, target.en).waitFor();
        expect(await page.locator('html').getAttribute('lang')).toBe('en');
      }
    });
  }
});

describe('password reset', () => {
  test('a member who signed up by domain resets the password through the dev mailbox', async () => {
    // Sign up with a registered domain (northwind.example), on a phone.
    const phone = await e2e.newPage('phone');
    await phone.goto('/signup');
    await heading(phone, en.auth.signup.title).waitFor();
    await checkPage(phone, 'signup');
    await phone.getByLabel(en.auth.signup.name).fill(MEMBER2_NAME);
    await phone.getByLabel(en.auth.signup.email).fill(MEMBER2);
    await phone.getByLabel(en.auth.signup.password).fill(MEMBER2_PASSWORD);
    await phone.getByRole('button', { name: en.auth.signup.submit }).click();
    await heading(phone, en.auth.signup.checkInboxTitle).waitFor();
    await checkPage(phone, 'signup-check-inbox');

    const admin = await adminPage('phone');
    const verifyLink = await linkFromMailbox(admin, { to: MEMBER2, subject: 'Confirm your email address' });
    await checkPage(admin, 'admin-mailbox');
    await phone.goto(verifyLink);
    await heading(phone, en.auth.verify.confirmTitle).waitFor();
    await checkPage(phone, 'verify-email-confirm');
    await phone.getByRole('button', { name: en.auth.verify.confirm }).click();
    await heading(phone, en.auth.verify.title).waitFor();
    await checkPage(phone, 'verify-email-done');

    // Forgot password, from the login page.
    await phone.locator('main').getByRole('link', { name: en.auth.verify.loginLink }).click();
    await heading(phone, en.auth.login.title).waitFor();
    await phone.getByRole('link', { name: en.auth.login.forgot }).click();
    await heading(phone, en.auth.forgot.title).waitFor();
    await checkPage(phone, 'forgot-password');
    await phone.getByLabel(en.auth.forgot.email).fill(MEMBER2);
    await phone.getByRole('button', { name: en.auth.forgot.submit }).click();
    await heading(phone, en.auth.forgot.sentTitle).waitFor();
    await phone.getByRole('status').filter({ hasText: en.auth.forgot.sent }).waitFor();
    await checkPage(phone, 'forgot-password-sent');

    // An address without an account gets the very same answer.
    const desktop = await e2e.newPage('desktop');
    await desktop.goto('/forgot-password');
    await heading(desktop, en.auth.forgot.title).waitFor();
    await checkPage(desktop, 'forgot-password');
    await desktop.getByLabel(en.auth.forgot.email).fill('nobody-here@northwind.example');
    await desktop.getByRole('button', { name: en.auth.forgot.submit }).click();
    await heading(desktop, en.auth.forgot.sentTitle).waitFor();
    await checkPage(desktop, 'forgot-password-sent');

    const resetLink = await linkFromMailbox(admin, { to: MEMBER2, subject: 'Reset your password' });
    expect(resetLink).toMatch(new RegExp(`^${e2e.url}/reset-password/`));
    // Opening the link does not use it up: look at it on the desktop, use it on the phone.
    await desktop.goto(resetLink);
    await heading(desktop, en.auth.reset.title).waitFor();
    await checkPage(desktop, 'reset-password');
    await phone.goto(resetLink);
    await heading(phone, en.auth.reset.title).waitFor();
    await checkPage(phone, 'reset-password');
    await phone.getByLabel(en.auth.reset.password).fill(MEMBER2_NEW_PASSWORD);
    await Promise.all([
      phone.waitForURL((url) => url.pathname === '/login'),
      phone.getByRole('button', { name: en.auth.reset.submit }).click(),
    ]);
    await phone.getByRole('status').filter({ hasText: en.auth.reset.done }).waitFor();
    await checkPage(phone, 'login-after-reset');

    // The old password no longer works; the new one does.
    await phone.getByLabel(en.auth.login.email).fill(MEMBER2);
    await phone.getByLabel(en.auth.login.password).fill(MEMBER2_PASSWORD);
    await phone.getByRole('button', { name: en.auth.login.submit }).click();
    await phone.getByRole('alert').filter({ hasText: en.auth.login.wrongCredentials }).waitFor();
    const pseudonym = await login(phone, MEMBER2, MEMBER2_NEW_PASSWORD);
    await heading(phone, en.common.home.welcome.replace('{{pseudonym}}', pseudonym)).waitFor();

    // A reset link works once.
    await desktop.getByLabel(en.auth.reset.password).fill('another fresh passphrase 12');
    await desktop.getByRole('button', { name: en.auth.reset.submit }).click();
    await heading(desktop, en.auth.reset.failedTitle).waitFor();
    await desktop.getByRole('alert').filter({ hasText: en.auth.reset.token_used }).waitFor();
    await checkPage(desktop, 'reset-password-used');
  });
});

describe('bad input is explained on the form', () => {
  for (const viewport of ['desktop', 'phone'] as const) {
    test(`unknown domain, weak password and wrong password (${viewport})`, async () => {
      const page = await e2e.newPage(viewport);

      // A domain no organisation registered.
      await page.goto('/signup');
      await heading(page, en.auth.signup.title).waitFor();
      // The plain form (the phone's is taken in the password-reset test).
      if (viewport === 'desktop') await checkPage(page, 'signup');
      await page.getByLabel(en.auth.signup.name).fill('Pat Outsider');
      await page.getByLabel(en.auth.signup.email).fill('pat@unknown-e2e.example');
      await page.getByLabel(en.auth.signup.password).fill('saffron glacier tuesday 44');
      await page.getByRole('button', { name: en.auth.signup.submit }).click();
      const email = page.getByLabel(en.auth.signup.email);
      await page.getByRole('alert').filter({ hasText: en.auth.signupErrors.unknown_domain }).waitFor();
      await expectFormPage(page, en.auth.signup.title);
      expect(await email.getAttribute('aria-invalid')).toBe('true');
      expect(await email.inputValue()).toBe('pat@unknown-e2e.example');
      expect(await page.getByLabel(en.auth.signup.name).inputValue()).toBe('Pat Outsider');
      // The message is tied to the field for screen readers.
      const describedBy = (await email.getAttribute('aria-describedby')) ?? '';
      const errorId = await page.locator('.field__error').filter({ hasText: en.auth.signupErrors.unknown_domain }).getAttribute('id');
      expect(describedBy.split(' ')).toContain(errorId);
      await checkPage(page, 'signup-error-unknown-domain');

      // One of the most common passwords.
      await page.getByLabel(en.auth.signup.email).fill('someone.new@northwind.example');
      await page.getByLabel(en.auth.signup.password).fill('password123');
      await page.getByRole('button', { name: en.auth.signup.submit }).click();
      const password = page.getByLabel(en.auth.signup.password);
      await page
        .locator('.field__error[role="alert"]')
        .filter({ hasText: new RegExp(`${escape(en.auth.password.common)}|${escape(en.auth.password.guessable)}`) })
        .waitFor();
      await expectFormPage(page, en.auth.signup.title);
      expect(await password.getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByRole('alert').filter({ hasText: en.auth.signupErrors.unknown_domain }).count()).toBe(0);
      await checkPage(page, 'signup-error-weak-password');

      // A wrong password.
      await page.goto('/login');
      await page.getByLabel(en.auth.login.email).fill('member@northwind.example');
      await page.getByLabel(en.auth.login.password).fill(`${DEMO_PASSWORD}-wrong`);
      await page.getByRole('button', { name: en.auth.login.submit }).click();
      await page.getByRole('alert').filter({ hasText: en.auth.login.wrongCredentials }).waitFor();
      await expectFormPage(page, en.auth.login.title);
      expect(await page.getByLabel(en.auth.login.email).inputValue()).toBe('member@northwind.example');
      expect(await page.locator('.site-header .nav__user').count()).toBe(0);
      await checkPage(page, 'login-error-wrong-password');

      // An address that is not one, caught before anything is sent.
      await page.getByLabel(en.auth.login.email).fill('not-an-address');
      await page.getByLabel(en.auth.login.password).fill('whatever it is');
      await page.getByRole('button', { name: en.auth.login.submit }).click();
      await page.getByRole('alert').filter({ hasText: en.common.errors.invalidEmail }).waitFor();
      await expectFormPage(page, en.auth.login.title);
    });
  }
});

/** Still the form, with its heading: not an error page. */
async function expectFormPage(page: Page, title: string): Promise<void> {
  await heading(page, title).waitFor();
  expect(await page.locator('.error-page').count()).toBe(0);
  expect(await page.locator('main form').count()).toBeGreaterThan(0);
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
