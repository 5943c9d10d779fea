// Issue 15 item 10, on a phone: the demo social worker asks Cô Mai's house
// (Địa chỉ tin cậy Trần Phú) for a bed for a woman, then asks another house for
// the same case. The second request is refused on the case page with a message
// naming the open placement's house and status and the way to move her; what
// she typed is kept, and nothing is added to the case's placements.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { takeReport } from './lib/intake.mjs';
import { checkPage, press, signIn, unfold } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

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

test('a second placement request for one case is refused, naming the open placement\'s house and status', async () => {
  const worker = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  const { page } = worker;
  await signIn(page, accounts.social_worker);
  await page.goto('/cases/new');
  await takeReport(page, { name: 'Võ Thị Một Chỗ' });
  await unfold(page, 'consents');
  await page.locator('#consent-purpose').selectOption('placement');
  await page.locator('#consent-given_by').selectOption('survivor');
  await press(page, 'Ghi nhận sự đồng ý');
  await page.getByText('Đã ghi nhận sự đồng ý.').waitFor();

  const options = page.locator('#placement-safe_house_id option');
  const mine = await options.filter({ hasText: HOUSE }).getAttribute('value');
  await unfold(page, 'placements');
  await page.locator('#placement-safe_house_id').selectOption(mine);
  await page.getByLabel('Tên gọi').fill('Chị Một');
  await press(page, 'Gửi đề nghị');
  await page.getByText('Đã gửi đề nghị bố trí tạm lánh.').waitFor();

  const values = await options.evaluateAll((all) => all.map((o) => o.value).filter((v) => v));
  const other = values.find((v) => v !== mine);
  await unfold(page, 'placements');
  await page.locator('#placement-safe_house_id').selectOption(other);
  await page.getByLabel('Tên gọi').fill('Chị Một');
  await press(page, 'Gửi đề nghị');
  const alert = page.locator('#placements [role="alert"]');
  assert.match(
    await alert.textContent(),
    /Hồ sơ này đã có một lượt tạm lánh đang mở \(trạng thái: Chờ nhận\)/,
  );
  assert.ok((await alert.textContent()).includes(`Lượt tạm lánh đó ở ${HOUSE}.`), 'the house is named to her');
  assert.match(await alert.textContent(), /“Chuyển nơi khác”/);
  assert.equal(await page.getByLabel('Tên gọi').inputValue(), 'Chị Một', 'what she typed is kept');
  assert.equal(await page.locator('#placements article').count(), 1, 'one placement, the open one');
  await checkPage(page, 'placement-open-already', ['Một']);
  await worker.context.close();
});
