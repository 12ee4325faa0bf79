import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import en from '../../app/locales/en.js';
import { checkPage, demoPeople, flash, heading } from './support/flows.js';
import { setupE2E } from './support/e2e.js';

// Merging duplicates as people do it: a member says "me too" on the KPI
// export post; a triager merges that post into the alarm storm post (both from
// the demo data), checking the arithmetic first, and sees the target's count
// rise by the new voters only (a member who voted on both counts once); the
// member opening the duplicate lands on the target with a notice; the triager
// undoes the merge and both counts are back. The tests build on each other
// and run in order.

const e2e = setupE2E();
const { pageAs } = demoPeople(e2e);

const MEMBER = 'member@northwind.example';
const TRIAGER = 'triager@candor.example';
const TARGET_TITLE = 'Alarm storm after every base station restart';
const DUPLICATE_TITLE = 'Export KPI reports through the API';




/** The "me too" count in the vote panel. */
async function voteCount(page: Page): Promise<number> {
  const stat = page
    .locator('.vote-panel__stats > div')
    .filter({ has: page.locator('dt', { hasText: new RegExp(`^${en.post.votes.count}$`) }) })
    .locator('dd');
  return Number((await stat.innerText()).trim());
}

/** Opens a post by searching for its title, and returns its path. */
async function openPost(page: Page, title: string): Promise<string> {
  await page.goto(`/search?q=${encodeURIComponent(title)}`);
  await Promise.all([
    page.waitForURL((url) => /^\/posts\/[^/]+$/.test(url.pathname)),
    page.locator('main').getByRole('link', { name: title, exact: true }).first().click(),
  ]);
  await heading(page, title).waitFor();
  return new URL(page.url()).pathname;
}

let targetPath = '';
let duplicatePath = '';
let targetBefore = 0;
let duplicateBefore = 0;

describe('merging duplicates', () => {
  test('a member says "me too" on the post that will turn out to be a duplicate', async () => {
    const page = await pageAs(MEMBER);
    duplicatePath = await openPost(page, DUPLICATE_TITLE);
    const before = await voteCount(page);
    const vote = page.locator('.vote-panel form button[name="intent"][value="vote"]');
    expect(await vote.getAttribute('aria-pressed')).toBe('false');
    await Promise.all([
      page.waitForResponse((response) => response.request().method() === 'POST' && new URL(response.url()).pathname.startsWith(duplicatePath)),
      vote.click(),
    ]);
    await expect.poll(() => vote.getAttribute('aria-pressed')).toBe('true');
    await page.reload();
    expect(await voteCount(page)).toBe(before + 1);
    duplicateBefore = before + 1;
  });

  test('a triager picks the target, checks the arithmetic and merges; the target counts each member once', async () => {
    const page = await pageAs(TRIAGER);
    targetPath = await openPost(page, TARGET_TITLE);
    targetBefore = await voteCount(page);

    await page.goto(duplicatePath);
    await heading(page, DUPLICATE_TITLE).waitFor();
    await Promise.all([
      page.waitForURL((url) => url.pathname === `${duplicatePath}/merge`),
      page.getByRole('link', { name: en.merge.panel.merge }).click(),
    ]);
    await heading(page, en.merge.page.title).waitFor();
    await checkPage(page, 'merge-choose');

    await page.getByLabel(en.merge.search.label).fill('Alarm storm');
    await Promise.all([
      page.waitForURL((url) => url.searchParams.get('q') === 'Alarm storm'),
      page.getByRole('button', { name: en.merge.search.submit, exact: true }).click(),
    ]);
    await heading(page, en.merge.search.resultsTitle, 3).waitFor();
    await Promise.all([
      page.waitForURL((url) => url.searchParams.has('target')),
      page.getByRole('link', { name: en.merge.search.chooseLabel.replace('{{title}}', TARGET_TITLE) }).click(),
    ]);
    await heading(page, en.merge.confirm.title, 2).waitFor();

    // The arithmetic: every vote on the duplicate moves, and the demo's org
    // admin, who voted on both posts, is counted once.
    const arithmetic = page.locator('.merge-arithmetic');
    await arithmetic.getByText(en.merge.confirm.votesMove_other.replace('{{count}}', String(duplicateBefore))).waitFor();
    const overlapText = await arithmetic.getByText(/already voted on the target and count/).innerText();
    const overlap = Number(/(\d+) of those members/.exec(overlapText)?.[1]);
    expect(overlap).toBeGreaterThanOrEqual(1);
    const expectedAfter = targetBefore + duplicateBefore - overlap;
    await arithmetic
      .getByText(en.merge.confirm.result.replace('{{before}}', String(targetBefore)).replace('{{after}}', String(expectedAfter)))
      .waitFor();
    await checkPage(page, 'merge-confirm');

    const phone = await pageAs(TRIAGER, 'phone');
    await phone.goto(page.url());
    await heading(phone, en.merge.confirm.title, 2).waitFor();
    await checkPage(phone, 'merge-confirm');

    await page.getByLabel(en.merge.confirm.note).fill('Both ask for less manual work after restarts.');
    await Promise.all([
      page.waitForURL((url) => url.pathname === targetPath),
      page.getByRole('button', { name: en.merge.confirm.submit, exact: true }).click(),
    ]);
    await flash(page, en.merge.flash.merged).waitFor();
    expect(await voteCount(page)).toBe(expectedAfter);
    const duplicates = page.locator('section.merge-duplicates');
    await duplicates.getByRole('heading', { level: 2, name: en.merge.duplicates.title }).waitFor();
    await duplicates.getByRole('link', { name: DUPLICATE_TITLE }).waitFor();
    await duplicates.getByRole('button', { name: en.merge.panel.undoLabel.replace('{{title}}', DUPLICATE_TITLE) }).waitFor();
    await checkPage(page, 'merge-target-staff');
  });

  test('a member opening the duplicate lands on the target with a notice, and cannot merge', async () => {
    const page = await pageAs(MEMBER);
    await Promise.all([page.waitForURL((url) => url.pathname === targetPath), page.goto(duplicatePath)]);
    await flash(page, en.merge.flash.redirected).waitFor();
    await heading(page, TARGET_TITLE).waitFor();
    const duplicates = page.locator('section.merge-duplicates');
    await duplicates.getByRole('link', { name: DUPLICATE_TITLE }).waitFor();
    expect(await duplicates.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('link', { name: en.merge.panel.merge }).count()).toBe(0);
    await checkPage(page, 'merge-redirected');

    const phone = await pageAs(MEMBER, 'phone');
    await phone.goto(duplicatePath);
    await flash(phone, en.merge.flash.redirected).waitFor();
    await checkPage(phone, 'merge-redirected');

    // The duplicate's comments stayed on it; it can still be read, but not voted on.
    await page.goto(`${duplicatePath}?view=duplicate`);
    await heading(page, DUPLICATE_TITLE).waitFor();
    await page.getByText(en.post.merged.notice).waitFor();
    expect(await page.locator('.vote-panel form button[name="intent"][value="vote"]').count()).toBe(0);
  });

  test('the triager undoes the merge from the target; both posts have their votes back', async () => {
    const page = await pageAs(TRIAGER);
    await page.goto(targetPath);
    await heading(page, TARGET_TITLE).waitFor();
    await Promise.all([
      page.waitForURL((url) => url.pathname === duplicatePath),
      page.getByRole('button', { name: en.merge.panel.undoLabel.replace('{{title}}', DUPLICATE_TITLE) }).click(),
    ]);
    await flash(page, en.merge.flash.undone).waitFor();
    await heading(page, DUPLICATE_TITLE).waitFor();
    expect(await voteCount(page)).toBe(duplicateBefore);
    await page.getByRole('link', { name: en.merge.panel.merge }).waitFor();
    await checkPage(page, 'merge-undone');

    await page.goto(targetPath);
    expect(await voteCount(page)).toBe(targetBefore);
    expect(await page.locator('section.merge-duplicates').count()).toBe(0);
  });
});
