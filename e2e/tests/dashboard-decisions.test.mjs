// A reviewer's decisions at a gate in a real browser (Debian's Chromium via
// playwright-core) against real api + worker processes:
// - a reviewer cannot reject without saying why or without choosing rerun / cancel (and
//   neither can the API), sees the rerun's estimate first, and the next card says why
//   the attempt before was rejected;
// - after a rerun the card says what changed since the rejected attempt — sections and
//   lessons in words, in English and Russian, no JSON.
// axe-core finds nothing critical or serious on each page touched.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { Client, startAtGate, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, approvalCard, axeProblems, launch, login, newPage, setLanguage } from '../browser.mjs';

const shot = (page, name) => page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });

describe("dashboard: a reviewer's decisions", () => {
  let stack;
  let browser;
  let ops;
  let reviewer;
  let db;
  before(async () => {
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
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

  it('refuses a rejection without a reason or a next step, shows the rerun estimate, and the next card says why', async () => {
    const course = await atGate('Reject Reasons Course', [4]);
    // The API refuses it too, naming the field.
    const bare = await reviewer.post(`/courses/${course.id}/reject`, { stage: 4, action: 'rerun' });
    assert.equal(bare.status, 400);
    assert.match(bare.body.message, /reasons: give at least one reason or a comment/);
    const empty = await reviewer.post(`/courses/${course.id}/reject`, { stage: 4, action: 'rerun', reasons: [], comment: '   ' });
    assert.equal(empty.status, 400);

    const page = await newPage(browser);
    const rejects = [];
    page.on('request', (r) => {
      if (r.method() === 'POST' && /\/reject$/.test(r.url())) rejects.push(r.url());
    });
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.goto(`${stack.baseUrl}/#/approvals`);
    await card(page, course.id).locator('[data-testid="inbox-reject"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.waitFor();
    // Neither rerun nor cancel is chosen for the reviewer.
    assert.equal(await dialog.locator('input[type="radio"]:checked').count(), 0);
    await dialog.locator('[data-testid="reject-confirm"]').click();
    await dialog.locator('[data-testid="reject-need-reason"]').waitFor({ timeout: 5_000 });
    await dialog.locator('[data-testid="reject-need-action"]').waitFor({ timeout: 5_000 });
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-reject-refused');
    // A comment alone is a reason; without a next step it is still refused.
    await dialog.locator('[data-testid="reject-comment"]').fill('Go deeper into indexes');
    await dialog.locator('[data-testid="reject-confirm"]').click();
    await page.waitForTimeout(300);
    assert.equal(await dialog.locator('[data-testid="reject-need-reason"]').count(), 0);
    assert.equal(await dialog.locator('[data-testid="reject-need-action"]').count(), 1);
    assert.deepEqual(rejects, [], 'nothing was sent');
    // Rerun: its estimated cost is shown before confirming — what the stage cost last time.
    await dialog.locator('[data-testid="reject-action-rerun"]').check();
    const estimate = dialog.locator('[data-testid="reject-rerun-estimate"]');
    await estimate.waitFor();
    const gate = (await reviewer.get(`/approvals/${course.id}`)).body;
    assert.ok(Number(gate.rerunEstimateUsd) > 0, 'stage 4 cost something');
    assert.equal(Number(await estimate.getAttribute('data-value')), Number(gate.rerunEstimateUsd));
    assert.match(await estimate.innerText(), /\$0\.\d{4}|\$\d+\.\d{2}/);
    await shot(page, 'gates-reject-estimate');
    await dialog.locator('[data-testid="reject-confirm"]').click();
    await waitFor(async () => rejects.length === 1, { what: 'the rejection sent' });
    // The rerun reaches the gate again: the card says why the attempt before was rejected.
    const again = card(page, course.id).locator('[data-testid="approval-previous"]');
    await again.waitFor({ timeout: 90_000 });
    const text = await again.innerText();
    assert.match(text, /A previous attempt was rejected/);
    assert.match(text, /Go deeper into indexes/);
    assert.doesNotMatch(text, /: —|:\s*$/);
    const { rows } = await db.query(`SELECT decision, action, comment, reasons FROM approvals WHERE course_id = $1`, [course.id]);
    assert.deepEqual(rows, [{ decision: 'rejected', action: 'rerun', comment: 'Go deeper into indexes', reasons: [] }]);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('says what a rerun changed since the rejected attempt: sections and lessons in words, not JSON lines', async () => {
    const course = await atGate('Rerun Diff Course', [5]);
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'reviewer@acme.test');
    await page.goto(`${stack.baseUrl}/#/approvals`);
    const item = card(page, course.id);
    // A first attempt has nothing to compare with.
    await item.locator('[data-testid="inbox-reject"]').waitFor({ timeout: 15_000 });
    assert.equal(await item.locator('[data-testid="diff-toggle"]').count(), 0);
    await item.locator('[data-testid="inbox-reject"]').click();
    const dialog = page.getByRole('dialog');
    await dialog.locator('[data-testid="reason-too_shallow"]').check();
    await dialog.locator('[data-testid="reject-action-rerun"]').check();
    await dialog.locator('[data-testid="reject-confirm"]').click();
    await dialog.waitFor({ state: 'detached', timeout: 10_000 });

    // The rerun reaches the gate again: the card offers what changed, compactly, on demand.
    const toggle = item.locator('[data-testid="diff-toggle"]');
    await toggle.waitFor({ timeout: 90_000 });
    const gate = (await reviewer.get(`/approvals/${course.id}`)).body;
    const numbers = (o) => new Set((o?.sections ?? []).map((x) => x.section_number));
    const [was, now] = [numbers(gate.previous.output), numbers(gate.output)];
    const addedSections = [...now].filter((n) => !was.has(n)).length;
    assert.match(await toggle.innerText(), /Show what changed \(\d+ changes?\)/i);
    assert.equal(await item.locator('[data-testid="structure-diff"]').count(), 0, 'closed until asked');
    // By keyboard: the toggle, then a changed lesson's disclosure.
    await toggle.focus();
    await page.keyboard.press('Enter');
    const diff = item.locator('[data-testid="structure-diff"]');
    await diff.waitFor({ timeout: 5_000 });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    assert.ok(Number(await diff.getAttribute('data-changes')) > 0);
    const summary = await diff.locator('[data-testid="diff-summary"]').innerText();
    assert.match(summary, /Lessons — .*(added|changed): \d+/);
    if (addedSections > 0) assert.match(summary, new RegExp(`Sections — added: ${addedSections}`));
    assert.equal(await diff.locator('[data-testid="diff-section"][data-change="added"]').count(), addedSections);
    // Sections and lessons by number and title, with the fields that changed named in words.
    assert.match(await diff.locator('[data-testid="diff-section"]').first().innerText(), /Section \d+ · \S/);
    const changedLesson = diff.locator('[data-testid="diff-lesson"][data-change="changed"]').first();
    const lessonSummary = changedLesson.locator('summary');
    assert.match(await lessonSummary.innerText(), /Lesson \d+\.\d+ · .+ — changed: (Title|Objectives|Key topics|Duration|Exercises)/);
    await lessonSummary.focus();
    await page.keyboard.press('Enter');
    const fields = changedLesson.locator('[data-testid="diff-fields"]');
    await fields.waitFor({ timeout: 5_000 });
    assert.match(await fields.innerText(), /(Objectives|Key topics|Duration|Title|Exercises):/);
    // No raw JSON: no quoted keys, no brace or bracket lines.
    const text = await diff.innerText();
    assert.doesNotMatch(text, /"\w+"\s*:/);
    assert.doesNotMatch(text, /^\s*[{}[\]],?\s*$/m);
    assert.doesNotMatch(text, /lesson_objectives|section_number|estimated_duration/);
    assert.deepEqual(await axeProblems(page), []);
    await shot(page, 'gates-rerun-diff');

    // The same in Russian (the app bar hides on scrolling down: back to the top first).
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator('header').waitFor({ state: 'visible' });
    await setLanguage(page, 'ru');
    try {
      if ((await toggle.getAttribute('aria-expanded')) !== 'true') await toggle.click();
      await diff.locator('h3', { hasText: 'Что изменилось после отклонённой попытки' }).waitFor({ timeout: 5_000 });
      assert.match(await diff.locator('[data-testid="diff-summary"]').innerText(), /Уроки — .*(добавлено|изменено): \d+/);
      assert.match(await diff.locator('[data-testid="diff-section"]').first().innerText(), /Раздел \d+ · /);
      assert.match(await changedLesson.locator('summary').innerText(), /Урок \d+\.\d+ · .+ — изменено: /);
      assert.deepEqual(await axeProblems(page), []);
      await shot(page, 'gates-rerun-diff-ru');
    } finally {
      await page.evaluate(() => window.scrollTo(0, 0));
      await setLanguage(page, 'en');
    }
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
});
