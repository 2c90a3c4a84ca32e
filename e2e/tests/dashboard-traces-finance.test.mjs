// Traces to debug with, and finance's screens (issue 17, finding 10 and "Finance"), in a
// real browser against the real system: the traces list names and links the course and
// filters by its title; a trace names its stage and phase, links its course, shows its
// bodies as searchable JSON and no empty Error; a flight-recorder bar opens its trace;
// the Budgets page shows this month's spend against the budget with the thresholds'
// crossings, and an admin edits it; a price changes through a labelled form with an
// effective date, a dry-run preview that must come first, and a confirmation.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';
import { launch, login, newPage, shotSmall } from '../browser.mjs';

describe('dashboard traces and finance', () => {
  let stack;
  let browser;
  let db;
  let ops;
  let admin;
  let target;
  before(async () => {
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
    browser = await launch();
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    target = (await ops.post('/courses', { title: 'Trace Target Course', approvalGates: [] })).body;
    await ops.post(`/courses/${target.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${target.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 180_000 });
    // A budget the second course's calls will cross half of (at 100 % calls would stop):
    // the first course spent about 30 % of it.
    const spent = Number((await admin.get('/budgets')).body.spentUsd);
    assert.equal(
      (await admin.request('PUT', '/organization', { monthlyBudgetUsd: Number((spent / 0.3).toFixed(4)), budgetThresholds: [50, 95, 200] })).status,
      200,
    );
    const other = (await ops.post('/courses', { title: 'Other Trace Course', approvalGates: [] })).body;
    await ops.post(`/courses/${other.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${other.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 180_000 });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('lists traces by course title with a link, filters by title, and opens one as searchable JSON', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/traces`);
    await page.locator('[data-testid="trace-course"]').first().waitFor({ timeout: 15_000 });
    await page.locator('input[name="courseTitle"]').fill('trace target');
    await waitFor(
      async () => {
        const titles = await page.locator('[data-testid="trace-course"]').allInnerTexts();
        return titles.length > 0 && titles.every((t) => t === 'Trace Target Course');
      },
      { what: "only the target course's traces", timeoutMs: 15_000 },
    );
    const body = await page.locator('tbody').innerText();
    assert.doesNotMatch(body, /stage_\d|phase_\d_|first_try/);
    assert.match(body, /Stage 4 · Analysis/);
    await shotSmall(page, 'traces-filtered-en');

    // A stage 4 call (it has no error): the row opens the trace.
    await page.locator('tbody tr', { hasText: 'Classifying the topic' }).first().locator('td').first().click();
    const link = page.locator('[data-testid="trace-course-link"]');
    await link.waitFor({ timeout: 15_000 });
    assert.equal(await link.innerText(), 'Trace Target Course');
    const main = await page.locator('main').innerText();
    assert.match(main, /Stage 4 · Analysis/);
    assert.match(main, /Classifying the topic/);
    assert.equal(await page.locator('[data-testid="json-errorData"]').count(), 0, 'no Error panel on a good call');
    assert.doesNotMatch(main, /Error\s*\n\s*null/);
    const input = page.locator('[data-testid="json-inputData"]');
    await input.waitFor({ timeout: 15_000 });
    assert.match(await input.innerText(), /messages/);
    await page.locator('[data-testid="json-inputData-search"]').fill('classif');
    const matches = page.locator('[data-testid="json-inputData-matches"]');
    await matches.waitFor();
    assert.match(await matches.innerText(), /[1-9]\d* matching lines/);
    await shotSmall(page, 'trace-en', { fullPage: true });
    await link.click();
    await page.waitForURL(new RegExp(`#/courses/${target.id}/show`), { timeout: 15_000 });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('opens a model call from its flight-recorder bar', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/${target.id}/show`);
    await page.locator('[data-testid="tab-flight"]').click();
    const bars = page.locator('[data-testid="flight-call-link"]');
    await bars.first().waitFor({ timeout: 15_000 });
    const {
      rows: [n],
    } = await db.query(`SELECT count(*)::int AS calls FROM generation_trace WHERE course_id = $1`, [target.id]);
    assert.equal(await bars.count(), n.calls);
    await bars.nth(3).click();
    await page.waitForURL(/#\/traces\/[0-9a-f-]{36}\/show/, { timeout: 15_000 });
    const id = /traces\/([0-9a-f-]{36})\/show/.exec(page.url())[1];
    const {
      rows: [t],
    } = await db.query(`SELECT course_id FROM generation_trace WHERE id = $1`, [id]);
    assert.equal(t.course_id, target.id);
    await page.locator('[data-testid="trace-course-link"]').waitFor({ timeout: 15_000 });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it("shows the month's spend against the budget with its crossings, and lets an admin (not finance) edit it", async () => {
    const budget = (await admin.get('/budgets')).body;
    const crossed = budget.thresholds.filter((t) => t.crossedAt).length;
    assert.ok(crossed >= 1, 'the run crossed a threshold');
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'finance@acme.test');
    await page.locator('a[href="#/budgets"]').click();
    await page.locator('[data-testid="budget"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid="budget-threshold"][data-crossed="true"]').count(), crossed);
    assert.equal(await page.locator('[data-testid="budget-threshold"]').count(), 3);
    assert.match(await page.locator('[data-testid="budget-spent"]').innerText(), /^\$\d/);
    assert.match(await page.locator('[data-testid="budget-percent"]').innerText(), /% of the budget/);
    assert.equal(await page.locator('[data-testid="budget-edit"]').count(), 0, 'finance reads, admins edit');
    await shotSmall(page, 'budgets-finance-en', { fullPage: true });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();

    const adminPage = await newPage(browser);
    await login(adminPage, stack.baseUrl, 'admin@acme.test');
    await adminPage.goto(`${stack.baseUrl}/#/budgets`);
    await adminPage.locator('[data-testid="budget-edit"]').click();
    await adminPage.getByLabel('Monthly budget, USD (empty: no budget)').fill('25');
    await adminPage.getByLabel('Thresholds, % of the budget, comma-separated').fill('90, 50, 50');
    assert.equal(await adminPage.locator('[data-testid="budget-save"]').isDisabled(), true, 'a repeated threshold is refused in the form');
    await adminPage.getByLabel('Thresholds, % of the budget, comma-separated').fill('90, 50');
    await adminPage.locator('[data-testid="budget-save"]').click();
    await waitFor(
      async () => {
        const b = (await admin.get('/budgets')).body;
        return Number(b.budgetUsd) === 25 && b.budgetThresholds.join() === '50,90';
      },
      { what: 'the saved budget', timeoutMs: 15_000 },
    );
    await adminPage.locator('[data-testid="budget-amount-shown"]', { hasText: '$25.00' }).waitFor({ timeout: 15_000 });
    assert.deepEqual(adminPage.consoleErrors, []);
    await adminPage.close();
  });

  it('changes a price through a labelled form: effective date, dry-run preview first, then a confirmation', async () => {
    const {
      rows: [model],
    } = await db.query(`SELECT DISTINCT model_used AS id FROM generation_trace WHERE course_id = $1 ORDER BY 1 LIMIT 1`, [target.id]);
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'finance@acme.test');
    await page.goto(`${stack.baseUrl}/#/costs`);
    await page.locator(`[data-testid="price-edit-${model.id}"]`).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Input, USD per 1M tokens').fill('1.2345');
    await dialog.getByLabel('Output, USD per 1M tokens').fill('2.5');
    const save = page.locator(`[data-testid="price-save-${model.id}"]`);
    assert.equal(await save.isDisabled(), true, 'no saving before the preview');
    await page.locator('[data-testid="price-preview-run"]').click();
    const preview = page.locator('[data-testid="price-preview"]');
    await preview.waitFor({ timeout: 15_000 });
    assert.match(await preview.innerText(), /\$/);
    // A later effective moment: tomorrow at noon, local time.
    await dialog.getByLabel('At a later moment').check();
    const t = new Date(Date.now() + 86_400_000);
    const pad = (n) => String(n).padStart(2, '0');
    await page.locator('[data-testid="price-effective-at"]').fill(`${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())}T12:00`);
    await shotSmall(page, 'price-form-en');
    await save.click();
    const confirm = page.locator('[data-testid="price-confirm-text"]');
    await confirm.waitFor();
    assert.match(await confirm.innerText(), new RegExp(`\\$1\\.2345 in / \\$2\\.50 out per 1M tokens for ${model.id.replace(/[.]/g, '\\.')}`));
    await page.locator('[data-testid="price-confirm"]').click();
    const newest = `SELECT p.input_price_per_1m::float8 AS input, p.output_price_per_1m::float8 AS output, p.effective_from > now() AS later
                      FROM llm_model_prices p JOIN organizations o ON o.id = p.organization_id
                     WHERE o.slug = 'acme' AND p.model_id = $1 ORDER BY p.effective_from DESC LIMIT 1`;
    await waitFor(async () => (await db.query(newest, [model.id])).rows[0].input === 1.2345, { what: 'the new price version', timeoutMs: 15_000 });
    assert.deepEqual((await db.query(newest, [model.id])).rows[0], { input: 1.2345, output: 2.5, later: true });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
});
