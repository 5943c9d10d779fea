// Issue 15, items 11, 12 and 14, on a phone (360×740): Cô Mai's board shows the
// demo's hold that ran out under "Hết hạn giữ chỗ", with no check-in button; a
// woman asked for by Chị Hạnh is accepted and checked in, Cô Mai writes a note
// during her stay and Chị Hạnh reads it on the case page; each role's home page
// shows that role's work and promises nothing "when ready". Every new page fits
// the phone and passes axe; screenshots in tests/e2e/artifacts/stay-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { takeReport } from './lib/intake.mjs';
import { checkPage, press, signIn, unfold } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

const SURVIVOR = 'Lò Thị Hạnh Dung'; // fictional
const ALIAS = 'Chị Dung';
const HOUSE = 'Địa chỉ tin cậy Trần Phú';
const EXPIRED_ALIAS = 'Chị Thu'; // the demo's hold that ran out
const NOTE = 'Chị ngủ được; sáng nay đau tay, cần đưa đi khám.';
const PLACEHOLDERS = [/khi sẵn sàng/i, /sẽ có/i, /when (it is )?ready/i];

let server;
let browser;
let accounts;

before(async () => {
  // The demo seeds two years of cases first: slower on a busy machine.
  server = await startServer({ readyWithinMs: 180_000 });
  browser = await launchBrowser();
  accounts = demoAccounts(server.output());
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const check = (page, name) => checkPage(page, `stay-${name}`, [SURVIVOR, ALIAS, 'Thu']);

/** Problems on a page, but for the icon's request that a quick navigation cuts off. */
const real = (problems) => problems.filter((p) => !/favicon\.svg.*ERR_ABORTED/.test(p));

async function phone(account) {
  const opened = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  await signIn(opened.page, account);
  return opened;
}

test('the house board shows an expired hold as expired, with no check-in button', async () => {
  const { page, context, problems } = await phone(accounts.safe_house_staff);
  await page.goto('/placements');
  const expired = page.locator('#expired');
  await expired.getByRole('heading', { name: 'Hết hạn giữ chỗ', exact: true }).waitFor();
  const hold = expired.locator('article', { hasText: EXPIRED_ALIAS });
  await hold.getByText('Hết hạn giữ chỗ lúc').waitFor();
  assert.equal(await hold.getByRole('button', { name: 'Tiếp nhận vào' }).count(), 0, 'no check-in on a hold that ran out');
  assert.equal(await hold.getByRole('button', { name: 'Giữ chỗ lại' }).count(), 1, 'the places can be held again');
  assert.equal(await page.locator('#holds article', { hasText: EXPIRED_ALIAS }).count(), 0, 'not among the holds still running');
  await check(page, 'expired-board');
  assert.deepEqual(real(problems), []);
  await context.close();
});

test('staff write a note during a stay and the worker reads it on the case page', async () => {
  const worker = await phone(accounts.social_worker);
  const { page } = worker;
  await page.goto('/cases/new');
  await takeReport(page, { name: SURVIVOR });
  const caseUrl = new URL(page.url()).pathname;
  await unfold(page, 'consents');
  await page.locator('#consent-purpose').selectOption('placement');
  await page.locator('#consent-given_by').selectOption('survivor');
  await press(page, 'Ghi nhận sự đồng ý');
  const house = await page.locator('#placement-safe_house_id option', { hasText: HOUSE }).getAttribute('value');
  await unfold(page, 'placements');
  await page.locator('#placement-safe_house_id').selectOption(house);
  await page.getByLabel('Tên gọi').fill(ALIAS);
  await press(page, 'Gửi đề nghị');
  await page.getByText('Đã gửi đề nghị bố trí tạm lánh.').waitFor();

  const staff = await phone(accounts.safe_house_staff);
  const mai = staff.page;
  await mai.goto('/placements');
  await press(mai, 'Nhận', mai.locator('#requests article', { hasText: ALIAS }));
  await press(mai, 'Tiếp nhận vào', mai.locator('#holds article', { hasText: ALIAS }));
  const staying = mai.locator('#residents article', { hasText: ALIAS });
  await staying.getByLabel('Ghi chú mới').fill(NOTE);
  await press(mai, 'Lưu ghi chú', staying);
  await mai.getByText('Đã lưu ghi chú.').waitFor();
  await mai.locator('#residents article', { hasText: ALIAS }).getByText(NOTE).waitFor();
  await check(mai, 'note-board');
  assert.deepEqual(real(staff.problems), []);
  await staff.context.close();

  await page.goto(caseUrl);
  const placement = page.locator('#placements article', { hasText: HOUSE });
  await placement.getByText(NOTE).waitFor();
  await placement.getByText('Ghi chú trong thời gian tạm lánh').waitFor();
  await page.locator('#placements').scrollIntoViewIfNeeded();
  await check(page, 'note-case');
  assert.deepEqual(real(worker.problems), []);
  await worker.context.close();
});

test("each role's home page shows its work and no placeholder", async () => {
  const expected = {
    social_worker: async (page) => {
      await page.locator('#home-deadlines').getByRole('heading', { name: 'Việc cần làm ngay' }).waitFor();
      assert.ok((await page.locator('#home-deadlines a[href^="/cases/"]').count()) > 0, 'her cases due, linked by number');
    },
    supervisor: async (page) => {
      const waiting = page.locator('#home-approvals');
      await waiting.getByText(/\d+ yêu cầu đang chờ bạn phê duyệt/).waitFor();
      assert.ok((await waiting.locator('li a[href^="/cases/"]').count()) > 0, 'the first requests, linked');
      await page.locator('#home-deadlines').waitFor();
    },
    safe_house_staff: async (page) => {
      const house = page.locator('#home-house');
      await house.getByRole('link', { name: /đề nghị đang chờ nhận/ }).waitFor();
      await house.getByRole('link', { name: /người đang ở/ }).waitFor();
      await house.getByRole('link', { name: /chỗ giữ đã hết hạn/ }).waitFor();
    },
    committee_member: async (page) => {
      await page.locator('#home-report').getByRole('heading', { name: 'Báo cáo sắp đến hạn' }).waitFor();
    },
    admin: async (page) => {
      const admin = page.locator('#home-admin');
      await admin.getByRole('link', { name: 'Tài khoản người dùng' }).waitFor();
      await admin.getByRole('link', { name: 'Nơi tạm lánh' }).waitFor();
    },
  };
  for (const [role, shows] of Object.entries(expected)) {
    const { page, context, problems } = await phone(accounts[role]);
    await shows(page);
    const text = await page.locator('main').textContent();
    for (const words of PLACEHOLDERS) assert.ok(!words.test(text), `${role}'s home promises: ${words}`);
    await check(page, `home-${role}`);
    assert.deepEqual(real(problems), [], `${role}: no console errors`);
    await context.close();
  }
});
