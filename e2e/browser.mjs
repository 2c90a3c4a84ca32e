// Debian's Chromium driven by playwright-core, headless, with the flags this machine's
// closed network needs. Console errors are collected so tests can assert there were none.
import { chromium } from 'playwright-core';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../scripts/lib.mjs';

export const SCREENSHOTS = join(ROOT, 'e2e/screenshots');

export function chromiumPath() {
  for (const p of [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean)) {
    if (existsSync(p)) return p;
  }
  return null;
}

export async function launch() {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium not found: apt-get install -y chromium');
  mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const VIEWPORT = { width: 1400, height: 900 };

/** A page in its own context, or in `context` (which then shares its HTTP cache and storage). */
export async function newPage(browser, context) {
  const page = context ? await context.newPage() : await browser.newPage({ viewport: VIEWPORT });
  page.consoleErrors = [];
  page.on('console', (msg) => {
    if (msg.type() === 'error') page.consoleErrors.push(msg.text());
  });
  page.on('pageerror', (err) => page.consoleErrors.push(err.message));
  // Which requests failed, so a console error about a status code can be traced.
  page.failedRequests = [];
  page.on('response', (res) => {
    if (res.status() >= 400) page.failedRequests.push(`${res.status()} ${res.request().method()} ${res.url()}`);
  });
  return page;
}

export async function login(page, baseUrl, email) {
  await page.goto(baseUrl);
  await page.locator('input[name="username"]').fill(email);
  await page.locator('input[name="password"]').fill('mission-control');
  await page.locator('button[type="submit"]').click();
  // Logged in: the app bar's live-updates dot is there (the home page is the overview).
  await page.locator('[data-testid="live-status"]').waitFor({ timeout: 15_000 });
}

/** Switches the dashboard's language with the app bar's switcher (saved as the user's own). */
export async function setLanguage(page, locale) {
  const names = { en: 'English', ru: 'Русский' };
  const current = page.locator('header button', { hasText: names[locale] });
  if (await current.count()) return;
  await page.locator('header button', { hasText: names[locale === 'en' ? 'ru' : 'en'] }).click();
  await page.getByRole('menuitem', { name: names[locale] }).click();
  await current.waitFor({ timeout: 10_000 });
}

/** A small screenshot (JPEG, quality 60) under e2e/screenshots/. */
export function shotSmall(page, name, { fullPage = false } = {}) {
  return page.screenshot({ path: join(SCREENSHOTS, `${name}.jpg`), type: 'jpeg', quality: 60, fullPage });
}

const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/**
 * axe-core's critical and serious violations on the page, one line each (rule, help, the
 * first nodes), between fetches (react-admin's spinner comes and goes with the live
 * refetches and is left out). `include` narrows the check to part of the page, `exclude`
 * leaves parts out (selectors as axe takes them). AXE_DEBUG=1 prints each node's HTML.
 */
export async function axeProblems(page, { include = 'document', exclude = [] } = {}) {
  await page
    .locator('.RaLoadingIndicator-loader')
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => undefined);
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE });
  const result = await page.evaluate(
    ({ inc, ex }) => window.axe.run({ include: inc === 'document' ? [document] : inc, exclude: ex }, { resultTypes: ['violations'] }),
    { inc: include, ex: [['.RaLoadingIndicator-loader'], ...exclude] },
  );
  const bad = result.violations.filter((v) => v.impact === 'critical' || v.impact === 'serious');
  if (process.env.AXE_DEBUG)
    for (const v of bad) console.log(v.id, JSON.stringify(v.nodes.map((n) => [n.target, n.html.slice(0, 160), n.failureSummary?.slice(0, 200)])));
  return bad.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(', ')})`,
  );
}

/** The approvals inbox's card of a course. */
export const approvalCard = (page, courseId) => page.locator(`[data-testid="approval-item"][data-course="${courseId}"]`);
