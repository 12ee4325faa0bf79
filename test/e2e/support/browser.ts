import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect } from 'vitest';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { CHROMIUM_PATH, SCREENSHOT_DIR } from './paths.js';
import { DEMO_PASSWORD } from './portal.js';

export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
export type ViewportName = keyof typeof VIEWPORTS;

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** What went wrong in a page while a test used it. */
export interface PageProblems {
  /** Console errors mentioning the Content Security Policy. */
  cspViolations: string[];
  /** Uncaught exceptions in the page. */
  pageErrors: string[];
  /** Every console error (includes failed resource loads such as a 400 answer). */
  consoleErrors: string[];
  /** JavaScript dialogs (alert/confirm/prompt) — never expected; a sign of injected script. */
  dialogs: string[];
}

const problemsByPage = new WeakMap<Page, PageProblems>();

export function problemsOf(page: Page): PageProblems {
  const problems = problemsByPage.get(page);
  if (!problems) throw new Error('This page was not opened with newPage()');
  return problems;
}

export interface NewPageOptions {
  /** Accept-Language / navigator.language; default en-US. */
  locale?: string;
}

/**
 * A page in a fresh browser context (own cookies) with baseURL = the portal, so
 * `page.goto('/login')` works. CSP violations, uncaught errors and dialogs are
 * recorded (see `problemsOf`, `expectNoPageProblems`).
 */
export async function openPage(
  browser: Browser,
  baseURL: string,
  viewport: ViewportName = 'desktop',
  options: NewPageOptions = {},
): Promise<Page> {
  const context: BrowserContext = await browser.newContext({
    baseURL,
    viewport: VIEWPORTS[viewport],
    deviceScaleFactor: 1,
    isMobile: viewport === 'phone',
    hasTouch: viewport === 'phone',
    locale: options.locale ?? 'en-US',
    timezoneId: 'UTC',
  });
  context.setDefaultTimeout(15_000);
  context.setDefaultNavigationTimeout(30_000);
  const page = await context.newPage();
  const problems: PageProblems = { cspViolations: [], pageErrors: [], consoleErrors: [], dialogs: [] };
  problemsByPage.set(page, problems);
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    const text = message.text();
    problems.consoleErrors.push(text);
    if (/content security policy/i.test(text)) problems.cspViolations.push(text);
  });
  page.on('pageerror', (error) => problems.pageErrors.push(error.stack ?? error.message));
  page.on('dialog', (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss().catch(() => undefined);
  });
  return page;
}

/** Fails when the page saw a CSP violation, an uncaught exception or a dialog. */
export function expectNoPageProblems(page: Page): void {
  const { cspViolations, pageErrors, dialogs } = problemsOf(page);
  const lines = [
    ...cspViolations.map((text) => `CSP violation: ${text}`),
    ...pageErrors.map((text) => `Uncaught error: ${text}`),
    ...dialogs.map((text) => `Unexpected dialog: ${text}`),
  ];
  if (lines.length > 0) throw new Error(`Problems in the page (${page.url()}):\n${lines.join('\n')}`);
}

export interface AccessibilityOptions {
  /** CSS selectors to leave out of the scan. */
  exclude?: string[];
  /** axe rule ids to skip (say why in the test). */
  disableRules?: string[];
  /**
   * Leave the mouse where the last action put it. By default it is moved to the
   * top-left corner first, so a leftover :hover (e.g. over whatever replaced
   * the button just clicked) does not decide the result.
   */
  keepPointer?: boolean;
  /**
   * Stop the test at once on a violation. By default the failure is soft
   * (expect.soft): the test is marked failed but goes on, so one contrast bug
   * does not hide whether the rest of the flow works.
   */
  hard?: boolean;
}

/**
 * Runs axe-core on the page as it is now and fails on any violation with
 * impact 'serious' or 'critical', listing each rule, its help link and the
 * offending elements.
 */
export async function expectAccessible(page: Page, options: AccessibilityOptions = {}): Promise<void> {
  if (!options.keepPointer) await page.mouse.move(0, 0);
  let builder = new AxeBuilder({ page });
  for (const selector of options.exclude ?? []) builder = builder.exclude(selector);
  if (options.disableRules?.length) builder = builder.disableRules(options.disableRules);
  const results = await builder.analyze();
  const serious = results.violations.filter((violation) => violation.impact === 'serious' || violation.impact === 'critical');
  // axe files text with the very colour of its background under "incomplete"
  // (it might be deliberately hidden); on a page a person reads it is
  // invisible text, e.g. a white label on a transparent button.
  for (const result of results.incomplete) {
    if (result.id !== 'color-contrast' || options.disableRules?.includes('color-contrast')) continue;
    const invisible = result.nodes.filter((node) =>
      [...node.any, ...node.all, ...node.none].some((check) => /\b1:1 contrast ratio\b/.test(check.message ?? '')),
    );
    if (invisible.length > 0) {
      serious.push({ ...result, impact: 'serious', help: `${result.help} (text invisible: 1:1 contrast)`, nodes: invisible });
    }
  }
  if (serious.length === 0) return;
  const message = formatViolations(page.url(), serious);
  if (options.hard) throw new Error(message);
  expect.soft(serious.map((violation) => violation.id), message).toEqual([]);
}

type AxeResult = Awaited<ReturnType<AxeBuilder['analyze']>>['violations'][number];

function formatViolations(url: string, serious: AxeResult[]): string {
  const report = serious
    .map((violation) => {
      const nodes = violation.nodes
        .slice(0, 10)
        .map((node) => {
          const messages = node.failureSummary ?? [...node.any, ...node.all, ...node.none].map((check) => check.message).join('\n');
          const summary = messages.split('\n').map((line) => `        ${line}`).join('\n');
          return `    - ${node.target.join(' ')}\n      ${node.html.slice(0, 200)}\n${summary}`;
        })
        .join('\n');
      const more = violation.nodes.length > 10 ? `\n    … and ${violation.nodes.length - 10} more` : '';
      return `  [${violation.impact}] ${violation.id}: ${violation.help}\n    ${violation.helpUrl}\n${nodes}${more}`;
    })
    .join('\n');
  return `Accessibility violations on ${url}:\n${report}\n`;
}

/** Saves a full-page PNG to test-results/screenshots/<name>.png and returns the path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const file = path.join(SCREENSHOT_DIR, `${name.replace(/[^\p{L}\p{N}._-]+/gu, '-').slice(0, 120)}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled' });
  return file;
}

/**
 * Logs in through the /login form (as a person would) and waits until the
 * header shows the signed-in user. Returns the pseudonym shown in the header.
 */
export async function login(page: Page, email: string, password = DEMO_PASSWORD): Promise<string> {
  await page.goto('/login');
  await page.locator('input[name="email"]').fill(email);
  await page.locator('input[name="password"]').fill(password);
  await Promise.all([
    page.waitForURL((url) => !url.pathname.startsWith('/login'), { timeout: 30_000 }),
    page.locator('main form button[type="submit"]').first().click(),
  ]);
  return headerPseudonym(page);
}

/** The pseudonym in the header (without its avatar letter); waits until it is shown. */
export async function headerPseudonym(page: Page): Promise<string> {
  const user = page.locator('.site-header .nav__user');
  await user.waitFor({ state: 'visible' });
  return user.evaluate((element) =>
    [...element.childNodes]
      .filter((node) => !(node instanceof Element && node.classList.contains('avatar')))
      .map((node) => node.textContent ?? '')
      .join('')
      .trim(),
  );
}

/** Logs out with the header button; ends on /login. */
export async function logout(page: Page): Promise<void> {
  await Promise.all([
    page.waitForURL((url) => url.pathname === '/login'),
    page.locator('.site-header form[action="/logout"] button[type="submit"]').click(),
  ]);
}
