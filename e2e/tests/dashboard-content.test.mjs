// The course's content style and its quality on the dashboard, in a real browser: the
// style's guidance block on the course page (English and Russian), and a course below
// its organization's quality threshold flagged with a chip in the list, which the
// "low quality" filter keeps. Screenshots saved; no console errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, launch, login, newPage } from '../browser.mjs';

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe('dashboard: content style and quality', () => {
  let stack;
  let browser;
  let ops;
  let admin;
  before(async () => {
    stack = await startStack();
    browser = await launch();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
  });
  after(async () => {
    await admin?.request('PUT', '/organization', { qualityThreshold: 0.75 });
    await browser?.close();
    await stack?.stop();
  });

  it('shows the style guide on the course page and flags a low-quality course in the list', async () => {
    assert.equal((await admin.request('PUT', '/organization', { qualityThreshold: 0.99 })).status, 200);
    const low = (
      await ops.post('/courses', {
        title: 'PostgreSQL for application developers',
        description: 'Indexes and transactions',
        contentStyle: 'gamified',
        approvalGates: [],
      })
    ).body;
    await ops.post(`/courses/${low.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${low.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/${low.id}/show`);
    const guide = page.locator('[data-testid="style-guide"]');
    await guide.waitFor({ timeout: 15_000 });
    assert.match(await guide.innerText(), /Content style: Gamified/);
    assert.match(await guide.innerText(), /Boss challenge/);
    assert.match(await page.locator('[data-testid="quality-chip"]').first().innerText(), /Low quality 0\.\d\d/);
    await shot(page, 'course-style-quality');

    await page.goto(`${stack.baseUrl}/#/courses?filter=${encodeURIComponent(JSON.stringify({ qualityLow: true }))}`);
    await page.locator('[data-testid="quality-chip"]').first().waitFor({ timeout: 15_000 });
    const rows = page.locator('tbody tr');
    const n = await rows.count();
    assert.ok(n >= 1);
    for (let i = 0; i < n; i++) assert.equal(await rows.nth(i).locator('[data-testid="quality-chip"]').count(), 1);
    await shot(page, 'courses-quality-low');
    assert.deepEqual(page.consoleErrors, []);
  });

  it('shows the style guide in Russian to a Russian organization', async () => {
    const db = await stack.sql();
    await db.query(`UPDATE organizations SET default_language = 'ru' WHERE slug = 'globex'`);
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const c = (await globex.post('/courses', { title: 'Основы статистики', language: 'ru', contentStyle: 'socratic', approvalGates: [] })).body;
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@globex.test');
    // The page switches to the organization's language after sign-in; then it asks in Russian.
    await page.locator('a[href="#/courses"]', { hasText: 'Курсы' }).waitFor({ timeout: 15_000 });
    await page.goto(`${stack.baseUrl}/#/courses/${c.id}/show`);
    const guide = page.locator('[data-testid="style-guide"]');
    await guide.waitFor({ timeout: 15_000 });
    await waitFor(async () => /Стиль подачи: Сократический/.test(await guide.innerText()), { what: 'the Russian style guide', timeoutMs: 15_000 });
    assert.match(await guide.innerText(), /Наводящий вопрос/);
    await shot(page, 'course-style-ru');
    assert.deepEqual(page.consoleErrors, []);
  });
});
