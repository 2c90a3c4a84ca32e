// The dashboard speaks the organization's language without anyone choosing it: in a
// Russian organization (organizations.default_language = 'ru') whose user chose no
// language, a browser asking for English shows the sign-in page in English and, once
// signed in, the dashboard in Russian — and the course status messages the API sends it
// are Russian too. axe-core finds nothing critical or serious on those pages.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startStack } from '../harness.mjs';
import { SCREENSHOTS, VIEWPORT, axeProblems, launch, newPage } from '../browser.mjs';

describe('dashboard language', () => {
  let stack;
  let browser;
  before(async () => {
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
    browser = await launch();
    const db = await stack.sql();
    await db.query(`UPDATE organizations SET default_language = 'ru' WHERE slug = 'globex'`);
    const { rows } = await db.query(`SELECT language FROM users WHERE email = 'ops@globex.test'`);
    assert.equal(rows[0].language, null, 'the user has chosen no language');
    const ops = await Client.login(stack.baseUrl, 'ops@globex.test');
    await ops.post('/courses', { title: 'Курс на русском', approvalGates: [] });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("shows a Russian organization's dashboard in Russian to a browser asking for English", async () => {
    const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en-US' });
    const page = await newPage(browser, context);
    assert.equal(await page.evaluate(() => navigator.language), 'en-US');
    await page.goto(stack.baseUrl);
    // Before sign-in only the browser's language is known.
    await page.locator('input[name="username"]').waitFor();
    assert.match(await page.locator('form').innerText(), /Email/);
    await page.locator('input[name="username"]').fill('ops@globex.test');
    await page.locator('input[name="password"]').fill('mission-control');
    await page.locator('button[type="submit"]').click();
    await page.locator('[data-testid="live-status"]').waitFor({ timeout: 15_000 });

    await page.getByText('Генерируются').first().waitFor({ timeout: 10_000 });
    await page.locator('a[href="#/courses"]', { hasText: 'Курсы' }).waitFor();
    assert.equal(await page.locator('header button', { hasText: 'Русский' }).count(), 1, 'the locale switcher says Russian');
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.getByText('Курс на русском').waitFor({ timeout: 10_000 });
    await page.getByText('Не запущен').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'courses-org-ru.png'), fullPage: true });
    await page.getByText('Курс на русском').click();
    await page.locator('[data-testid="status-message"]', { hasText: 'Генерация не начата' }).waitFor({ timeout: 10_000 });

    assert.deepEqual(await axeProblems(page), []);
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.getByText('Курс на русском').waitFor({ timeout: 10_000 });
    // react-admin's own row checkboxes (Datagrid's .select-item) carry an aria-label on a
    // span and no label on the input: left out here, reported upstream-wise in the README.
    assert.deepEqual(await axeProblems(page, { exclude: [['.select-item'], ['.RaDatagrid-headerCell .MuiCheckbox-root']] }), []);
    await page.goto(stack.baseUrl);
    await page.getByText('Генерируются').first().waitFor({ timeout: 10_000 });
    assert.deepEqual(await axeProblems(page), []);
    // Signing in chose nothing for the user: the organization's default still decides.
    const db = await stack.sql();
    const { rows } = await db.query(`SELECT language FROM users WHERE email = 'ops@globex.test'`);
    assert.equal(rows[0].language, null);
    assert.deepEqual(page.consoleErrors, []);
    await context.close();
  });
});
