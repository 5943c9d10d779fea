// Five wrong passwords lock an account; the right password then still fails, with
// the same message as a wrong one, so the page reveals nothing about the lock.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { LOCALES, VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('five wrong passwords, then the right one still fails with the same message', async () => {
  const { username, password } = demoAccounts(server.output()).social_worker;
  const { context, page } = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone, locale: LOCALES.vi });
  try {
    const attempt = async (typed) => {
      await page.goto('/login');
      await page.getByLabel('Tên đăng nhập').fill(username);
      await page.getByLabel('Mật khẩu').fill(typed);
      const [response] = await Promise.all([
        page.waitForResponse((r) => r.url().endsWith('/login') && r.request().method() === 'POST'),
        page.getByRole('button', { name: 'Đăng nhập' }).click(),
      ]);
      await page.waitForLoadState();
      return { status: response.status(), message: (await page.getByRole('alert').textContent()).trim() };
    };
    const wrong = [];
    for (let i = 0; i < 5; i += 1) wrong.push(await attempt(`wrong password number ${i}`));
    for (const answer of wrong) assert.deepEqual(answer, wrong[0]);
    assert.equal(wrong[0].status, 401);
    assert.match(wrong[0].message, /không đúng/);

    const right = await attempt(password);
    assert.deepEqual(right, wrong[0], 'a locked account answers like a wrong password');
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal((await context.cookies()).some((c) => c.name === '__Host-binhan_session'), false);
    assert.equal(await page.getAttribute('#username', 'value'), username, 'the username is kept');
  } finally {
    await context.close();
  }
});
