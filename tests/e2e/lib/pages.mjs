// What a person does on any page of Bình An, for the browser tests: sign in
// through the form (with the authenticator code when the account has one) and
// press a button, waiting for the page it leads to; and what every new page is
// checked for.
import assert from 'node:assert/strict';

import { assertAccessible } from './a11y.mjs';
import { screenshot, scrollsSideways } from './browser.mjs';
import { totp } from './totp.mjs';

/**
 * Signs in and waits for the home page.
 * @param {import('playwright-core').Page} page
 * @param {{ username: string, password: string, secret?: string|null }} account
 */
export async function signIn(page, { username, password, secret }) {
  // By the fields' ids, so that it signs in whatever the page's language.
  await page.goto('/login');
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(password);
  if (secret) await page.locator('#totp').fill(totp(secret));
  await page.locator('form[action="/login"] button[type="submit"]').click();
  await page.waitForURL((url) => url.pathname === '/');
}

/**
 * Presses the button called `name` (within `scope`) and waits for what it leads
 * to: a new page, or the page's script swapping in the answer (a form with
 * data-swap counts up <html data-swaps>).
 */
export async function press(page, name, scope = page) {
  const before = await page.evaluate(() => Number(document.documentElement.dataset.swaps || 0));
  const swapped = page.waitForFunction(
    (n) => Number(document.documentElement.dataset.swaps || 0) > n,
    before,
    { polling: 50 },
  );
  const arrived = Promise.race([page.waitForNavigation(), swapped]);
  await Promise.all([arrived, scope.getByRole('button', { name, exact: true }).click()]);
  // Whichever came second is no longer awaited.
  swapped.catch(() => {});
}

/**
 * Follows the link called `name` of the site's header, opening its menu first
 * when the page is narrow enough to fold the links into it.
 */
export async function follow(page, name) {
  const menu = page.locator('header details.menu');
  const button = menu.locator('summary');
  if ((await menu.count()) && (await button.isVisible()) && !(await menu.evaluate((d) => d.open))) {
    await button.click();
  }
  await Promise.all([page.waitForNavigation(), page.locator('header').getByRole('link', { name, exact: true }).click()]);
}

/**
 * The page fits its window (no sideways scroll on a phone), passes axe, and its
 * title holds none of `personal`; a screenshot is saved as NAME.png.
 */
export async function checkPage(page, name, personal) {
  assert.equal(await scrollsSideways(page), false, `${name}: the page scrolls sideways`);
  await assertAccessible(page, name);
  const title = await page.title();
  for (const word of personal) assert.ok(!title.includes(word), `${name}: the title names someone: ${title}`);
  await screenshot(page, name);
}

/**
 * Opens the form folded in the case page's section `id` (its <details> summary),
 * as a person taps its name; an open one stays open.
 */
export async function unfold(page, id) {
  const folded = page.locator(`#${id} details.add`);
  if (!(await folded.evaluate((d) => d.open))) await folded.locator('summary').click();
}

/**
 * Opens the list of cases at `address` and follows "Trang sau" until a row shows
 * case `number` (the list is paged, 50 a page); returns that row.
 */
export async function findInList(page, number, address = '/cases') {
  await page.goto(address);
  for (;;) {
    const row = page.locator('tr', { hasText: number });
    if ((await row.count()) > 0) return row;
    const next = page.getByRole('link', { name: 'Trang sau', exact: true });
    assert.ok((await next.count()) > 0, `case ${number} is on no page of ${address}`);
    await Promise.all([page.waitForNavigation(), next.click()]);
  }
}
