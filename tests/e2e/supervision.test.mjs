// A supervisor's and a worker's view of the work on a 360×740 phone (issue 15,
// items 6–9): the approvals list says what is asked and why, the supervisor
// approves from the case page, the worker reopens the closed case with a reason
// the timeline shows, every record names who recorded it, and the edit form
// corrects the birth date and the forms of violence. Each new page passes axe;
// screenshots in tests/e2e/artifacts/supervision-*.png.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { takeReport } from './lib/intake.mjs';
import { checkPage, press, signIn } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';

const SURVIVOR = 'Phan Thị Ngọc Ánh'; // fictional
const REQUEST = 'Em đã về ở với bà ngoại, an toàn.';
const REOPEN = 'Người có hành vi bạo lực quay lại nhà tối qua.';

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

/** Goes to `path` once the page before it has finished loading (its icon too). */
async function visit(page, path) {
  await page.waitForLoadState('networkidle');
  await page.goto(path);
}

const check = (page, name) => checkPage(page, `supervision-${name}`, ['Ánh', 'Ngọc']);

test('a closure asked for a child is approved from the case page, then reopened with a reason and corrected', async () => {
  const worker = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  const { page } = worker;
  await signIn(page, accounts.social_worker);
  await visit(page, '/cases/new');
  await takeReport(page, { name: SURVIVOR, ageGroup: '12-15', form: 'Bạo lực tinh thần', relationship: 'step_parent' });
  const caseUrl = new URL(page.url()).pathname;
  const number = (await page.title()).split(' ').pop();

  await page.locator('#close-closure_reason').selectOption('safe_and_stable');
  await page.locator('#close-comment').fill(REQUEST);
  await press(page, 'Đề nghị đóng hồ sơ');
  await page.getByText('Đề nghị đóng hồ sơ đang chờ cán bộ giám sát phê duyệt.').waitFor();

  const supervisor = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.phone });
  try {
    const sp = supervisor.page;
    await signIn(sp, accounts.supervisor);
    await visit(sp, '/approvals');
    const request = sp.locator('section', { hasText: number });
    const text = await request.textContent();
    for (const shown of [REQUEST, number, 'Phường Thành Sen', '12–15 tuổi', 'Mức độ nguy cơ', 'Hạn quyết định']) {
      assert.ok(text.includes(shown), `the request shows ${shown}: ${text}`);
    }
    await check(sp, 'approvals');

    await visit(sp, caseUrl);
    const approvals = sp.locator('#approvals');
    await approvals.getByLabel('Nhận xét của cán bộ giám sát').fill('Đồng ý đóng.');
    await check(sp, 'case-decide');
    await press(sp, 'Phê duyệt', approvals);
    await sp.getByText('Đã phê duyệt.').waitFor();
    assert.match(await sp.locator('#summary').textContent(), /Đã đóng/);
    assert.deepEqual(supervisor.problems, [], 'no console errors for the supervisor');
  } finally {
    await supervisor.context.close();
  }

  await visit(page, caseUrl);
  const actions = page.locator('#actions');
  assert.ok(!(await actions.textContent()).includes('Chuyển sang:'), 'no bare step button on a closed case');
  assert.equal(await page.locator('#reopen-reason').getAttribute('required'), '', 'the reason is required');
  await page.locator('#reopen-reason').fill(REOPEN);
  await check(page, 'closed');
  await press(page, 'Mở lại hồ sơ', actions);
  await page.getByText('Đã mở lại hồ sơ.').waitFor();
  const timeline = await page.locator('#timeline').textContent();
  assert.ok(timeline.includes(REOPEN) && timeline.includes('Mở lại hồ sơ'), timeline);
  for (const id of ['#timeline', '#approvals']) {
    assert.match(await page.locator(id).textContent(), /Người ghi: \S/, `${id} names who recorded it`);
  }

  const edit = page.locator('#edit');
  // The correction form is folded under its name until asked for.
  await edit.getByText('Sửa thông tin hồ sơ', { exact: true }).click();
  await page.locator('#edit-survivor-birth_date').fill('2016-05-20');
  await edit.getByLabel('Bạo lực tinh thần').uncheck();
  await edit.getByLabel('Bạo lực thể chất').check();
  await check(page, 'edit');
  await press(page, 'Lưu thay đổi', edit);
  await page.getByText('Đã lưu thay đổi.').waitFor();
  assert.match(await page.locator('#summary').textContent(), /6–11 tuổi/);
  const incident = await page.locator('#incident').textContent();
  assert.ok(incident.includes('Bạo lực thể chất') && !incident.includes('Bạo lực tinh thần'), incident);
  assert.match(await page.locator('#survivor').textContent(), /20\/05\/2016/);
  await check(page, 'corrected');
  assert.deepEqual(worker.problems, [], 'no console errors, failed scripts or CSP violations');
  await worker.context.close();
});
