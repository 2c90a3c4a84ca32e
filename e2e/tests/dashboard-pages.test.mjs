// The dashboard's pages in a real browser (Debian's Chromium via playwright-core)
// against real api + worker processes: each role sees only what it may; the overview
// shows the server's numbers; a reviewer approves a gate from the inbox and the course
// moves on without a reload; the course page's flight recorder and a refused action's
// server message; the lesson preview sandboxed away from the dashboard's origin; the
// queues board for ops; the cost report's date range and CSV; and the first screen's
// JavaScript size. Every test saves a screenshot and asserts no console errors.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { API_ENTRY, ROOT, startProcess, waitForHealth } from '../../scripts/lib.mjs';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, VIEWPORT, launch, login, newPage } from '../browser.mjs';

const FIRST_SCREEN_GZIP_LIMIT = 400 * 1024;
const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

/** The first screen's JavaScript: the entry script of dist/index.html and every chunk it preloads. */
export function firstScreenJs(distDir) {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const files = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/?([^"]+\.js)"/g)].map((m) => m[1]);
  return files.map((f) => ({ file: f, gzip: gzipSync(readFileSync(join(distDir, f))).length }));
}

describe('dashboard pages', () => {
  let stack;
  let browser;
  let ops;
  let db;
  before(async () => {
    // Stall sweeps are slowed down so the alert a test writes stays as written
    // (alerts.test.mjs raises and clears real ones).
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
    browser = await launch();
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it('keeps the first screen under 400 KB of gzipped JavaScript, charts and JSON views in lazy chunks', () => {
    const dist = join(ROOT, 'dashboard/dist');
    assert.ok(existsSync(join(dist, 'index.html')), 'build the dashboard first');
    const files = firstScreenJs(dist);
    const total = files.reduce((s, f) => s + f.gzip, 0);
    console.log(`first-screen JS: ${(total / 1024).toFixed(1)} KB gzip in ${files.length} files`);
    assert.ok(files.length >= 1);
    assert.ok(total <= FIRST_SCREEN_GZIP_LIMIT, `first screen is ${total} bytes gzip`);
    assert.ok(!files.some((f) => /BarChart|OverviewCharts|CourseFlight|LessonSource|CostChart/.test(f.file)), 'charts are not on the first screen');
  });

  it('shows each role only the pages it may use', async () => {
    const expected = {
      'admin@acme.test': { approvals: 1, costs: 1, traces: 1, queues: 1 },
      'ops@acme.test': { approvals: 1, costs: 1, traces: 1, queues: 0 },
      'reviewer@acme.test': { approvals: 1, costs: 0, traces: 1, queues: 0 },
      'finance@acme.test': { approvals: 1, costs: 1, traces: 0, queues: 0 },
      // Bull Board shows every organization's jobs: only operators (Acme's admins) see it.
      'ops@globex.test': { approvals: 1, costs: 1, traces: 1, queues: 0 },
    };
    // One context for the five sign-ins: the dashboard's files are fetched once.
    const context = await browser.newContext({ viewport: VIEWPORT });
    for (const [email, want] of Object.entries(expected)) {
      const page = await newPage(browser, context);
      await login(page, stack.baseUrl, email);
      await page.locator('[data-testid="overview-generating"]').waitFor({ timeout: 15_000 });
      const got = {
        approvals: await page.locator('a[href="#/approvals"]').count(),
        costs: await page.locator('a[href="#/costs"]').count(),
        traces: await page.locator('a[href="#/traces"]').count(),
        queues: await page.locator('[data-testid="menu-queues"]').count(),
      };
      assert.deepEqual(got, want, email);
      assert.equal(await page.locator('a[href="#/courses"]').count(), 1);
      if (email.startsWith('finance')) {
        // Finance's inbox holds budget gates only (none here), never the reviewers' gates.
        await page.locator('a[href="#/approvals"]').click();
        await page.locator('[data-testid="approvals-empty"]').waitFor({ timeout: 10_000 });
        assert.match(await page.locator('[data-testid="approvals-empty"]').innerText(), /budget gate/);
        assert.equal(await page.locator('[data-testid="approval-item"]').count(), 0);
      }
      await shot(page, `role-${email.split('@')[0]}${email.endsWith('@globex.test') ? '-globex' : ''}`);
      assert.deepEqual(page.consoleErrors, [], email);
      // Signed out for the next role (the context keeps localStorage).
      await page.evaluate(() => localStorage.clear());
      await page.close();
    }
    await context.close();
  });

  it('approves a gate from the inbox and the course moves on live; the overview counts it', async () => {
    const course = (await ops.post('/courses', { title: 'Inbox Browser Course', approvalGates: [5] })).body;
    assert.equal((await ops.post(`/courses/${course.id}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the stage 5 gate',
      timeoutMs: 90_000,
    });

    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    const awaiting = page.locator('[data-testid="overview-awaiting"] [data-value]');
    await waitFor(async () => (await awaiting.getAttribute('data-value')) === '1', { what: 'the overview to count the gate', timeoutMs: 15_000 });
    await page.locator('a[href="#/approvals"]').click();
    const item = page.locator(`[data-testid="approval-item"][data-course="${course.id}"]`);
    await item.waitFor({ timeout: 15_000 });
    // The structure as a tree (on demand), the wait time.
    await item.locator('[data-testid="structure-toggle"]').click();
    const lessons = await item.locator('[data-testid="structure-tree"] li li').count();
    assert.ok(lessons >= 10, `tree with ${lessons} lessons`);
    assert.match(await item.locator('[data-testid="approval-wait"]').innerText(), /waiting/);
    await shot(page, 'approvals-inbox');

    // The course page in a second tab follows the approval without a reload.
    const show = await newPage(browser);
    await login(show, stack.baseUrl, 'reviewer@acme.test');
    await show.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
    await show.locator('[data-testid="status-chip"][data-status="awaiting"]').waitFor({ timeout: 15_000 });
    await show.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });

    await item.locator('[data-testid="inbox-approve"]').click();
    await page.locator('[data-testid="approvals-empty"]').waitFor({ timeout: 15_000 });
    await show.locator('[data-testid="status-chip"][data-status="completed"]').waitFor({ timeout: 90_000 });
    const pct = Number(await show.locator('[data-testid="course-progress"]').getAttribute('data-value'));
    assert.equal(pct, 100);
    await shot(show, 'course-approved-live');
    const { rows } = await db.query(`SELECT decision, decided_role FROM approvals WHERE course_id = $1`, [course.id]);
    assert.deepEqual(rows, [{ decision: 'approved', decided_role: 'reviewer' }]);
    assert.deepEqual([...page.consoleErrors, ...show.consoleErrors], []);
  });

  it('shows the flight recorder and cost chart, and the server message when an action is refused', async () => {
    const course = (await ops.post('/courses', { title: 'Flight Browser Course', approvalGates: [] })).body;
    await ops.post(`/courses/${course.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 90_000 });
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
    await page.locator('[data-testid="course-cost-chart"] .recharts-bar-rectangle').first().waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="tab-flight"]').click();
    const recorder = page.locator('[data-testid="flight-recorder"]');
    await recorder.waitFor({ timeout: 15_000 });
    const {
      rows: [n],
    } = await db.query(`SELECT count(*)::int AS calls FROM generation_trace WHERE course_id = $1`, [course.id]);
    assert.equal(await recorder.locator('rect[data-label]').count(), n.calls);
    assert.ok((await recorder.locator('circle[data-kind="transition"]').count()) > 5);
    assert.ok((await recorder.locator('[data-testid="flight-cost"]').getAttribute('points')).split(' ').length === n.calls);
    await shot(page, 'flight-recorder');

    // Cancel a completed course: the button is not offered; restart is, with a confirmation.
    assert.equal(await page.locator('[data-testid="course-cancel"]').count(), 0);
    // Bulk retry of a course that did not fail is not offered; restart is.
    await page.goto(`${stack.baseUrl}/#/courses`);
    const row = page.locator('tr', { hasText: 'Flight Browser Course' });
    await row.locator('input[type="checkbox"]').check();
    assert.equal(await page.locator('[data-testid="bulk-retry"]').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="bulk-restart"]').getAttribute('data-eligible'), '1');
    await shot(page, 'bulk-retry-refused');
    assert.deepEqual(page.consoleErrors, []);
  });

  it('renders a lesson in a sandboxed iframe that cannot reach the dashboard', async () => {
    const {
      rows: [lesson],
    } = await db.query(
      `SELECT l.id, l.title FROM lessons l JOIN lesson_contents c ON c.lesson_id = l.id WHERE l.organization_id = $1 AND c.compiled_js IS NOT NULL LIMIT 1`,
      [ops.user.organizationId],
    );
    assert.ok(lesson, 'a generated lesson');
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.goto(`${stack.baseUrl}/#/lessons/${lesson.id}/show`);
    await page.locator('[data-testid="lesson-source"] [data-token="keyword"]').first().waitFor({ timeout: 15_000 });
    const iframe = page.locator('[data-testid="lesson-preview"]');
    assert.equal(await iframe.getAttribute('sandbox'), 'allow-scripts');
    const frame = page.frameLocator('[data-testid="lesson-preview"]');
    await frame.locator('article.lesson h1').waitFor({ timeout: 15_000 });
    const inside = await (await iframe.elementHandle()).contentFrame();
    const probe = await inside.evaluate(() => {
      const out = { origin: window.origin };
      try {
        out.parent = String(window.parent.document.title);
      } catch (e) {
        out.parent = `blocked: ${e.name}`;
      }
      try {
        out.storage = String(window.localStorage.length);
      } catch (e) {
        out.storage = `blocked: ${e.name}`;
      }
      return out;
    });
    assert.equal(probe.origin, 'null');
    assert.match(probe.parent, /^blocked/);
    assert.match(probe.storage, /^blocked/);
    await shot(page, 'lesson');
    assert.deepEqual(page.consoleErrors, []);
  });

  it('shows open stall alerts on the overview to ops, not to reviewers', async () => {
    const c = (await ops.post('/courses', { title: 'Stalled Browser Course' })).body;
    const {
      rows: [alert],
    } = await db.query(
      `INSERT INTO alerts (organization_id, course_id, kind, subject, details) VALUES ($1, $2, 'course_progress_stalled', $3, '{}') RETURNING id`,
      [c.organizationId, c.id, `course:${c.id}`],
    );
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    const panel = page.locator('[data-testid="overview-alerts"] [data-kind="course_progress_stalled"]');
    await panel.waitFor({ timeout: 15_000 });
    assert.match(await panel.innerText(), /stopped moving/);
    await shot(page, 'overview-alerts');
    const other = await newPage(browser);
    await login(other, stack.baseUrl, 'reviewer@acme.test');
    await other.locator('[data-testid="overview-generating"]').waitFor({ timeout: 15_000 });
    assert.equal(await other.locator('[data-testid="overview-alerts"]').count(), 0);
    await db.query(`UPDATE alerts SET cleared_at = now() WHERE id = $1`, [alert.id]);
    await page.reload();
    await page.locator('[data-testid="overview-generating"]').waitFor({ timeout: 15_000 });
    assert.equal(await page.locator('[data-testid="overview-alerts"]').count(), 0);
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(other.consoleErrors, []);
    await page.close();
    await other.close();
  });

  it("opens the queues board for an operator (Acme's admin) from the menu", async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'admin@acme.test');
    const [board] = await Promise.all([page.context().waitForEvent('page'), page.locator('[data-testid="menu-queues"]').click()]);
    await board.waitForURL(/\/api\/queues-board\//, { timeout: 15_000 });
    await board.getByText('lessons').first().waitFor({ timeout: 15_000 });
    await board.screenshot({ path: join(SCREENSHOTS, 'queues-board.png') });
    assert.deepEqual(page.consoleErrors, []);
  });

  it('changes the cost report date range, exports that range as CSV and edits a price', async () => {
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace`);
    if (n === 0) {
      const c = (await ops.post('/courses', { title: 'Costs Browser Course', approvalGates: [] })).body;
      await ops.post(`/courses/${c.id}/generation`);
      await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'a course with costs', timeoutMs: 90_000 });
    }
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'finance@acme.test');
    await page.locator('a[href="#/costs"]').click();
    await page.locator('[data-testid="costs-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    const today = new Date().toISOString().slice(0, 10);
    // Passing through a range of more than two years: the page says so and asks nothing.
    await page.locator('[data-testid="costs-from"]').fill('2020-01-01');
    await page.locator('[data-testid="costs-range-error"]').waitFor({ timeout: 5_000 });
    await page.locator('[data-testid="costs-to"]').fill('2020-01-31');
    await waitFor(async () => (await page.locator('[data-testid="costs-table"] tbody tr').count()) === 0, { what: 'an empty month in 2020' });
    let [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="costs-csv"]').click()]);
    assert.equal(download.suggestedFilename(), 'costs-2020-01-01-2020-01-31-day.csv');
    // Moving forward: the end first, so the range never runs backwards on the way.
    await page.locator('[data-testid="costs-to"]').fill(today);
    await page.locator('[data-testid="costs-from"]').fill(today);
    await page.locator('[data-testid="costs-table"] tbody tr').first().waitFor({ timeout: 15_000 });
    [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-testid="costs-csv"]').click()]);
    const csv = readFileSync(await download.path(), 'utf8');
    assert.match(csv, new RegExp(today));
    // Finance edits a model's price in the table.
    const {
      rows: [model],
    } = await db.query(`SELECT id FROM llm_models ORDER BY id LIMIT 1`);
    await page.locator(`[data-testid="price-edit-${model.id}"]`).click();
    await page.locator(`[data-testid="price-input-${model.id}"]`).fill('1.2345');
    await page.locator('[data-testid="price-preview-run"]').click();
    await page.locator('[data-testid="price-preview"]').waitFor({ timeout: 15_000 });
    await page.locator(`[data-testid="price-save-${model.id}"]`).click();
    await page.locator('[data-testid="price-confirm"]').click();
    // A new version of the organization's table (the shared catalog's default stays).
    const priceNow = `SELECT p.input_price_per_1m::float8 AS p FROM llm_model_prices p JOIN organizations o ON o.id = p.organization_id
                       WHERE o.slug = 'acme' AND p.model_id = $1 ORDER BY p.effective_from DESC LIMIT 1`;
    await waitFor(async () => (await db.query(priceNow, [model.id])).rows[0].p === 1.2345, { what: 'the new price', timeoutMs: 15_000 });
    await shot(page, 'costs-range');
    assert.deepEqual(page.failedRequests, []);
    assert.deepEqual(page.consoleErrors, []);
  });

  it('refetches what it shows when the socket comes back after the API went away', async () => {
    const course = (await ops.post('/courses', { title: 'Before the outage', approvalGates: [] })).body;
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    await page.locator('tr', { hasText: 'Before the outage' }).waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    // The API process dies; meanwhile the course changes where no event reports it.
    const api = stack.children[0];
    await new Promise((resolve) => {
      api.once('exit', resolve);
      api.kill('SIGKILL');
    });
    await page.locator('[data-testid="live-status"][data-connected="false"]').waitFor({ timeout: 15_000 });
    await db.query(`UPDATE courses SET title = 'Renamed during the outage' WHERE id = $1`, [course.id]);
    stack.children[0] = startProcess('api0', API_ENTRY, { ...stack.env, PORT: new URL(stack.baseUrl).port, RUN_MIGRATIONS: 'false' }, { quiet: true });
    await waitForHealth(stack.baseUrl, 30_000);
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 30_000 });
    await page.locator('tr', { hasText: 'Renamed during the outage' }).waitFor({ timeout: 15_000 });
    await shot(page, 'reconnected');
    // Only the requests that failed while the API was down.
    assert.deepEqual(
      page.consoleErrors.filter((e) => !/ERR_CONNECTION_REFUSED|WebSocket connection/.test(e)),
      [],
    );
  });
});
