// Gates, routing, live cost, bulk actions and the lesson preview in a real browser
// (Debian's Chromium via playwright-core) against real api + worker processes, each as
// the person who would do it (a reviewer's decisions: dashboard-decisions.test.mjs):
// - the inbox is live (a gate reached appears within 2 s, a decided one leaves), compact
//   (the structure on demand), filtered by stage and kind, overdue and escalated first,
//   and an escalation does not restart the wait;
// - ops see every waiting gate with who may decide it, and escalate one now, from the
//   inbox and the course page, which then say who escalated it (a deadline's reads
//   differently: past its deadline);
// - the course page's cost equals the API's while the course runs;
// - bulk actions only for the courses they apply to, named in the confirmation;
// - a lesson using useState reacts to a click inside the sandboxed preview.
// axe-core finds nothing critical or serious on each page touched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startAtGate, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, approvalCard, axeProblems, launch, login, newPage } from '../browser.mjs';

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
// react-admin's own row checkboxes carry no label on the input (see dashboard-language.test.mjs).
const RA_CHECKBOXES = [['.select-item'], ['.RaDatagrid-headerCell .MuiCheckbox-root']];

describe('dashboard: gates, routing, live cost, bulk actions, lesson preview', () => {
  let stack;
  let browser;
  let ops;
  let reviewer;
  let db;
  before(async () => {
    // Deadlines are swept every 200 ms: a gate moved past its deadline escalates at once.
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000', DEADLINE_SWEEP_MS: '200' } });
    browser = await launch();
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  const atGate = (title, gates, extra) => startAtGate(ops, title, gates, extra);
  const card = approvalCard;

  it('keeps the inbox live and scannable: a new gate within 2 s, the tree on demand, filters, urgent first, a decided gate leaves', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.goto(`${stack.baseUrl}/#/approvals`);
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="approvals-count"], [data-testid="approvals-empty"]').first().waitFor({ timeout: 15_000 });

    // A gate reached while the inbox is open appears within 2 s, without a reload.
    const structure = (await ops.post('/courses', { title: 'Live Inbox Structure', approvalGates: [5], approvalSlaMinutes: 120 })).body;
    await ops.post(`/courses/${structure.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${structure.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the stage 5 gate',
      timeoutMs: 90_000,
      intervalMs: 50,
    });
    const reachedAt = Date.now();
    const item = card(page, structure.id);
    await item.waitFor({ timeout: 2_000 });
    console.log(`gate on screen ${Date.now() - reachedAt} ms after the API reported it`);

    // Compact: stage, SLA, cost, counts — and no tree until asked.
    assert.match(await item.locator('[data-testid="gate-stage"]').innerText(), /5 · Structure generation/);
    assert.match(await item.locator('[data-testid="gate-sla"]').innerText(), /decide by/);
    assert.match(await item.locator('[data-testid="gate-counts"]').innerText(), /\d+ sections · \d+ lessons/);
    assert.equal(await item.locator('[data-testid="structure-tree"]').count(), 0);
    const box = await item.boundingBox();
    assert.ok(box.height < 320, `a compact card (${box.height} px)`);
    await item.locator('[data-testid="structure-toggle"]').click();
    assert.ok((await item.locator('[data-testid="structure-tree"] li li').count()) >= 10);
    await item.locator('[data-testid="structure-toggle"]').click();

    // A second gate, escalated: it goes first, with a badge, and its wait does not restart.
    const late = await atGate('Live Inbox Escalated', [4]);
    const lateCard = card(page, late.id);
    await lateCard.waitFor({ timeout: 2_000 });
    const since = await lateCard.locator('[data-testid="approval-wait"]').getAttribute('data-since');
    await page.waitForTimeout(1_100);
    const escalated = await ops.post(`/approvals/${late.id}/escalate`);
    assert.equal(escalated.status, 200);
    assert.deepEqual(escalated.body.escalation, { reason: 'manual', by: { id: escalated.body.escalation.by.id, name: 'Oscar Ops' } });
    await lateCard.locator('[data-testid="gate-escalated"]').waitFor({ timeout: 2_000 });
    assert.match(await lateCard.locator('[data-testid="gate-escalated"]').innerText(), /escalated by Oscar Ops/);
    assert.equal(await lateCard.locator('[data-testid="approval-wait"]').getAttribute('data-since'), since);
    const inbox = (await reviewer.get('/approvals')).body;
    assert.equal(inbox[0].courseId, late.id, 'the API orders escalated gates first');
    assert.ok(inbox[0].waitSeconds >= 1, 'the wait counts from when the gate opened');
    const order = await page.locator('[data-testid="approval-item"]').evaluateAll((els) => els.map((e) => e.getAttribute('data-course')));
    assert.equal(order[0], late.id);
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-inbox');

    // Filters: by stage, by kind.
    await page.locator('[data-testid="inbox-filter-stage"]').locator('..').click();
    await page.getByRole('option', { name: /^5 · / }).click();
    await waitFor(
      async () =>
        (await page.locator('[data-testid="approval-item"]').count()) === (await page.locator('[data-testid="approval-item"][data-stage="5"]').count()),
      { what: 'only stage 5' },
    );
    assert.equal(await lateCard.count(), 0);
    await page.locator('[data-testid="inbox-filter-kind"]').locator('..').click();
    await page.getByRole('option', { name: 'Budget' }).click();
    await page.locator('[data-testid="approvals-filtered-empty"]').waitFor({ timeout: 2_000 });
    await page.locator('[data-testid="inbox-filter-kind"]').locator('..').click();
    await page.getByRole('option', { name: 'All' }).click();
    await item.waitFor({ timeout: 2_000 });

    // Decided elsewhere: the card leaves within 2 s.
    assert.equal((await reviewer.post(`/courses/${structure.id}/approve`, { stage: 5 })).status, 200);
    await item.waitFor({ state: 'detached', timeout: 2_000 });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('shows ops every waiting gate with who decides it, and escalates one now — inbox and course page', async () => {
    const course = await atGate('Routing Course', [4], { approvalSlaMinutes: 30 });
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.locator('a[href="#/approvals"]').click();
    const item = card(page, course.id);
    await item.waitFor({ timeout: 15_000 });
    assert.match(await item.locator('[data-testid="gate-deciders"]').innerText(), /Rita Reviewer \(Reviewer\)/);
    assert.match(await item.locator('[data-testid="approval-read-only"]').innerText(), /reviewers decide it/);
    assert.equal(await item.locator('[data-testid="inbox-approve"]').count(), 0);
    assert.match(await item.locator('[data-testid="gate-sla"]').innerText(), /decide by/);
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-inbox-ops');
    // The course page says the same and offers the same escalation.
    await item.locator(`a[href="#/courses/${course.id}/show"]`).click();
    const panel = page.locator('[data-testid="gate-panel"]');
    await panel.waitFor({ timeout: 15_000 });
    assert.match(await panel.locator('[data-testid="gate-deciders"]').innerText(), /Rita Reviewer/);
    assert.match(await panel.locator('[data-testid="approval-wait"]').innerText(), /waiting since/);
    await panel.locator('[data-testid="gate-escalate"]').click();
    await page.getByRole('dialog').locator('[data-testid="gate-escalate-confirm"]').click();
    await panel.locator('[data-testid="gate-escalated"]').waitFor({ timeout: 5_000 });
    assert.equal(await panel.locator('[data-testid="gate-escalate"]').count(), 0);
    // Escalated by a person, who is named: on the badge, in the API's answers, in the history.
    assert.equal(await panel.locator('[data-testid="gate-escalated"]').getAttribute('data-reason'), 'manual');
    assert.match(await panel.locator('[data-testid="gate-escalated"]').innerText(), /escalated by Oscar Ops/);
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-course-escalated');
    const gate = (await ops.get(`/approvals/${course.id}`)).body;
    assert.ok(gate.escalatedAt);
    assert.equal(gate.canDecide, false);
    assert.equal((await ops.post(`/approvals/${course.id}/escalate`)).status, 409, 'once');
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM system_metrics WHERE metric_type = 'approval_escalated' AND course_id = $1`, [course.id]);
    assert.equal(rows[0].n, 1, "the escalation was recorded, as a deadline's is");
    assert.equal(gate.escalation.reason, 'manual');
    assert.equal(gate.escalation.by.name, 'Oscar Ops');
    assert.match((await ops.get(`/courses/${course.id}`)).body.message, /awaiting approval \(escalated by Oscar Ops\)$/);
    const { rows: alert } = await db.query(
      `SELECT message, metadata->>'reason' AS reason FROM system_metrics WHERE metric_type = 'approval_escalated' AND course_id = $1`,
      [course.id],
    );
    assert.deepEqual(alert, [{ message: 'stage 4 approval escalated by Oscar Ops (escalate now)', reason: 'manual' }]);
    await page.locator('[data-testid="tab-history"]').click();
    const escalateRow = page.locator('[data-testid="course-history"] tr', { has: page.locator('td[data-event="ESCALATE"]') });
    await escalateRow.waitFor({ timeout: 10_000 });
    assert.equal(await escalateRow.locator('[data-testid="history-reason"]').innerText(), 'escalated now by Oscar Ops');
    const { rows: history } = await db.query(`SELECT event, actor_type FROM generation_status_history WHERE course_id = $1 AND event = 'ESCALATE'`, [
      course.id,
    ]);
    assert.deepEqual(history, [{ event: 'ESCALATE', actor_type: 'user' }]);
    assert.equal((await reviewer.post(`/approvals/${course.id}/escalate`)).status, 403);

    // A gate whose deadline passes reads differently: past its deadline, nobody named.
    const late = await atGate('Deadline Course', [4], { approvalSlaMinutes: 60 });
    await waitFor(async () => (await db.query(`SELECT 1 FROM gate_deadlines WHERE course_id = $1`, [late.id])).rowCount === 1, { what: 'the deadline row' });
    await db.query(`UPDATE gate_deadlines SET due_at = now() - interval '1 second' WHERE course_id = $1`, [late.id]);
    const swept = await waitFor(
      async () => {
        const g = (await ops.get(`/approvals/${late.id}`)).body;
        return g.escalation && g;
      },
      { what: 'the deadline escalation', timeoutMs: 15_000 },
    );
    assert.deepEqual(swept.escalation, { reason: 'deadline', by: null });
    await waitFor(async () => /\(past its deadline\)$/.test((await ops.get(`/courses/${late.id}`)).body.message), { what: "the deadline's message" });
    await page.goto(`${stack.baseUrl}/#/approvals`);
    const lateBadge = card(page, late.id).locator('[data-testid="gate-escalated"]');
    await lateBadge.waitFor({ timeout: 15_000 });
    assert.equal(await lateBadge.getAttribute('data-reason'), 'deadline');
    assert.match(await lateBadge.innerText(), /escalated: past its deadline/);
    assert.doesNotMatch(await lateBadge.innerText(), /Oscar/);
    assert.match(await card(page, course.id).locator('[data-testid="gate-escalated"]').innerText(), /escalated by Oscar Ops/);
    assert.deepEqual(await axeProblems(page), []);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('shows the course page and its list row the cost the API reports while the course runs, without a reload', async () => {
    const course = (await ops.post('/courses', { title: 'Live Cost Course', approvalGates: [5] })).body;
    // The course list, open in another tab from before the start.
    const list = await newPage(browser);
    await login(list, stack.baseUrl, 'ops@acme.test');
    await list.goto(`${stack.baseUrl}/#/courses`);
    const rowCost = list.locator('tr', { hasText: 'Live Cost Course' }).locator('[data-testid="money-costUsd"]');
    await rowCost.waitFor({ timeout: 15_000 });
    await list.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    assert.equal(Number(await rowCost.getAttribute('data-value')), 0);
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
    const cost = page.locator('[data-testid="money-costUsd"]');
    await cost.waitFor({ timeout: 15_000 });
    await page.locator('[data-testid="live-status"][data-connected="true"]').waitFor({ timeout: 15_000 });
    assert.equal(Number(await cost.getAttribute('data-value')), 0);
    await ops.post(`/courses/${course.id}/generation`);
    // While it runs (stages 4 and 5, then waiting at the gate: not finished).
    await waitFor(
      async () => {
        const api = (await ops.get(`/courses/${course.id}`)).body;
        return api.costUsd > 0 && Number(await cost.getAttribute('data-value')) === api.costUsd;
      },
      { what: "the page to show the running course's cost", timeoutMs: 60_000, intervalMs: 200 },
    );
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the gate',
      timeoutMs: 60_000,
    });
    await waitFor(async () => Number(await cost.getAttribute('data-value')) === (await ops.get(`/courses/${course.id}`)).body.costUsd, {
      what: 'the same cost at the gate',
      timeoutMs: 5_000,
    });
    await shot(page, 'gates-live-cost');
    await waitFor(async () => Number(await rowCost.getAttribute('data-value')) === (await ops.get(`/courses/${course.id}`)).body.costUsd, {
      what: 'the list row to show the same cost, without a reload',
      timeoutMs: 5_000,
    });
    assert.ok(Number(await rowCost.getAttribute('data-value')) > 0);
    assert.deepEqual(page.consoleErrors, []);
    assert.deepEqual(list.consoleErrors, []);
    await page.close();
    await list.close();
  });

  it('offers bulk actions only for the courses they apply to, names them, and restarts in bulk', async () => {
    const done = (await ops.post('/courses', { title: 'Bulk Done', approvalGates: [] })).body;
    await ops.post(`/courses/${done.id}/generation`);
    const stopped = await atGate('Bulk Stopped', [4]);
    assert.equal((await ops.post(`/courses/${stopped.id}/cancel`)).status, 200);
    const idle = (await ops.post('/courses', { title: 'Bulk Idle' })).body;
    await waitFor(async () => (await ops.get(`/courses/${done.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 90_000 });

    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses`);
    for (const title of ['Bulk Done', 'Bulk Stopped', 'Bulk Idle']) await page.locator('tr', { hasText: title }).locator('input[type="checkbox"]').check();
    // Retry applies to none of them (none failed), cancel to none; restart to two.
    assert.equal(await page.locator('[data-testid="bulk-retry"]').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="bulk-cancel"]').isDisabled(), true);
    assert.equal(await page.locator('[data-testid="bulk-restart"]').getAttribute('data-eligible'), '2');
    await page.locator('[data-testid="bulk-restart"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    assert.match(await dialog.locator('h2').innerText(), /Restart from scratch: 2 courses\?/);
    assert.deepEqual((await dialog.locator('[data-testid="bulk-eligible"] li').allInnerTexts()).sort(), ['Bulk Done', 'Bulk Stopped']);
    assert.match(
      await dialog.locator('[data-testid="bulk-skipped"]').innerText(),
      /Bulk Idle: only a finished, failed or cancelled course can be restarted; this one is not started/,
    );
    // No button called Cancel beside the toolbar's: the dialog closes with "Close".
    assert.deepEqual(await dialog.getByRole('button').allTextContents(), ['Close', 'Restart from scratch (2)']);
    assert.deepEqual(await axeProblems(page, { exclude: RA_CHECKBOXES }), []);
    await shot(page, 'gates-bulk-restart');
    await dialog.locator('[data-testid="bulk-go"]').click();
    await page.getByText('2 of 2 done.').waitFor({ timeout: 15_000 });
    for (const c of [done, stopped]) {
      await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.run === 2, { what: `${c.title} restarted`, timeoutMs: 15_000 });
    }
    assert.equal((await ops.get(`/courses/${idle.id}`)).body.status, 'idle');
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('runs a lesson on real React in the sandbox: useState changes what it shows after a click', async () => {
    const course = (await ops.post('/courses', { title: 'Interactive Lesson Course', approvalGates: [] })).body;
    await ops.post(`/courses/${course.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 90_000 });
    const {
      rows: [lesson],
    } = await db.query(
      `SELECT l.id, c.typescript_source FROM lessons l JOIN lesson_contents c ON c.lesson_id = l.id WHERE l.course_id = $1 ORDER BY l.ordinal LIMIT 1`,
      [course.id],
    );
    assert.match(lesson.typescript_source, /useState/);
    const page = await newPage(browser);
    const outside = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(stack.baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('about:')) outside.push(r.url());
    });
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.goto(`${stack.baseUrl}/#/lessons/${lesson.id}/show`);
    const iframe = page.locator('[data-testid="lesson-preview"]');
    await iframe.waitFor({ timeout: 15_000 });
    assert.equal(await iframe.getAttribute('sandbox'), 'allow-scripts');
    const frame = page.frameLocator('[data-testid="lesson-preview"]');
    const button = frame.getByRole('button', { name: 'Check yourself' });
    await button.waitFor({ timeout: 15_000 });
    assert.equal(await frame.locator('p.answers').count(), 0);
    await button.click();
    await frame.getByRole('button', { name: 'Hide the answers' }).waitFor({ timeout: 5_000 });
    assert.match(await frame.locator('p.answers').innerText(), /You can now/);
    assert.equal(await frame.getByRole('button', { name: 'Hide the answers' }).getAttribute('aria-expanded'), 'true');
    // Still sandboxed: an opaque origin, the CSP's no-network rule.
    const inside = await (await iframe.elementHandle()).contentFrame();
    const probe = await inside.evaluate(async () => {
      let fetched;
      try {
        await fetch('https://example.com/');
        fetched = 'reached';
      } catch (e) {
        fetched = `blocked: ${e.name}`;
      }
      return { origin: window.origin, fetched };
    });
    assert.equal(probe.origin, 'null');
    assert.match(probe.fetched, /^blocked/);
    assert.deepEqual(outside, []);
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-lesson-interactive');
    // The CSP's refusal of the probe's fetch is the only console error.
    assert.deepEqual(
      page.consoleErrors.filter((e) => !/Content Security Policy|example\.com|Failed to fetch/.test(e)),
      [],
    );
    await page.close();
  });
});
