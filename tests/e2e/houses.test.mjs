// Onboarding a safe house and its staff in a real browser, on a 360×740 phone
// (issue 15, items 3 and 4): the administrator registers a house, edits it, and
// makes a staff account by picking the house; a supervisor confirms it (issue 17)
// and hands over the one-time enrolment code; the staff member enrols with it,
// choosing her own password, then sees her house's board. Each
// page passes axe; screenshots in tests/e2e/artifacts/houses-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { LOCALES, VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { checkPage, follow, press, signIn } from './lib/pages.mjs';
import { confirmChange, enrol } from './lib/enrolment.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

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

const ADDRESS = 'Số 15 ngõ 8 đường Nguyễn Du';
const PHONE = '0239 385 6789';
const PERSONAL = ['Hoa Sen', 'Đặng Thị Hoa', ADDRESS, PHONE];

test('an administrator sets up a safe house and its staff member, who chooses her password and sees her board', async () => {
  const phone = { baseURL: server.url, viewport: VIEWPORTS.phone, locale: LOCALES.vi };
  const admin = await openPage(browser, phone);
  try {
    const { page } = admin;
    await signIn(page, accounts.admin);
    await follow(page, 'Nơi tạm lánh');
    await page.getByRole('heading', { name: 'Nơi tạm lánh và địa chỉ tin cậy' }).waitFor();
    await checkPage(page, 'houses-list', PERSONAL);

    await page.getByRole('link', { name: 'Thêm nơi tạm lánh' }).click();
    await checkPage(page, 'houses-new', PERSONAL);
    await page.getByLabel('Tên', { exact: true }).fill('Nhà tạm lánh Hoa Sen');
    await page.getByLabel('Xã, phường').selectOption('18073');
    await page.getByLabel('Loại').selectOption('community_safe_house');
    await page.getByLabel('Số chỗ').fill('4');
    await page.getByLabel('Nhận trẻ em').check();
    await page.getByLabel('Địa chỉ').fill(ADDRESS);
    await page.getByLabel('Số điện thoại').fill(PHONE);
    await press(page, 'Lưu nơi tạm lánh');
    await page.getByRole('status').filter({ hasText: 'Đã thêm nơi tạm lánh.' }).waitFor();
    const list = await page.content();
    assert.ok(list.includes('Nhà tạm lánh Hoa Sen'));
    assert.ok(!list.includes(ADDRESS) && !list.includes(PHONE), 'the list never shows the address or the phone');

    await page.getByRole('link', { name: 'Sửa (Nhà tạm lánh Hoa Sen)' }).click();
    assert.equal(await page.title(), 'Bình An – Sửa nơi tạm lánh');
    assert.ok(!(await page.content()).includes(ADDRESS), 'the edit form does not read the address back');
    await checkPage(page, 'houses-edit', PERSONAL);
    await page.getByLabel('Tên', { exact: true }).fill('Nhà tạm lánh Hoa Sen Thành Sen');
    await page.getByLabel('Số chỗ').fill('5');
    await press(page, 'Lưu nơi tạm lánh');
    await page.getByRole('status').filter({ hasText: 'Đã lưu thay đổi của nơi tạm lánh.' }).waitFor();
    assert.ok((await page.content()).includes('Nhà tạm lánh Hoa Sen Thành Sen'));

    await follow(page, 'Quản lý tài khoản');
    await page.getByRole('link', { name: 'Tạo tài khoản mới' }).click();
    await page.getByLabel('Tên đăng nhập').fill('hoa.dt');
    await page.getByLabel('Họ tên').fill('Đặng Thị Hoa');
    await page.getByLabel('Vai trò').selectOption('safe_house_staff');
    await page.getByLabel('Nhà tạm lánh', { exact: true }).selectOption({ label: 'Nhà tạm lánh Hoa Sen Thành Sen (Phường Thành Sen)' });
    await checkPage(page, 'houses-staff-form', ['Đặng Thị Hoa']);
    await press(page, 'Tạo tài khoản');
    await page.getByRole('heading', { name: 'Đang chờ cán bộ giám sát xác nhận' }).waitFor();

    await page.getByRole('link', { name: 'Quay lại danh sách' }).click();
    const row = page.locator('tr', { has: page.getByRole('rowheader', { name: 'hoa.dt' }) });
    assert.match(await row.textContent(), /Nhà tạm lánh Hoa Sen Thành Sen/, 'the list names her house');
    assert.deepEqual(admin.problems, []);
  } finally {
    await admin.context.close();
  }

  const code = await confirmChange(browser, phone, accounts.supervisor, 'hoa.dt', (p, name) => checkPage(p, `houses-${name}`, PERSONAL));
  const staff = await openPage(browser, phone);
  try {
    const { page } = staff;
    await enrol(page, 'hoa.dt', code, 'hoa sen nở giữa đầm lầy', (p) => checkPage(p, 'houses-enrol', PERSONAL));
    assert.equal(new URL(page.url()).pathname, '/');

    assert.ok((await page.content()).includes('Nhà tạm lánh Hoa Sen Thành Sen'), 'her home names her house');
    await page.getByRole('link', { name: 'Mở bảng theo dõi' }).click();
    assert.equal((await page.locator('h1').textContent()).trim(), 'Nhà tạm lánh Hoa Sen Thành Sen', 'her house\'s board');
    await checkPage(page, 'houses-staff-board', ['Đặng Thị Hoa']);
    assert.deepEqual(staff.problems, []);
  } finally {
    await staff.context.close();
  }
});
