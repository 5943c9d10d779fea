// The account pages in a real browser: the administrator's list, new-account form
// (the new supervisor waits for another supervisor's confirmation, issue 17) and
// confirmation pages; the supervisor's account changes and the one-time enrolment
// code; the new supervisor's enrolment and second-factor set-up
// (scanning is replaced by reading the key off the page) and recovery codes; the
// account page. Each passes the accessibility check and fits a 360-px phone;
// screenshots in tests/e2e/artifacts/account-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { assertAccessible } from './lib/a11y.mjs';
import { LOCALES, VIEWPORTS, launchBrowser, openPage, screenshot, scrollsSideways } from './lib/browser.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';
import { totp } from './lib/totp.mjs';
import { follow } from './lib/pages.mjs';
import { confirmChange, enrol } from './lib/enrolment.mjs';

let server;
let browser;
let accounts;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
  accounts = demoAccounts(server.output());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function signIn(page, username, password, code = '') {
  await page.goto('/login');
  await page.getByLabel('Tên đăng nhập').fill(username);
  await page.getByLabel('Mật khẩu').fill(password);
  if (code) await page.getByLabel('Mã xác thực').fill(code);
  await page.getByRole('button', { name: 'Đăng nhập' }).click();
  await page.waitForURL((url) => url.pathname !== '/login' || url.search !== '');
}

/** Axe, no sideways scroll and a screenshot, on the phone and the desktop. */
async function checkPage(page, name) {
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    assert.equal(await scrollsSideways(page), false, `${name} ${size}: the page scrolls sideways`);
    await assertAccessible(page, `${name} ${size}`);
    await screenshot(page, `account-${name}-${size}`);
  }
  await page.setViewportSize(VIEWPORTS.phone);
}

test('an administrator manages accounts, and a new supervisor sets up the second factor', async () => {
  const admin = accounts.admin;
  const { context, page, problems } = await openPage(browser, { baseURL: server.url, locale: LOCALES.vi });
  try {
    await signIn(page, admin.username, admin.password, totp(admin.secret));
    await follow(page, 'Quản lý tài khoản');
    assert.equal(await page.title(), 'Bình An – Quản lý tài khoản');
    assert.equal(await page.locator('tbody tr').count(), 5, 'the five demo accounts');
    await checkPage(page, 'admin-users');

    await page.getByRole('link', { name: 'Tạo tài khoản mới' }).click();
    await checkPage(page, 'admin-new');
    await page.getByLabel('Tên đăng nhập').fill('tuan');
    await page.getByLabel('Họ tên').fill('Hoàng Văn Tuấn');
    await page.getByLabel('Vai trò').selectOption('supervisor');
    await page.getByRole('button', { name: 'Tạo tài khoản' }).click();
    await page.getByRole('heading', { name: 'Đang chờ cán bộ giám sát xác nhận' }).waitFor();
    assert.equal(await page.locator('code.secret').count(), 0, 'the administrator sees no code');
    await checkPage(page, 'admin-created');

    await page.goto('/admin/users');
    await page.getByRole('link', { name: 'Vô hiệu hóa (hanh)' }).click();
    assert.equal(await page.locator('h1').textContent(), 'Vô hiệu hóa tài khoản?');
    await checkPage(page, 'admin-confirm-disable');
    await page.getByRole('button', { name: 'Vô hiệu hóa tài khoản' }).click();
    await page.getByRole('status').filter({ hasText: 'đã bị vô hiệu hóa' }).waitFor();

    await follow(page, 'Tài khoản');
    assert.equal(await page.locator('h1').textContent(), 'Tài khoản của bạn');
    await checkPage(page, 'account');
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }

  const options = { baseURL: server.url, locale: LOCALES.vi };
  const code = await confirmChange(browser, options, accounts.supervisor, 'tuan', checkPage);
  const second = await openPage(browser, options);
  try {
    const { page: p } = second;
    await enrol(p, 'tuan', code, 'sông Ngàn Phố chảy qua Hương Sơn', checkPage);
    assert.equal(new URL(p.url()).pathname, '/account/second-factor', 'then set up the second factor');
    assert.equal(await p.title(), 'Bình An – Xác thực hai bước');
    assert.ok(await p.getByRole('img', { name: /Mã QR/ }).isVisible(), 'the QR code');
    await checkPage(p, 'second-factor');
    const key = (await p.locator('code.secret').textContent()).replace(/\s/g, '');
    await p.getByLabel('Mã 6 số từ ứng dụng').fill(totp(key));
    await p.getByRole('button', { name: 'Xác nhận' }).click();
    await p.getByRole('heading', { name: 'Mã dự phòng' }).waitFor();
    assert.equal(await p.locator('ol.codes li').count(), 10);
    await checkPage(p, 'recovery-codes');
    await p.getByRole('link', { name: 'Tiếp tục đến trang chính' }).click();
    assert.equal((await p.locator('h1').textContent()).trim(), 'Cán bộ giám sát');
    assert.deepEqual(second.problems, []);
  } finally {
    await second.context.close();
  }
});
