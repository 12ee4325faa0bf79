import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { expectNoPageProblems, launchBrowser, type NewPageOptions, openPage, screenshot, type ViewportName } from './browser.js';
import { type Portal, startPortal, type StartPortalOptions } from './portal.js';

export * from './browser.js';
export * from './portal.js';

export interface E2E {
  readonly portal: Portal;
  /** The portal's base URL, e.g. http://localhost:41234. */
  readonly url: string;
  readonly browser: Browser;
  /** A page in a fresh context (own cookies); closed after the test. */
  newPage(viewport?: ViewportName, options?: NewPageOptions): Promise<Page>;
}

/**
 * Call once at the top of a test file: one portal (fresh embedded database with
 * the demo data) and one Chromium for the whole file. After each test its pages
 * are checked for CSP violations, uncaught errors and dialogs, then closed; a
 * failing test leaves a screenshot (test-results/screenshots/FAILED-*.png) and
 * prints the end of the portal's log.
 *
 *   const e2e = setupE2E();
 *   test('…', async () => {
 *     const page = await e2e.newPage('phone');
 *     await login(page, 'admin@candor.example');
 *     await expectAccessible(page);
 *   });
 */
export function setupE2E(options: StartPortalOptions = {}): E2E {
  let portal: Portal | undefined;
  let browser: Browser | undefined;
  let pages: Page[] = [];

  beforeAll(async () => {
    const [started, launched] = await Promise.allSettled([startPortal(options), launchBrowser()]);
    if (started.status === 'fulfilled') portal = started.value;
    if (launched.status === 'fulfilled') browser = launched.value;
    if (started.status === 'rejected') throw started.reason;
    if (launched.status === 'rejected') throw launched.reason;
  });

  afterEach(async (context) => {
    const open = pages;
    pages = [];
    const failed = context.task.result?.state === 'fail';
    try {
      if (failed) {
        for (const [index, page] of open.entries()) {
          if (page.isClosed()) continue;
          await screenshot(page, `FAILED-${context.task.name}${open.length > 1 ? `-${index + 1}` : ''}`).catch(() => undefined);
        }
        if (portal) console.log(`--- end of the portal log (${portal.url}) ---\n${portal.output().slice(-4_000)}`);
      }
      for (const page of open) expectNoPageProblems(page);
    } finally {
      await Promise.all(open.map((page) => page.context().close().catch(() => undefined)));
    }
  });

  afterAll(async () => {
    await browser?.close().catch(() => undefined);
    await portal?.stop();
  });

  const need = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`The ${what} is not running (did beforeAll fail?)`);
    return value;
  };
  return {
    get portal() {
      return need(portal, 'portal');
    },
    get url() {
      return need(portal, 'portal').url;
    },
    get browser() {
      return need(browser, 'browser');
    },
    async newPage(viewport: ViewportName = 'desktop', pageOptions: NewPageOptions = {}) {
      const page = await openPage(need(browser, 'browser'), need(portal, 'portal').url, viewport, pageOptions);
      pages.push(page);
      return page;
    },
  };
}
