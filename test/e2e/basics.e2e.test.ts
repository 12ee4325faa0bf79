import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import zhCN from '../../app/locales/zh-CN.js';
import {
  expectAccessible,
  expectNoPageProblems,
  headerPseudonym,
  login,
  logout,
  problemsOf,
  screenshot,
  setupE2E,
} from './support/e2e.js';

const e2e = setupE2E();
const ADMIN = 'admin@candor.example';

describe('anonymous pages', () => {
  test('home shows the hero and is accessible', async () => {
    const page = await e2e.newPage();
    const response = await page.goto('/');
    expect(response?.status()).toBe(200);
    expect(await page.locator('html').getAttribute('lang')).toBe('en');
    await page.getByRole('heading', { level: 1, name: en.common.home.heroTitle }).waitFor();
    expect(await page.title()).toContain(en.common.brand);
    expect(await page.getByRole('link', { name: en.common.home.getStarted }).getAttribute('href')).toBe('/signup');
    await expectAccessible(page);
    await screenshot(page, 'home-desktop');
  });

  test('home on a phone', async () => {
    const page = await e2e.newPage('phone');
    await page.goto('/');
    await page.getByRole('heading', { level: 1, name: en.common.home.heroTitle }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'home-phone');
  });

  test('login page is accessible', async () => {
    const page = await e2e.newPage();
    await page.goto('/login');
    await page.getByRole('heading', { level: 1, name: en.auth.login.title }).waitFor();
    await page.getByLabel(en.auth.login.email).waitFor();
    await page.getByLabel(en.auth.login.password).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'login-desktop');

    const phone = await e2e.newPage('phone');
    await phone.goto('/login');
    await phone.getByRole('heading', { level: 1, name: en.auth.login.title }).waitFor();
    await expectAccessible(phone);
    await screenshot(phone, 'login-phone');
  });

  test('wrong credentials say so without logging in, and the errors are accessible', async () => {
    const page = await e2e.newPage();
    await page.goto('/login');
    await page.getByLabel(en.auth.login.email).fill(ADMIN);
    await page.getByLabel(en.auth.login.password).fill('not-the-password');
    await page.locator('main form button[type="submit"]').click();
    await page.getByRole('alert').filter({ hasText: en.auth.login.wrongCredentials }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.locator('.site-header .nav__user').count()).toBe(0);
    await expectAccessible(page);
  });

  test('the header buttons stay legible on hover', async () => {
    const page = await e2e.newPage();
    await page.goto('/login');
    const signup = page.locator('.site-header a.button', { hasText: en.common.nav.signup });
    await signup.hover();
    await expectAccessible(page, { keepPointer: true });
  });
});

describe('signing in', () => {
  test('the demo admin logs in, switches to 简体中文 and logs out', async () => {
    const page = await e2e.newPage();
    const pseudonym = await login(page, ADMIN);
    expect(pseudonym).not.toBe('');
    expect(pseudonym).not.toMatch(/admin|avery/i);
    expect(new URL(page.url()).pathname).toBe('/');
    await page.getByRole('heading', { level: 1, name: en.common.home.welcome.replace('{{pseudonym}}', pseudonym) }).waitFor();
    await page.getByRole('link', { name: en.common.nav.admin }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'home-admin-desktop');

    // The header button switches the language (and remembers it for the account).
    const switcher = page.locator('.site-header .language-switch button');
    // The visible language name (the button's accessible name also says "Language:").
    const switcherLabel = switcher.locator('[lang]');
    expect((await switcherLabel.innerText()).trim()).toBe(zhCN.common.language.zhCN);
    await Promise.all([page.waitForURL('/'), switcher.click()]);
    await expect.poll(() => page.locator('html').getAttribute('lang'), { timeout: 15_000 }).toBe('zh-CN');
    await page.getByRole('link', { name: zhCN.common.nav.admin }).waitFor();
    expect((await page.locator('.site-header form[action="/logout"] button').innerText()).trim()).toBe(zhCN.common.nav.logout);
    expect((await switcherLabel.innerText()).trim()).toBe(en.common.language.en);
    const pseudonymZh = await headerPseudonym(page);
    expect(pseudonymZh).not.toBe('');
    await expectAccessible(page);
    await screenshot(page, 'home-admin-zh-desktop');

    await logout(page);
    await page.getByRole('status').filter({ hasText: zhCN.auth.login.loggedOut }).waitFor();
    expect(await page.locator('.site-header .nav__user').count()).toBe(0);
    await page.getByRole('heading', { level: 1, name: zhCN.auth.login.title }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'login-zh-after-logout-desktop');

    // Logged out means logged out: a protected-looking page no longer shows the user.
    await page.goto('/');
    expect(await page.locator('.site-header .nav__user').count()).toBe(0);
  });

  test('login and home work on a phone', async () => {
    const page = await e2e.newPage('phone');
    const pseudonym = await login(page, 'member@northwind.example');
    await page.getByRole('heading', { level: 1, name: en.common.home.welcome.replace('{{pseudonym}}', pseudonym) }).waitFor();
    await expectAccessible(page);
    await screenshot(page, 'home-member-phone');
  });
});

describe('security', () => {
  test('pages carry a strict CSP with a per-response nonce, and every inline script has it', async () => {
    const first = await fetch(`${e2e.url}/`);
    const second = await fetch(`${e2e.url}/`);
    const csp = first.headers.get('content-security-policy') ?? '';
    const directives = parseCsp(csp);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    const nonce = nonceOf(csp);
    expect(nonce, `no nonce in script-src: ${csp}`).toMatch(/^[A-Za-z0-9+/=_-]{16,}$/);
    expect(directives.get('script-src')).not.toContain("'unsafe-inline'");
    expect(nonceOf(second.headers.get('content-security-policy') ?? '')).not.toBe(nonce);
    expect(first.headers.get('x-content-type-options')).toBe('nosniff');
    expect(first.headers.get('referrer-policy')).toBe('no-referrer');

    const page = await e2e.newPage();
    const response = await page.goto('/');
    const pageNonce = nonceOf(response?.headers()['content-security-policy'] ?? '');
    expect(pageNonce).toBeTruthy();
    // The nonce attribute is hidden from the DOM once applied; the property keeps it.
    const inline = await page.$$eval('script:not([src])', (scripts) =>
      scripts.map((script) => ({ nonce: script.nonce, start: script.textContent?.slice(0, 60) ?? '' })),
    );
    expect(inline.length).toBeGreaterThan(0);
    for (const script of inline) expect(script.nonce, `inline script without the nonce: ${script.start}`).toBe(pageNonce);

    // Hydrated and interactive under the CSP: a client-side navigation works.
    await page.getByRole('link', { name: en.common.home.haveAccount }).click();
    await page.getByRole('heading', { level: 1, name: en.auth.login.title }).waitFor();
    expect(problemsOf(page).cspViolations).toEqual([]);
    expectNoPageProblems(page);
  });

  test('script in the URL is not executed', async () => {
    const page = await e2e.newPage();
    const payload = '"><script>alert(document.domain)</script><img src=x onerror=alert(1)>';
    await page.goto(`/login?redirectTo=${encodeURIComponent(payload)}`);
    await page.getByRole('heading', { level: 1, name: en.auth.login.title }).waitFor();
    expect(await page.locator('main input[name="redirectTo"]').inputValue()).toBe(payload);
    expect(await page.locator('main img[src="x"]').count()).toBe(0);
    expect(problemsOf(page).dialogs).toEqual([]);
  });

  test('a POST to /login from another origin is refused', async () => {
    const body = new URLSearchParams({ email: ADMIN, password: 'candor-demo-2026' });
    const foreign = await fetch(`${e2e.url}/login`, {
      method: 'POST',
      headers: { Origin: 'https://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      redirect: 'manual',
    });
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('set-cookie') ?? '').not.toMatch(/session/i);

    // The same request from the portal's own origin gets through the guard.
    const own = await fetch(`${e2e.url}/login`, {
      method: 'POST',
      headers: { Origin: e2e.url, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email: ADMIN, password: 'wrong-password' }),
      redirect: 'manual',
    });
    expect(own.status).not.toBe(403);
  });

  test('/healthz reports the database and the queue', async () => {
    const response = await fetch(`${e2e.url}/healthz`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok', database: 'ok', queue: 'ok' });
  });
});

function parseCsp(header: string): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

function nonceOf(header: string): string | undefined {
  return /script-src[^;]*'nonce-([^']+)'/.exec(header)?.[1];
}
