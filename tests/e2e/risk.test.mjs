// Issue 15 item 1, on a 360×740 phone and a 1280×800 desktop: a woman reported in
// danger tonight with a child at risk is shown at high risk ("Cao") under the red
// banner and in the case list, never "Thấp"; a case nobody assessed reads "Chưa
// đánh giá" on its page and in the list. Each case is made through the intake form.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { takeReport } from './lib/intake.mjs';
import { checkPage, findInList, press, signIn } from './lib/pages.mjs';
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

/** Takes a report through the form; returns the new case's number and address. */
async function report(page, name, { danger }) {
  await page.goto('/cases/new');
  await takeReport(page, { name, danger, child: danger });
  await page.getByText('Đã lưu hồ sơ.').waitFor();
  return { number: (await page.title()).split(' ').pop(), url: new URL(page.url()).pathname };
}

/** The risk the case list shows for case `number`. */
async function listedRisk(page, number) {
  const row = await findInList(page, number);
  return (await row.locator('td[data-label="Mức độ nguy cơ"]').textContent()).trim();
}

/** The risk in the case page's summary. */
async function summaryRisk(page) {
  const row = page.locator('#summary div', { has: page.locator('dt', { hasText: 'Mức độ nguy cơ' }) });
  return (await row.locator('dd').textContent()).trim();
}

for (const [size, viewport] of Object.entries(VIEWPORTS)) {
  test(`an intake in immediate danger with a child at risk reads "Cao" on the case page and the list (${size})`, async () => {
    const worker = await openPage(browser, { baseURL: server.url, viewport });
    const { page } = worker;
    await signIn(page, accounts.social_worker);
    const { number } = await report(page, 'Hồ Thị Nguy', { danger: true });
    await page.locator('.message.error').first().waitFor();
    assert.equal(await summaryRisk(page), 'Cao');
    await checkPage(page, `risk-danger-${size}`, ['Nguy']);
    assert.equal(await listedRisk(page, number), 'Cao');
    // A navigation may abort the favicon's request: not a problem of the page.
    const problems = worker.problems.filter((p) => !p.includes('net::ERR_ABORTED'));
    assert.deepEqual(problems, [], 'no console errors');
    await worker.context.close();
  });

  test(`a case nobody assessed reads "Chưa đánh giá", never "Thấp" (${size})`, async () => {
    const worker = await openPage(browser, { baseURL: server.url, viewport });
    const { page } = worker;
    await signIn(page, accounts.social_worker);
    const { number } = await report(page, 'Hồ Thị Yên', { danger: false });
    assert.equal(await summaryRisk(page), 'Chưa đánh giá');
    assert.equal(await listedRisk(page, number), 'Chưa đánh giá');
    await page.goto('/lang/en?next=/cases');
    const row = page.locator('tr', { hasText: number });
    assert.equal((await row.locator('td[data-label="Risk level"]').textContent()).trim(), 'Not assessed');
    await page.goto('/lang/vi?next=/cases');
    await worker.context.close();
  });
}
