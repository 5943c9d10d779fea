// Each of the five roles in a real browser: signs in through the page (with the
// code an authenticator app would show, where the role needs one), lands on its own
// home page, which passes the accessibility check in Vietnamese and English at both
// sizes (screenshots in tests/e2e/artifacts/home-ROLE-LANG-SIZE.png), locks the
// screen and unlocks it with the password, then signs out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './lib/a11y.mjs';
import { LOCALES, VIEWPORTS, launchBrowser, openPage, screenshot, scrollsSideways } from './lib/browser.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';
import { totp } from './lib/totp.mjs';

const ROLES = {
  social_worker: { vi: 'Cán bộ công tác xã hội cấp xã', en: 'Commune social worker' },
  supervisor: { vi: 'Cán bộ giám sát', en: 'Case supervisor' },
  safe_house_staff: { vi: 'Nhân viên nhà tạm lánh', en: 'Safe-house staff' },
  committee_member: { vi: 'Thành viên Ban Vì sự tiến bộ của phụ nữ', en: 'Member of the Committee for the Advancement of Women' },
  admin: { vi: 'Quản trị hệ thống', en: 'System administrator' },
};

const TEXT = {
  vi: { signIn: 'Đăng nhập', lock: 'Khóa màn hình', unlock: 'Mở khóa', signOut: 'Đăng xuất', signedOut: 'Bạn đã đăng xuất.' },
  en: { signIn: 'Sign in', lock: 'Lock screen', unlock: 'Unlock', signOut: 'Sign out', signedOut: 'You have signed out.' },
};

let server;
let browser;
let accounts;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  accounts = demoAccounts(server.output());
  assert.deepEqual(Object.keys(accounts).sort(), Object.keys(ROLES).sort(), `the demo prints one account per role:\n${server.output()}`);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Signs in through the sign-in page as a person would. */
async function signIn(page, { username, password, secret }) {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  if (secret) await page.getByLabel('Mã xác thực').fill(totp(secret));
  await page.getByRole('button', { name: TEXT.vi.signIn }).click();
  await page.waitForURL((url) => url.pathname !== '/login' || url.search !== '');
}

/** The home page at both sizes: fits, passes axe, screenshot. */
async function checkHome(page, role, lang) {
  assert.equal(await page.getAttribute('html', 'lang'), lang);
  assert.equal((await page.locator('h1').textContent()).trim(), ROLES[role][lang]);
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    assert.equal(await scrollsSideways(page), false, `${role} ${lang} ${size}: the page scrolls sideways`);
    await assertAccessible(page, `${role} home ${lang} ${size}`);
    await screenshot(page, `home-${role}-${lang}-${size}`);
  }
}

for (const role of Object.keys(ROLES)) {
  test(`${role}: signs in, sees its home in Vietnamese and English, locks, unlocks and signs out`, async () => {
    const { context, page, problems } = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.desktop, locale: LOCALES.vi });
    try {
      await signIn(page, accounts[role]);
      assert.equal(new URL(page.url()).pathname, '/', `${role} lands on the home page`);
      assert.equal(await page.title(), 'Bình An – Trang chính');
      await checkHome(page, role, 'vi');

      await page.getByRole('link', { name: 'English' }).click();
      await page.waitForFunction(() => document.documentElement.lang === 'en');
      assert.equal(new URL(page.url()).pathname, '/', 'the language switch comes back to the home page');
      await checkHome(page, role, 'en');

      // The lock covers the page and asks for the password; nothing is a URL of its own.
      const before = page.url();
      await page.getByRole('button', { name: TEXT.en.lock }).click();
      const overlay = page.getByRole('dialog');
      await overlay.waitFor({ state: 'visible' });
      assert.equal(page.url(), before);
      await overlay.getByLabel('Password').fill('not my password');
      await overlay.getByRole('button', { name: TEXT.en.unlock }).click();
      await page.waitForFunction(() => document.getElementById('unlock-status').textContent.includes('not right'));
      assert.ok(await overlay.isVisible(), 'a wrong password keeps the screen locked');
      // The server holds the lock: a reload sends the lock alone, nothing of the page.
      await page.reload();
      await page.getByRole('dialog').waitFor({ state: 'visible' });
      assert.equal((await page.locator('main h1').textContent()).trim(), 'The screen is locked');
      await page.getByRole('dialog').getByLabel('Password').fill(accounts[role].password);
      await page.getByRole('dialog').getByRole('button', { name: TEXT.en.unlock }).click();
      // Unlocked, the page that was never sent is fetched again.
      await page.waitForFunction(() => {
        const h1 = document.querySelector('main h1');
        return h1 && h1.textContent.trim() !== 'The screen is locked';
      });
      await page.getByRole('dialog').waitFor({ state: 'hidden' });

      await page.locator('main').getByRole('button', { name: TEXT.en.signOut }).click();
      await page.waitForURL((url) => url.pathname === '/login');
      assert.equal(new URL(page.url()).search, '?notice=signed-out');
      assert.equal((await page.getByRole('status').textContent()).trim(), TEXT.en.signedOut);
      assert.equal((await context.cookies()).some((c) => c.name === '__Host-binhan_session'), false, 'the session cookie is gone');
      await page.goto('/');
      assert.equal(new URL(page.url()).pathname, '/login', 'signed out for good');
      // The one wrong unlock is the only error: its 401 (and its unread body, dropped
      // when the page moved on).
      const unexpected = problems.filter((p) => !p.includes('401 (Unauthorized)') && !p.includes('/api/v1/auth/unlock net::ERR_ABORTED'));
      assert.deepEqual(unexpected, []);
    } finally {
      await context.close();
    }
  });
}
