// A case from the night call to its closure, on a 360×740 phone (journeys 1 and 3):
// the demo social worker (hanh) takes the report of a woman in danger, assesses
// the risk (threats to kill: high), records consent, refers her to the commune
// health station, moves the case through its steps and asks to close it; the
// page says it waits for a supervisor. The demo supervisor (dung, with his
// authenticator code) approves it; back on hanh's phone the case is closed. Each
// new page passes axe; screenshots in tests/e2e/artifacts/case-*.png.
// Everything the test needs is made through the pages: it does not depend on the
// demo's own cases.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { checkPage, findInList, press, signIn } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

const SURVIVOR = 'Lê Thị Thu Trang'; // fictional

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

/** The page fits a phone, passes axe, names no one in its title; a screenshot. */
const check = (page, name) => checkPage(page, `case-${name}`, ['Trang']);

test('a social worker takes a report on her phone and takes the case to closure, approved by the supervisor', async () => {
  const worker = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  const { page } = worker;
  await signIn(page, accounts.social_worker);
  await page.getByRole('link', { name: 'Tiếp nhận', exact: true }).click();
  await page.waitForURL('**/cases/new');
  await check(page, 'intake');

  await page.getByLabel('Có người đang gặp nguy hiểm ngay bây giờ (đêm nay)').check();
  await page.locator('#report_source').selectOption('village_head');
  await page.locator('#report_channel').selectOption('phone');
  await page.locator('#commune_code').selectOption('18073');
  await page.locator('#survivor-full_name').fill(SURVIVOR);
  await page.locator('#survivor-age_group').selectOption('25-59');
  await page.locator('#survivor-phone').fill('0912 000 111');
  await page.getByLabel('Bạo lực thể chất').check();
  await page.locator('#perpetrator-relationship').selectOption('spouse');
  await page.locator('#survivor-safe_contact').fill('Không gọi số nhà; nhắn tin cho chị gái.');
  await press(page, 'Kiểm tra hồ sơ trùng');
  assert.match(await page.locator('#duplicate').textContent(), /Không tìm thấy hồ sơ nào trùng/);
  assert.equal(await page.locator('#survivor-full_name').inputValue(), SURVIVOR, 'the check keeps what was typed');
  await press(page, 'Lưu hồ sơ');
  assert.match(new URL(page.url()).pathname, /^\/cases\/[0-9a-f-]{36}$/);
  const caseUrl = new URL(page.url()).pathname;
  assert.match(await page.title(), /^Bình An – Hồ sơ 42-\d{4}-\d{5}$/);
  const number = (await page.title()).split(' ').pop();
  await page.getByText('Đã lưu hồ sơ.').waitFor();
  await page.locator('#safe-contact').getByText('Không gọi số nhà; nhắn tin cho chị gái.').waitFor();
  await check(page, 'page');

  await page.getByLabel('Đe dọa giết người bị bạo lực hoặc con').check();
  await press(page, 'Lưu đánh giá nguy cơ');
  await page.getByText('Đã lưu đánh giá nguy cơ.').waitFor();
  // In danger tonight and a threat to kill: two critical factors, above high.
  assert.match(await page.locator('#summary').textContent(), /Rất (nghiêm trọng|cao)/);

  await page.locator('#consent-purpose').selectOption('share_health');
  await page.locator('#consent-given_by').selectOption('survivor');
  await press(page, 'Ghi nhận sự đồng ý');
  await page.getByText('Đã ghi nhận sự đồng ý.').waitFor();

  await page.locator('#referral-provider_id').selectOption({ label: 'Trạm Y tế phường Thành Sen (Y tế)' });
  await press(page, 'Chuyển gửi');
  await page.getByText('Đã chuyển gửi.').waitFor();

  for (const step of ['Đánh giá', 'Lập kế hoạch', 'Thực hiện', 'Theo dõi']) {
    await press(page, `Chuyển sang: ${step}`);
    await page.getByText('Đã chuyển bước.').waitFor();
  }
  // The referral is finished before the case can close.
  await press(page, 'Đã nhận');
  await press(page, 'Đã hoàn thành');
  await page.getByText('Đã cập nhật chuyển gửi.').waitFor();

  await page.locator('#close-closure_reason').selectOption('goals_met');
  await press(page, 'Đề nghị đóng hồ sơ');
  await page.getByText('Đề nghị đóng hồ sơ đang chờ cán bộ giám sát phê duyệt.').waitFor();
  await check(page, 'waiting');

  await findInList(page, number);
  assert.ok((await page.locator('main').textContent()).includes(number), 'the case is in her list');
  assert.ok(!(await page.locator('main').textContent()).includes(SURVIVOR), 'lists show no names');
  await check(page, 'list');

  const supervisor = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.desktop });
  try {
    await signIn(supervisor.page, accounts.supervisor);
    // The demo has requests of its own waiting too: the home page counts them all.
    await supervisor.page.getByText(/\d+ yêu cầu đang chờ bạn phê duyệt/).waitFor();
    await supervisor.page.getByRole('link', { name: 'Phê duyệt', exact: true }).click();
    await supervisor.page.waitForURL('**/approvals');
    const request = supervisor.page.locator('section', { hasText: number });
    await request.getByLabel('Nhận xét của cán bộ giám sát').fill('Đã an toàn, đồng ý đóng.');
    await check(supervisor.page, 'approvals');
    await Promise.all([supervisor.page.waitForNavigation(), request.getByRole('button', { name: 'Phê duyệt', exact: true }).click()]);
    await supervisor.page.getByText('Đã phê duyệt.').waitFor();
    await supervisor.page.goto('/overview');
    await check(supervisor.page, 'overview');
    assert.deepEqual(supervisor.problems, [], 'no console errors for the supervisor');
  } finally {
    await supervisor.context.close();
  }

  await page.goto(caseUrl);
  assert.match(await page.locator('#summary').textContent(), /Đã đóng/);
  assert.match(await page.locator('#summary').textContent(), /Đã đạt mục tiêu hỗ trợ/);
  await check(page, 'closed');
  assert.deepEqual(worker.problems, [], 'no console errors, failed scripts or CSP violations');
  await worker.context.close();
});
