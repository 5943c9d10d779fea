// Debian's Chromium driven by playwright-core (no browser download), and pages that
// record every console error, failed script and CSP violation for the test to check.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';

import { enableAxe } from './a11y.mjs';
import { demoAccounts, startServer } from './server.mjs';

export const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';

export const ARTIFACTS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'artifacts');

/** A cheap phone and an ordinary desktop. */
export const VIEWPORTS = {
  phone: { width: 360, height: 740 },
  desktop: { width: 1280, height: 800 },
};

/** The browser language of each page language: what a phone set to it sends. */
export const LOCALES = { vi: 'vi-VN', en: 'en-GB' };

export function launchBrowser() {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/**
 * A fresh context and page, with axe-core loaded in every document (see
 * a11y.mjs). `problems` collects console errors, uncaught script
 * errors and failed requests (a CSP violation shows as a console error).
 * @param {import('playwright-core').Browser} browser
 * @param {{ baseURL: string, viewport?: {width:number,height:number}, locale?: string,
 *           javaScriptEnabled?: boolean }} options
 */
export async function openPage(browser, { baseURL, viewport = VIEWPORTS.phone, locale = LOCALES.vi, javaScriptEnabled = true }) {
  const context = await browser.newContext({ baseURL, viewport, locale, javaScriptEnabled });
  if (javaScriptEnabled) await enableAxe(context);
  const page = await context.newPage();
  const problems = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(`console: ${message.text()}`);
  });
  page.on('pageerror', (error) => problems.push(`script error: ${error.message}`));
  page.on('requestfailed', (request) => {
    const why = request.failure()?.errorText;
    // A navigation cuts off the icon's request when the next page comes quickly:
    // the browser's doing, not a fault of the page.
    if (why === 'net::ERR_ABORTED' && new URL(request.url()).pathname === '/static/favicon.svg') return;
    problems.push(`request failed: ${request.url()} ${why}`);
  });
  return { context, page, problems };
}

/** True when the page is wider than the window (a sideways scroll on a phone). */
export function scrollsSideways(page) {
  return page.evaluate(() => document.documentElement.scrollWidth > document.documentElement.clientWidth);
}

/** Saves a full-page screenshot to tests/e2e/artifacts/NAME.png and returns its path. */
export async function screenshot(page, name) {
  await mkdir(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The accessible labels of the visible form fields, by field id. */
export function fieldLabels(page) {
  return page.evaluate(() =>
    Object.fromEntries(
      [...document.querySelectorAll('input, select, textarea')]
        .filter((field) => field.type !== 'hidden' && field.offsetParent !== null)
        .map((field) => [field.id || field.name, [...(field.labels || [])].map((l) => l.textContent.trim()).join(' ')]),
    ),
  );
}

/**
 * One demo and one browser for the tests of a file: started before the first
 * test, stopped after the last. The returned object holds `server`, `browser` and
 * `accounts` (the demo's printed accounts, by role) once the tests run.
 */
export function demoPerFile() {
  const demo = {};
  before(async () => {
    demo.server = await startServer();
    demo.browser = await launchBrowser();
    demo.accounts = demoAccounts(demo.server.output());
  });
  after(async () => {
    await demo.browser?.close();
    await demo.server?.stop();
  });
  return demo;
}
