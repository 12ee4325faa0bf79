import type { Cookie, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import en from '../../../app/locales/en.js';
import zhCN from '../../../app/locales/zh-CN.js';
import { expectAccessible, type AccessibilityOptions, screenshot, type ViewportName } from './browser.js';
import { type E2E, login } from './e2e.js';

/** 'phone' or 'desktop', from the page's viewport. */
export function viewportOf(page: Page): ViewportName {
  return (page.viewportSize()?.width ?? 1280) < 600 ? 'phone' : 'desktop';
}

/**
 * The page as it is now must pass axe; then a full-page screenshot named
 * `<name>-<desktop|phone>` is saved for a person to look at.
 */
export async function checkPage(page: Page, name: string, options: AccessibilityOptions = {}): Promise<void> {
  await expectAccessible(page, options);
  await screenshot(page, `${name}-${viewportOf(page)}`);
}

/**
 * A page in a fresh context that carries the given cookies (session,
 * language): the same person in another viewport without another login,
 * which would count against the login rate limit.
 */
export async function samePersonOn(e2e: E2E, viewport: ViewportName, cookies: Cookie[]): Promise<Page> {
  const page = await e2e.newPage(viewport);
  await page.context().addCookies(cookies);
  return page;
}

/**
 * The first link in the newest mail to `to` with `subject` in the admin's dev
 * mailbox (`page` must be signed in as an admin). Mail is sent in the
 * background after the answer, so the mailbox is reloaded until it is there.
 */
export async function linkFromMailbox(
  page: Page,
  { to, subject }: { to: string; subject: string },
  timeoutMs = 15_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await page.goto('/admin/mailbox');
    await page.getByRole('heading', { level: 1, name: en.admin.mailbox.title }).waitFor();
    const mail = page
      .locator('main article')
      .filter({ has: page.getByRole('heading', { level: 2, name: subject, exact: true }) })
      .filter({ has: page.locator('dd').getByText(to, { exact: true }) })
      .first();
    if ((await mail.count()) > 0) {
      const href = await mail.locator('.mail a').first().getAttribute('href');
      if (href) return href;
    }
    if (Date.now() > deadline) throw new Error(`No mail "${subject}" to ${to} in the dev mailbox within ${timeoutMs} ms`);
    // A short pause between reloads; the mail is written right after the answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

type Tree = { [key: string]: string | Tree };

function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [leafPath, leaf] of leaves(value, path)) out.set(leafPath, leaf);
  }
  return out;
}

/**
 * English interface strings that must not show on a zh-CN page: every leaf of
 * the English locale of two words or more whose Chinese translation differs
 * (placeholders are cut out, the longest fixed part is looked for).
 */
const ENGLISH_ONLY: Array<{ key: string; text: string }> = (() => {
  const zh = leaves(zhCN as unknown as Tree);
  const found: Array<{ key: string; text: string }> = [];
  for (const [key, value] of leaves(en as unknown as Tree)) {
    if (zh.get(key) === value) continue;
    const part = value
      .split(/\{\{[^}]+\}\}/)
      .map((piece) => piece.trim())
      .sort((a, b) => b.length - a.length)[0];
    if (!part || part.length < 8 || !/\s/.test(part) || !/[a-z]/i.test(part)) continue;
    found.push({ key, text: part });
  }
  return found;
})();

/**
 * The page is in Chinese: `<html lang="zh-CN">`, the main text has Chinese in
 * it, and no English interface string is left anywhere on the page.
 */
export async function expectChinese(page: Page): Promise<void> {
  expect(await page.locator('html').getAttribute('lang')).toBe('zh-CN');
  const text = await page.locator('body').innerText();
  expect(await page.locator('main').innerText()).toMatch(/[\u4e00-\u9fff]/);
  const leftovers = ENGLISH_ONLY.filter(({ text: english }) => text.includes(english)).map(({ key, text: english }) => `${key}: "${english}"`);
  expect(leftovers, `English left on the zh-CN page ${page.url()}`).toEqual([]);
}

/** Clicks the header language button and waits until the page is in `locale`. */
export async function switchLanguage(page: Page, locale: 'en' | 'zh-CN'): Promise<void> {
  const before = new URL(page.url());
  const button = page.locator('.site-header .language-switch button');
  await expect.poll(() => button.locator('[lang]').getAttribute('lang')).toBe(locale);
  await button.click();
  await page.locator(`html[lang="${locale}"]`).waitFor({ state: 'attached' });
  // The switch stays on the same page.
  await expect.poll(() => new URL(page.url()).pathname).toBe(before.pathname);
  await page.locator('.site-header .language-switch button [lang]').and(page.locator(`[lang="${locale === 'en' ? 'zh-CN' : 'en'}"]`)).waitFor();
}

/**
 * Pages signed in as demo people, each logging in once per test file (login
 * is rate limited); later pages, in any viewport, reuse the session cookies.
 */
export function demoPeople(e2e: E2E) {
  const sessions = new Map<string, { cookies: Cookie[]; pseudonym: string }>();
  return {
    async pageAs(email: string, viewport: ViewportName = 'desktop'): Promise<Page> {
      const session = sessions.get(email);
      if (session) return samePersonOn(e2e, viewport, session.cookies);
      const page = await e2e.newPage(viewport);
      const pseudonym = await login(page, email);
      sessions.set(email, { cookies: await page.context().cookies(), pseudonym });
      return page;
    },
    /** The pseudonym shown when `email` logged in (after their first pageAs). */
    pseudonymOf(email: string): string {
      return sessions.get(email)?.pseudonym ?? '';
    },
  };
}

export const heading = (scope: Page | Locator, name: string, level = 1) => scope.getByRole('heading', { level, name, exact: true });

/** The flash message the layout shows after a redirect. */
export const flash = (page: Page, text: string) => page.locator('p.flash[role="status"]').filter({ hasText: text });

/** An i18next template with its {{placeholders}} filled in, to match rendered text. */
export const fillTemplate = (text: string, values: Record<string, string | number>) =>
  Object.entries(values).reduce((result, [key, value]) => result.replaceAll(`{{${key}}}`, String(value)), text);
