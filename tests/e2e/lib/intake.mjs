// The intake in steps (issue 16), for the browser tests: press a step's button
// and wait for the next step, whether it comes as a new page (without scripts)
// or as <main> replaced by app.js (a form with data-swap); and take a whole
// report through the five steps.
import { press } from './pages.mjs';

/** The labels of the two questions asked first. */
export const DANGER = 'Có người đang gặp nguy hiểm ngay bây giờ (đêm nay)';
export const CHILD = 'Có trẻ em gặp nguy hiểm hoặc đang ở cùng người bị bạo lực';

/**
 * Presses the intake's button called `name` (a string or a pattern) and waits for the step it shows.
 * @param {import('playwright-core').Page} page
 */
export async function step(page, name) {
  await page.locator('#intake-form').evaluate((form) => { form.dataset.stale = '1'; });
  await page.getByRole('button', { name, exact: true }).click();
  await page.locator('#intake-form:not([data-stale])').waitFor();
}

/** Unfolds the list of the consents' purposes (folded until something is ticked). */
export async function openConsents(page) {
  await page.locator('summary', { hasText: 'Người bị bạo lực đồng ý cho' }).click();
}

/** Unfolds the risk checklist (folded until something is ticked). */
export async function openRisks(page) {
  await page.locator('summary', { hasText: 'Các yếu tố nguy cơ' }).click();
}

/** The step shown (its code). */
export async function currentStep(page) {
  return page.locator('#intake-form').getAttribute('data-step');
}

/**
 * Takes a report from the form's first step to its save; `onStep(code)` runs on
 * each step once it is filled (a screenshot, a check).
 * @param {import('playwright-core').Page} page
 * @param {{ name: string, ageGroup?: string, commune?: string, phone?: string, danger?: boolean,
 *   child?: boolean, form?: string, relationship?: string, safeContact?: string,
 *   risks?: string[], purposes?: string[], givers?: string[], onStep?: (code: string) => Promise<void> }} report
 */
export async function takeReport(page, report) {
  const onStep = report.onStep ?? (async () => {});
  if (report.danger) await page.getByLabel(DANGER).check();
  if (report.child) await page.getByLabel(CHILD).check();
  await page.locator('#report_source').selectOption('village_head');
  await page.locator('#report_channel').selectOption('phone');
  await page.locator('#commune_code').selectOption(report.commune ?? '18073');
  await page.locator('#survivor-full_name').fill(report.name);
  await page.locator('#survivor-age_group').selectOption(report.ageGroup ?? '25-59');
  if (report.phone) await page.locator('#survivor-phone').fill(report.phone);
  await onStep('person');
  await step(page, 'Tiếp');
  // A case found by the duplicate check (a name used again by another test):
  // the report is a new one.
  if (await currentStep(page) === 'person') await step(page, 'Vẫn tạo hồ sơ mới');

  await page.getByLabel(report.form ?? 'Bạo lực thể chất').check();
  await onStep('incident');
  await step(page, 'Tiếp');

  await page.locator('#perpetrator-relationship').selectOption(report.relationship ?? 'spouse');
  await onStep('perpetrator');
  await step(page, 'Tiếp');

  if (report.safeContact) await page.locator('#survivor-safe_contact').fill(report.safeContact);
  if (report.risks?.length) await openRisks(page);
  for (const risk of report.risks ?? []) await page.getByLabel(risk, { exact: true }).check();
  if (report.purposes?.length) await openConsents(page);
  for (const purpose of report.purposes ?? []) await page.getByLabel(purpose, { exact: true }).check();
  for (const giver of report.givers ?? []) {
    await page.locator('#consent_givers').getByLabel(giver, { exact: true }).check();
  }
  await onStep('safety');
  await step(page, 'Tiếp');

  await onStep('review');
  await press(page, 'Lưu hồ sơ');
}
