// Closing the year (journey 4): Bà Thu, a member of the provincial Committee for
// the Advancement of Women, signs in to the demo. Her home page names the next
// report due; the statistics page shows the deadline and charts; she opens the
// 6-month report and downloads it as CSV and as XLSX. Every figure of the cases
// by commune — the hidden ones ("ẩn") included — is the same in both files as on
// the page. No page names a person. Each page passes axe; screenshots in
// tests/e2e/artifacts/report-*.png.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, test } from 'node:test';

import { VIEWPORTS, launchBrowser, openPage } from './lib/browser.mjs';
import { checkPage, follow, signIn } from './lib/pages.mjs';
import { demoAccounts, startServer } from './lib/server.mjs';
import { readSheet } from './lib/xlsx.mjs';

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

/** Rows of a figures table on the page: label → the texts of its cells. */
async function tableOnPage(page, id) {
  return page.locator(`table[data-table="${id}"] tbody tr`).evaluateAll((rows) =>
    rows.map((row) => [row.querySelector('th').textContent.trim(), [...row.querySelectorAll('td')].map((td) => td.textContent.trim())]),
  );
}

/** A CSV's lines as arrays of fields (quoted fields may hold commas). */
function parseCsv(text) {
  const rows = [];
  for (const line of text.replace(/^\uFEFF/, '').split(/\r?\n/).filter(Boolean)) {
    const fields = [];
    let field = '';
    let quoted = false;
    for (let i = 0; i < line.length; i += 1) {
      const c = line[i];
      if (quoted && c === '"' && line[i + 1] === '"') { field += '"'; i += 1; }
      else if (c === '"') quoted = !quoted;
      else if (c === ',' && !quoted) { fields.push(field); field = ''; }
      else field += c;
    }
    fields.push(field);
    rows.push(fields);
  }
  return rows;
}

async function download(page, linkName) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: linkName }).click()]);
  return readFile(await file.path());
}

test('a committee member sees the deadline and charts, opens the 6-month report and downloads the same figures', async () => {
  const { page, problems } = await openPage(browser, { baseURL: server.url, viewport: VIEWPORTS.desktop });
  const thu = accounts.committee_member;
  await signIn(page, thu);
  await page.getByRole('heading', { name: 'Báo cáo sắp đến hạn' }).waitFor();
  assert.match(await page.locator('main').textContent(), /hạn nộp trước ngày \d\d\/\d\d\/\d{4}/);

  await follow(page, 'Thống kê, báo cáo');
  await page.waitForURL('**/reports');
  assert.ok((await page.locator('img.chart').count()) >= 2, 'the dashboard shows charts');
  assert.match(await page.locator('.deadline').textContent(), /hạn nộp trước ngày/);
  await checkPage(page, 'report-dashboard', []);

  await page.getByRole('link', { name: /^Báo cáo 6 tháng năm \d{4}$/ }).first().click();
  await page.waitForURL(/\/reports\/half-year\/\d{4}$/);
  assert.ok((await page.locator('img.chart').count()) >= 2, 'the report shows charts');
  await checkPage(page, 'report-half-year', []);
  const title = await page.locator('#heading-cases_by_commune').textContent();
  const onPage = await tableOnPage(page, 'cases_by_commune');
  assert.ok(onPage.length > 60, 'every commune has a row');
  assert.ok(onPage.some(([, cells]) => cells[0] === 'ẩn'), 'small figures are hidden');
  assert.ok(onPage.some(([, cells]) => /^\d+$/.test(cells[0])), 'other figures are shown');

  const csv = parseCsv((await download(page, 'Tải về CSV')).toString('utf8'));
  assert.deepEqual(csv[0], ['Bảng', 'Dòng', 'Cột', 'Số liệu']);
  const inCsv = new Map(csv.filter((r) => r[0] === title).map((r) => [r[1], r[3]]));
  for (const [label, cells] of onPage) assert.equal(inCsv.get(label), cells[0], `CSV: ${label}`);

  const sheet = readSheet(await download(page, 'Tải về XLSX'));
  const start = sheet.findIndex((row) => row[0] === title);
  assert.ok(start >= 0, 'the XLSX has the table');
  const inSheet = new Map(sheet.slice(start + 2, start + 2 + onPage.length).map((row) => [row[0], row[1]]));
  for (const [label, cells] of onPage) assert.equal(inSheet.get(label), cells[0], `XLSX: ${label}`);

  assert.deepEqual(problems, []);
});
