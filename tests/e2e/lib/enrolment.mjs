// Two people to open a door (issue 17), in a real browser: a supervisor confirms an
// account change and reads its one-time enrolment code; the account's owner enrols
// with it from the sign-in page.
import assert from 'node:assert/strict';

import { openPage } from './browser.mjs';
import { follow, press, signIn } from './pages.mjs';

/**
 * The supervisor confirms the waiting change of `username` on her page and reads
 * the enrolment code shown once. `check(page, name)` runs on each page.
 */
export async function confirmChange(browser, options, supervisor, username, check) {
  const session = await openPage(browser, options);
  try {
    const { page } = session;
    await signIn(page, supervisor);
    assert.ok((await page.locator('#home-account-changes').textContent()).includes(`(${username})`), 'her home page tells her');
    await follow(page, 'Thay đổi tài khoản');
    if (check) await check(page, 'account-changes');
    await press(page, `Xác nhận (${username})`);
    await page.getByRole('heading', { name: 'Đã xác nhận: mã kích hoạt' }).waitFor();
    if (check) await check(page, 'account-code');
    const code = (await page.locator('#enrolment-code').textContent()).trim();
    assert.match(code, /^[a-z0-9]{4}(-[a-z0-9]{4}){3}$/);
    assert.deepEqual(session.problems, []);
    return code;
  } finally {
    await session.context.close();
  }
}

/** The owner enrols with her code: from the sign-in page's link to /enrol. */
export async function enrol(page, username, code, password, check) {
  await page.goto('/login');
  await Promise.all([page.waitForURL((url) => url.pathname === '/enrol'), page.getByRole('link', { name: /Kích hoạt tài khoản/ }).click()]);
  if (check) await check(page, 'enrol');
  await page.locator('#username').fill(username);
  await page.locator('#code').fill(code);
  await page.locator('#new_password').fill(password);
  await page.locator('#repeat_password').fill(password);
  await press(page, 'Kích hoạt và đăng nhập');
}
