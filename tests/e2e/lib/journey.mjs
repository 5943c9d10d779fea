// Counts what a person does in a journey: the pages the browser loads, the fields
// she fills and the taps (buttons and links) she makes; and every HTML answer the
// browser receives meanwhile (whole pages and the parts a save swaps in), with how
// it came compressed. The test does the work through these helpers only, so the
// counts are what a worker's thumb would do.
import assert from 'node:assert/strict';

/**
 * Starts counting on `page`.
 * @param {import('playwright-core').Page} page
 */
export function countJourney(page) {
  const counts = { loads: 0, fields: 0, taps: 0 };
  /** @type {{ path: string, kind: string, encoding: string, bytes: number }[]} */
  const answers = [];
  const pending = [];
  const onLoad = () => {
    counts.loads += 1;
  };
  const onResponse = (response) => {
    const request = response.request();
    const kind = request.resourceType();
    if (!['document', 'fetch'].includes(kind)) return;
    if (!(response.headers()['content-type'] || '').startsWith('text/html')) return;
    if (response.status() >= 300 && response.status() < 400) return;
    pending.push(
      request.sizes().then((sizes) => {
        answers.push({
          path: new URL(response.url()).pathname,
          kind,
          encoding: response.headers()['content-encoding'] || 'none',
          bytes: sizes.responseBodySize,
        });
      }),
    );
  };
  page.on('load', onLoad);
  page.on('response', onResponse);

  return {
    counts,
    /** Fills a text field. */
    async fill(locator, value) {
      await locator.fill(value);
      counts.fields += 1;
    },
    /** Chooses an option of a list. */
    async choose(locator, option) {
      await locator.selectOption(option);
      counts.fields += 1;
    },
    /** Ticks a box. */
    async tick(locator) {
      await locator.check();
      counts.fields += 1;
    },
    /** Taps something that changes the page in place (a folded part, a link within the page). */
    async open(locator) {
      await locator.click();
      counts.taps += 1;
    },
    /** Taps a button or a link and waits for what it leads to: a page or a swapped part. */
    async tap(locator) {
      const before = await page.evaluate(() => Number(document.documentElement.dataset.swaps || 0));
      // A navigation destroys the page the swap is watched in: whichever comes first
      // is what the tap led to, and the other one's failure means nothing.
      const never = new Promise(() => {});
      const navigated = page.waitForEvent('load').catch(() => never);
      const swapped = page
        .waitForFunction((n) => Number(document.documentElement.dataset.swaps || 0) > n, before)
        .catch(() => never);
      await locator.click();
      counts.taps += 1;
      let timer;
      const late = new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('the tap led to no page and no swap in 30 s')), 30000);
      });
      await Promise.race([navigated, swapped, late]).finally(() => clearTimeout(timer));
    },
    /** Stops counting; every HTML answer with its encoding and size on the wire. */
    async stop() {
      page.off('load', onLoad);
      page.off('response', onResponse);
      await Promise.all(pending);
      return answers;
    },
  };
}

/** Every HTML answer came gzip'd and at most `limit` bytes on the wire. */
export function assertLight(answers, limit) {
  assert.ok(answers.length > 0, 'no HTML answer was seen');
  for (const { path, kind, encoding, bytes } of answers) {
    assert.equal(encoding, 'gzip', `${kind} ${path} came ${encoding}`);
    assert.ok(bytes <= limit, `${kind} ${path}: ${bytes} bytes compressed, over ${limit}`);
  }
}
