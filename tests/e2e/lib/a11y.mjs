// Accessibility check with axe-core: the WCAG 2 A and AA rules (colour contrast and
// form labels among them) plus the landmark rules, which axe files under "best
// practice". A test fails with the list of violations.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const AXE_SCRIPT = require.resolve('axe-core/axe.min.js');

const LANDMARK_RULES = [
  'region',
  'landmark-one-main',
  'landmark-unique',
  'landmark-banner-is-top-level',
  'landmark-contentinfo-is-top-level',
  'landmark-main-is-top-level',
  'landmark-no-duplicate-banner',
  'landmark-no-duplicate-contentinfo',
  'landmark-no-duplicate-main',
  'page-has-heading-one',
  'skip-link',
];

/** Rules that must have run (passed or found nothing to check), or the check is void. */
const MUST_RUN = ['color-contrast', 'label', 'html-has-lang', 'document-title', 'region', 'landmark-one-main'];

/**
 * Makes axe available in every page of `context`. The pages' CSP (script-src 'self')
 * rightly refuses the inline <script> that page.addScriptTag({path}) inserts, and
 * the tests must not switch the CSP off (bypassCSP) since it is part of what they
 * check; an init script runs in every new document outside the page's CSP.
 * @param {import('playwright-core').BrowserContext} context
 */
export function enableAxe(context) {
  return context.addInitScript({ path: AXE_SCRIPT });
}

/** Runs axe on the page as it is now and returns its results. */
export async function runAxe(page) {
  const loaded = await page.evaluate(() => typeof window.axe === 'object');
  assert.ok(loaded, 'axe is not loaded: open the page with openPage() or call enableAxe(context) first');
  return page.evaluate(
    ([rules]) =>
      window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa'] },
        rules: Object.fromEntries(rules.map((id) => [id, { enabled: true }])),
        resultTypes: ['violations', 'incomplete'],
      }),
    [LANDMARK_RULES],
  );
}

export function describeViolations(violations) {
  return violations
    .map((v) => {
      const nodes = v.nodes.map((n) => `    at ${n.target.join(' ')}: ${n.failureSummary?.replace(/\s+/g, ' ')}`).join('\n');
      return `  ${v.id} (${v.impact}): ${v.help}\n${nodes}`;
    })
    .join('\n');
}

/** Fails the test, listing every violation, unless axe finds none. */
export async function assertAccessible(page, label) {
  const results = await runAxe(page);
  const ran = new Set([...results.passes, ...results.violations, ...results.incomplete, ...results.inapplicable].map((r) => r.id));
  for (const id of MUST_RUN) assert.ok(ran.has(id), `${label}: axe did not run ${id}`);
  assert.equal(results.violations.length, 0, `${label}: axe found violations:\n${describeViolations(results.violations)}`);
  // Contrast that axe could not decide (text over an image, say) needs a look.
  const unsure = results.incomplete.filter((r) => r.id === 'color-contrast');
  assert.equal(unsure.length, 0, `${label}: contrast axe could not check:\n${describeViolations(unsure)}`);
  return results;
}
