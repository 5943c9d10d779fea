// A bed for tonight, on phones (journeys 1 and 2): the demo social worker (hanh)
// takes a report through the intake page, records the woman's consent to go to a
// safe house, looks at the free places (Cô Mai's trusted address among them) and
// asks Cô Mai's house for beds for her and her son (6–11). Cô Mai (mai) accepts
// with one tap and checks them in: only now does her phone show the woman's name.
// The worker's board shows two places fewer. Cô Mai checks them out ("with
// relatives"); the name is gone from her screen and the places are free again.
// Each new page passes axe; screenshots in tests/e2e/artifacts/placement-*.png.
// Everything is made through the pages; the demo's own cases may hold beds too,
// so the board is read before and compared after.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, test } from 'node:test';

import { ARTIFACTS, VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { takeReport } from './lib/intake.mjs';
import { checkPage, follow, press, signIn, unfold } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

const SURVIVOR = 'Phan Thị Mỹ Duyên'; // fictional
const ALIAS = 'Chị Mây';
const HOUSE = 'Địa chỉ tin cậy Trần Phú';

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
const check = (page, name) => checkPage(page, `placement-${name}`, ['Duyên', ALIAS]);

/** Free places in Cô Mai's house on the availability board, opened from the navigation. */
async function freeInMaisHouse(page, name) {
  await follow(page, 'Chỗ trống');
  await page.waitForURL('**/safe-houses');
  const row = page.locator('tr', { hasText: HOUSE });
  const text = await row.locator('.free').textContent();
  const [, free, capacity] = text.match(/(\d+) \/ (\d+) chỗ trống/);
  assert.equal(Number(capacity), 3, 'Cô Mai has three beds');
  assert.ok(!(await page.locator('main').textContent()).includes('Hà Huy Tập'), 'the board shows no address');
  if (name) await check(page, name);
  return Number(free);
}

/** The placement of ALIAS in a section of Cô Mai's board. */
function placementIn(page, section) {
  return page.locator(`#${section} article`, { hasText: ALIAS });
}

test('a worker asks for a bed on her phone; the house accepts, checks in and out; the board follows', async () => {
  const worker = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  const { page } = worker;
  await signIn(page, accounts.social_worker);
  await follow(page, 'Tiếp nhận');
  await page.waitForURL('**/cases/new');
  await takeReport(page, { name: SURVIVOR, danger: true, phone: '0912 000 222' });
  const caseUrl = new URL(page.url()).pathname;
  assert.match(caseUrl, /^\/cases\/[0-9a-f-]{36}$/);

  await unfold(page, 'consents');
  await page.locator('#consent-purpose').selectOption('placement');
  await page.locator('#consent-given_by').selectOption('survivor');
  await press(page, 'Ghi nhận sự đồng ý');
  await page.getByText('Đã ghi nhận sự đồng ý.').waitFor();

  const freeBefore = await freeInMaisHouse(page, 'board');
  assert.ok(freeBefore >= 2, `two places are free in Cô Mai's house (${freeBefore})`);

  await page.goto(caseUrl);
  const house = await page.locator('#placement-safe_house_id option', { hasText: HOUSE }).getAttribute('value');
  await unfold(page, 'placements');
  await page.locator('#placement-safe_house_id').selectOption(house);
  await page.getByLabel('Tên gọi').fill(ALIAS);
  await page.getByLabel('Số trẻ đi cùng: 6–11 tuổi').fill('1');
  await page.getByLabel('Nhu cầu').fill('Khám sức khỏe; quần áo cho bé trai');
  await press(page, 'Gửi đề nghị');
  await page.getByText('Đã gửi đề nghị bố trí tạm lánh.').waitFor();
  const asked = page.locator('#placements article', { hasText: HOUSE });
  await asked.getByText('Chờ nhận').waitFor();
  await check(page, 'requested');
  // The case page is long: its placements section alone, to look at.
  await page.locator('#placements').screenshot({ path: path.join(ARTIFACTS, 'placement-case-section.png') });

  const staff = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  try {
    const mai = staff.page;
    await signIn(mai, accounts.safe_house_staff);
    assert.ok((await mai.locator('main').textContent()).includes(HOUSE), 'her home names her house');
    await check(mai, 'staff-home');
    await follow(mai, 'Bảng theo dõi');
    await mai.waitForURL('**/placements');
    const request = placementIn(mai, 'requests');
    await request.getByText('6–11 tuổi').waitFor();
    assert.ok(!(await mai.locator('main').textContent()).includes(SURVIVOR), 'no name before acceptance');
    await check(mai, 'staff-board');

    await press(mai, 'Nhận', request);
    await mai.getByText('Đã nhận. Chỗ được giữ').waitFor();
    const held = placementIn(mai, 'holds');
    await held.getByText(SURVIVOR).waitFor();
    await held.getByText('Giữ chỗ đến').waitFor();
    await press(mai, 'Tiếp nhận vào', held);
    await mai.getByText('Đã tiếp nhận vào.').waitFor();
    const staying = placementIn(mai, 'residents');
    await staying.getByText(SURVIVOR).waitFor();
    await check(mai, 'staff-staying');

    const freeWhileStaying = await freeInMaisHouse(page, 'board-staying');
    assert.equal(freeWhileStaying, freeBefore - 2, 'she and her son take two places');
    await page.goto(caseUrl);
    await page.locator('#placements').getByText('Số 7 ngõ 12 đường Hà Huy Tập, phường Trần Phú').waitFor();

    await staying.getByLabel('Nơi đến sau khi rời đi').selectOption('with_relatives');
    await press(mai, 'Cho rời đi', staying);
    await mai.getByText('Đã ghi nhận rời đi.').waitFor();
    assert.ok(!(await mai.locator('main').textContent()).includes(SURVIVOR), 'the name is gone after check-out');
    await mai.locator('#past li', { hasText: ALIAS }).getByText(/Về ở với người thân/).waitFor();
    await check(mai, 'staff-left');
    assert.deepEqual(staff.problems, [], 'no console errors for the staff');
  } finally {
    await staff.context.close();
  }

  assert.equal(await freeInMaisHouse(page), freeBefore, 'the places are free again');
  assert.deepEqual(worker.problems, [], 'no console errors, failed scripts or CSP violations');
  await worker.context.close();
});
