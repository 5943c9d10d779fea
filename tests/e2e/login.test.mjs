// The sign-in page in a real browser: on a 360-px phone and a desktop, in Vietnamese
// and English; labelled fields, no sideways scroll, no axe violations, no CSP or
// script errors. Screenshots go to tests/e2e/artifacts/.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { assertAccessible } from './lib/a11y.mjs';
import { LOCALES, VIEWPORTS, fieldLabels, launchBrowser, openPage, screenshot, scrollsSideways } from './lib/browser.mjs';
import { startServer } from './lib/server.mjs';

const EXPECTED = {
  vi: {
    title: 'Bình An – Đăng nhập',
    heading: 'Đăng nhập',
    labels: { username: 'Tên đăng nhập', password: 'Mật khẩu', totp: 'Mã xác thực' },
  },
  en: {
    title: 'Bình An – Sign in',
    heading: 'Sign in',
    labels: { username: 'Username', password: 'Password', totp: 'Verification code' },
  },
};

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

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  for (const lang of ['vi', 'en']) {
    describe(`sign-in page, ${lang}, ${viewport.width}×${viewport.height}`, () => {
      test('has labelled fields, fits the screen and passes the accessibility check', async () => {
        const { context, page, problems } = await openPage(browser, { baseURL: server.url, viewport, locale: LOCALES[lang] });
        try {
          const response = await page.goto('/');
          assert.equal(response.status(), 200);
          assert.equal(new URL(page.url()).pathname, '/login', '/ leads someone not signed in to /login');
          assert.equal(await page.title(), EXPECTED[lang].title);
          assert.equal(await page.getAttribute('html', 'lang'), lang);
          assert.equal((await page.locator('h1').textContent()).trim(), EXPECTED[lang].heading);
          assert.deepEqual(await fieldLabels(page), EXPECTED[lang].labels);
          assert.equal(await page.getAttribute('#username', 'autocomplete'), 'username');
          assert.equal(await page.getAttribute('#password', 'autocomplete'), 'current-password');
          assert.equal(await page.getAttribute('#totp', 'autocomplete'), 'one-time-code');
          // Recovery codes (abcde-fghjk) go into the code field too: no digits-only keyboard.
          assert.equal(await page.getAttribute('#totp', 'inputmode'), null);
          assert.equal(await scrollsSideways(page), false, 'the page scrolls sideways');
          await screenshot(page, `login-${lang}-${size}`);
          await assertAccessible(page, `login ${lang} ${size}`);
          assert.deepEqual(problems, []);
        } finally {
          await context.close();
        }
      });
    });
  }
}

test('the language switch works without JavaScript and comes back to the same page', async () => {
  const { context, page, problems } = await openPage(browser, { baseURL: server.url, javaScriptEnabled: false });
  try {
    await page.goto('/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    await page.getByRole('link', { name: 'English' }).click();
    assert.equal(new URL(page.url()).pathname, '/login');
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    assert.equal(await page.title(), EXPECTED.en.title);
    await page.getByRole('link', { name: 'Tiếng Việt' }).click();
    assert.equal(await page.getAttribute('html', 'lang'), 'vi');
    const [cookie] = (await context.cookies()).filter((c) => c.name === '__Host-lang');
    assert.equal(cookie.value, 'vi');
    assert.equal(cookie.sameSite, 'Strict');
    assert.equal(cookie.secure, true);
    assert.deepEqual(problems, []);
  } finally {
    await context.close();
  }
});

test('every control can be reached with the keyboard, with a visible focus outline', async () => {
  const { context, page } = await openPage(browser, { baseURL: server.url });
  try {
    await page.goto('/login');
    const reached = [];
    for (let i = 0; i < 12; i += 1) {
      await page.keyboard.press('Tab');
      const focus = await page.evaluate(() => {
        const el = document.activeElement;
        if (!el || el === document.body) return null;
        const style = getComputedStyle(el);
        return { id: el.id || el.textContent.trim(), outline: style.outlineStyle !== 'none' && parseFloat(style.outlineWidth) >= 2 };
      });
      if (focus) reached.push(focus);
    }
    const ids = reached.map((f) => f.id);
    for (const id of ['Chuyển đến nội dung chính', 'username', 'password', 'totp', 'Đăng nhập']) {
      assert.ok(ids.includes(id), `Tab never reaches ${id}: ${ids.join(', ')}`);
    }
    const withoutOutline = reached.filter((f) => !f.outline).map((f) => f.id);
    assert.deepEqual(withoutOutline, [], 'focused without a visible outline');
  } finally {
    await context.close();
  }
});

test('tap targets on the phone are at least 44 px high', async () => {
  const { context, page } = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  try {
    await page.goto('/login');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll('a, button, input:not([type="hidden"])')]
        .filter((el) => !el.classList.contains('skip-link'))
        .map((el) => ({ what: el.id || el.textContent.trim(), height: el.getBoundingClientRect().height }))
        .filter((t) => t.height < 44),
    );
    assert.deepEqual(small, []);
  } finally {
    await context.close();
  }
});

test('a page that does not exist shows the error page in the chosen language, accessible on the phone', async () => {
  for (const lang of ['vi', 'en']) {
    const { context, page, problems } = await openPage(browser, { baseURL: server.url, locale: LOCALES[lang] });
    try {
      const response = await page.goto('/no-such-page');
      assert.equal(response.status(), 404);
      assert.equal(await page.title(), lang === 'vi' ? 'Bình An – Không tìm thấy trang' : 'Bình An – Page not found');
      assert.equal(await scrollsSideways(page), false);
      await screenshot(page, `not-found-${lang}-phone`);
      await assertAccessible(page, `404 ${lang}`);
      // The 404 of the page itself is the only console error.
      assert.deepEqual(problems.filter((p) => !p.includes('404')), []);
    } finally {
      await context.close();
    }
  }
});
