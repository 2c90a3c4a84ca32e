// The dashboard shell in a real browser: log in, see the courses with their progress
// bars and status, watch a bar rise without reloading, approve a gate.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, launch, login, newPage } from '../browser.mjs';

describe('dashboard shell', () => {
  let stack;
  let browser;
  before(async () => {
    stack = await startStack({
      env: { SIMULATED_TTFT_MS: '150', SIMULATED_TOKENS_PER_SECOND: '600', TRACE_URL_TEMPLATE: 'https://tracer.example/trace/{traceId}' },
    });
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('shows the course list with live progress and lets a reviewer approve a gate', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'Browser Course', approvalGates: [5] })).body;
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    // The list is live through the socket, not polling.
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    const row = page.locator('tr', { hasText: 'Browser Course' });
    await row.waitFor({ timeout: 15_000 });
    const bar = row.locator('[data-testid="course-progress"]');
    const first = Number(await bar.getAttribute('data-value'));
    assert.equal(first, 0);
    assert.equal((await ops.post(`/courses/${course.id}/generation`)).status, 202);
    const risen = await waitFor(
      async () => {
        const v = Number(await bar.getAttribute('data-value'));
        return v > first && v;
      },
      { what: 'the bar to rise without a reload', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.ok(risen > first);
    await page.screenshot({ path: join(SCREENSHOTS, 'courses-list.png') });

    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the stage 5 gate',
      timeoutMs: 90_000,
    });
    const reviewerPage = await newPage(browser);
    await login(reviewerPage, stack.baseUrl, 'reviewer@acme.test');
    await reviewerPage.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
    await reviewerPage.locator('[data-testid="stage-timeline"]').waitFor();
    await reviewerPage.screenshot({ path: join(SCREENSHOTS, 'course-awaiting.png') });
    await reviewerPage.locator('[data-testid="approve"]').click();
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 90_000 });
    await reviewerPage.locator('[data-testid="status-chip"]', { hasText: 'Completed' }).first().waitFor({ timeout: 15_000 });
    await reviewerPage.screenshot({ path: join(SCREENSHOTS, 'course-completed.png') });

    // Ops sees no approve button; nobody saw a console error.
    await page.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
    await page.locator('[data-testid="stage-timeline"]').waitFor();
    assert.equal(await page.locator('[data-testid="approve"]').count(), 0);
    assert.deepEqual([...page.consoleErrors, ...reviewerPage.consoleErrors], []);
  });

  it('lists model calls with the provider that answered and opens one as JSON', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/traces`);
    const first = page.locator('tbody tr').first();
    await first.waitFor({ timeout: 15_000 });
    assert.match(await first.innerText(), /simulated/);
    await first.click();
    const input = page.locator('[data-testid="json-inputData"]');
    await input.waitFor();
    assert.match(await input.innerText(), /messages/);
    // The call's OpenTelemetry trace, linked to the tracer of TRACE_URL_TEMPLATE.
    const traceId = await page.locator('[data-testid="otel-trace"] code').innerText();
    assert.match(traceId, /^[0-9a-f]{32}$/);
    assert.equal(await page.locator('[data-testid="otel-trace-link"]').getAttribute('href'), `https://tracer.example/trace/${traceId}`);
    await page.screenshot({ path: join(SCREENSHOTS, 'trace.png') });
    assert.deepEqual(page.consoleErrors, []);
    const finance = await newPage(browser);
    await login(finance, stack.baseUrl, 'finance@acme.test');
    assert.equal(await finance.locator('a[href="#/traces"]').count(), 0);
  });

  it('shows finance the cost report as a chart and a table, regrouped, and exports CSV', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'finance@acme.test');
    await page.locator('a[href="#/costs"]').click();
    await page.locator('[data-testid="costs-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="costs-chart"]').waitFor();
    const today = new Date().toISOString().slice(0, 10);
    const finance = await Client.login(stack.baseUrl, 'finance@acme.test');
    const report = (await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=model`)).body;
    await page.locator('[role="combobox"]').click();
    await page.getByRole('option', { name: 'Model', exact: true }).click();
    await waitFor(async () => (await page.locator('[data-testid="costs-table"] tbody tr').count()) === report.rows.length, {
      what: 'the table grouped by model',
    });
    assert.match(await page.locator('[data-testid="costs-table"]').innerText(), new RegExp(report.rows[0].model.replace(/[/.]/g, '.')));
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="costs-csv"]').click()]);
    assert.match(download.suggestedFilename(), /^costs-.*-model\.csv$/);
    await page.screenshot({ path: join(SCREENSHOTS, 'costs.png') });
    assert.deepEqual(page.consoleErrors, []);
  });

  it('switches to Russian', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.locator('header button', { hasText: 'English' }).click();
    await page.getByRole('menuitem', { name: 'Русский' }).click();
    await page.getByText('Курсы').first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: join(SCREENSHOTS, 'courses-ru.png') });
    assert.deepEqual(page.consoleErrors, []);
  });
});
