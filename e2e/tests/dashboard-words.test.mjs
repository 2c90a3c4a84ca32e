// Words, not identifiers (issue 17, findings 4 and 8), in a real browser against the real
// system: the create form's gate boxes name their stage numbers; a refused decision is a
// sentence in English and in Russian, never "APPROVE is not allowed in state cancelled";
// a course cancelled at its gate keeps the finished stage finished; the history speaks of
// events and stages by name; chart axes carry dollars and stage names; lessons count from
// 1 and their page title is the lesson's; Russian dates and plurals follow Russian rules.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';
import { launch, login, newPage, setLanguage, shotSmall } from '../browser.mjs';

const ruPlural = (n, [one, few, many]) => {
  const rule = new Intl.PluralRules('ru-RU').select(n);
  return `${n.toLocaleString('ru-RU')} ${rule === 'one' ? one : rule === 'few' ? few : rule === 'many' ? many : few}`;
};

describe('dashboard in words', () => {
  let stack;
  let browser;
  let ops;
  let gated;
  let completed;
  before(async () => {
    stack = await startStack({ env: { STALL_SWEEP_MS: '3600000' } });
    browser = await launch();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    // Two courses that stop at the stage 4 gate (one refusal per language), one that runs to the end.
    gated = [];
    for (const title of ['Gate Words EN', 'Gate Words RU']) {
      const c = (await ops.post('/courses', { title, approvalGates: [4] })).body;
      await ops.post(`/courses/${c.id}/generation`);
      gated.push(c);
    }
    completed = (await ops.post('/courses', { title: 'Finished Words Course', approvalGates: [] })).body;
    await ops.post(`/courses/${completed.id}/generation`);
    for (const c of gated) {
      await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.generationStatus === 'stage_4_awaiting_approval', {
        what: 'the stage 4 gate',
        timeoutMs: 90_000,
      });
    }
    await waitFor(async () => (await ops.get(`/courses/${completed.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  it("names the stage numbers on the create form's gate boxes, and gates the stage ticked", async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/create`);
    await page.locator('input[name="title"]').fill('Gated at four and five');
    for (const n of [4, 5]) assert.equal(await page.getByLabel(new RegExp(`^Stage ${n} · `)).count(), 1, `box for stage ${n}`);
    await page.getByLabel('Stage 4 · Analysis').check();
    await page.getByLabel('Stage 5 · Structure generation').check();
    await shotSmall(page, 'course-create-en');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(/#\/courses\/[0-9a-f-]{36}\/show/, { timeout: 15_000 });
    const id = /courses\/([0-9a-f-]{36})\/show/.exec(page.url())[1];
    assert.deepEqual((await ops.get(`/courses/${id}`)).body.approvalGates, [4, 5]);
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  for (const [i, lang] of [
    [0, 'en'],
    [1, 'ru'],
  ]) {
    it(`says in plain ${lang === 'en' ? 'English' : 'Russian'} why a decision was refused, and keeps the finished stage finished after a cancel`, async () => {
      const course = gated[i];
      const page = await newPage(browser);
      await login(page, stack.baseUrl, 'reviewer@acme.test');
      await setLanguage(page, lang);
      await page.goto(`${stack.baseUrl}/#/courses/${course.id}/show`);
      const approve = page.locator('[data-testid="approve"]');
      await approve.waitFor({ timeout: 15_000 });
      // An operator cancels the course in the same moment the reviewer approves it.
      await page.route('**/approve', async (route) => {
        assert.ok((await ops.post(`/courses/${course.id}/cancel`)).status < 300);
        await route.continue();
      });
      await approve.click();
      const toast = page.locator('.MuiSnackbar-root');
      await toast.waitFor({ timeout: 30_000 });
      const text = await toast.innerText();
      if (lang === 'en') assert.match(text, /Approving is not possible while the course is at “Cancelled”/);
      else assert.match(text, /Действие «Утверждение» недоступно, пока курс в состоянии «Отменён»/);
      assert.doesNotMatch(text, /APPROVE|not allowed in state|stage_\d|cancelled\b/);
      await shotSmall(page, `refusal-${lang}`);

      // Reloaded: cancelled, and stage 4 (done before the gate) is still done.
      await page.reload();
      const stage4 = page.locator('[data-testid="stage-timeline"] [data-stage="4"]');
      await stage4.waitFor({ timeout: 15_000 });
      assert.equal(await stage4.getAttribute('data-status'), 'completed');
      assert.equal(await page.locator('[data-testid="stage-timeline"] [data-stage="5"]').getAttribute('data-status'), 'pending');

      // History: events and states by name.
      await page.locator('[data-testid="tab-history"]').click();
      const history = page.locator('[data-testid="course-history"]');
      await history.locator('tbody tr').first().waitFor({ timeout: 15_000 });
      const rows = await history.locator('tbody').innerText();
      assert.doesNotMatch(rows, /\b(START|PHASE_DONE|PHASE_STARTED|CANCEL)\b|stage_\d|queued →|\bworker\b/);
      if (lang === 'en') {
        assert.match(rows, /Started/);
        assert.match(rows, /Step done/);
        assert.match(rows, /Stage 4 · Analysis: awaiting approval → Cancelled/);
      } else {
        assert.match(rows, /Запуск/);
        assert.match(rows, /Шаг завершён/);
        assert.match(rows, /Этап 4 · Анализ: ожидает утверждения → Отменён/);
        // Russian dates: day.month.year or "2 дек. 2026", never the US month first.
        assert.match(rows, /\d{1,2} [а-я]+\.? \d{4}/);
      }
      await shotSmall(page, `history-${lang}`, { fullPage: true });
      assert.deepEqual(
        page.consoleErrors.filter((e) => !/409|socket\.io|WebSocket|ERR_FAILED/.test(e)),
        [],
      );
      await setLanguage(page, 'en');
      await page.close();
    });
  }

  it("shows charts in dollars and stage names, lessons from No. 1, and the lesson's own title", async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'ops@acme.test');
    await page.goto(`${stack.baseUrl}/#/courses/${completed.id}/show`);
    const chart = page.locator('[data-testid="course-cost-chart"]');
    await chart.locator('.recharts-bar-rectangle').first().waitFor({ timeout: 15_000 });
    await chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').first().waitFor({ timeout: 10_000 });
    const ticks = await chart.locator('.recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    assert.ok(ticks.length > 1 && ticks.every((t) => t.startsWith('$')), `y ticks ${ticks}`);
    // A tick above zero keeps its decimals: $0.003, not $0.
    assert.ok(
      ticks.some((t) => /^\$0\.0*[1-9]/.test(t) || /^\$[1-9]/.test(t)),
      `y ticks ${ticks}`,
    );
    const x = await chart.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').allTextContents();
    assert.ok(
      x.some((t) => /Stage 4 · Analysis/.test(t)),
      `x ticks ${x}`,
    );
    assert.ok(!x.some((t) => /stage_\d/.test(t)), `x ticks ${x}`);
    await page.locator('[data-testid="tab-lessons"]').click();
    const first = page.locator('[data-testid="course-lessons"] tbody tr').first();
    await first.waitFor({ timeout: 15_000 });
    assert.equal((await first.locator('td').first().innerText()).trim(), '1');
    await first.click();
    await page.locator('[data-testid="lesson-source"]').waitFor({ timeout: 15_000 });
    const title = await page.locator('#react-admin-title').innerText();
    assert.doesNotMatch(title, /Lesson Lesson|Урок Урок/);
    assert.doesNotMatch(await page.locator('main').innerText(), /No\.\s*\n?\s*0\b/);

    // The overview's cost axis in dollars, stage axes by name.
    await page.goto(`${stack.baseUrl}/#/`);
    const costTicks = page.locator('[data-testid="chart-cost-by-day"] .recharts-yAxis-tick-labels .recharts-cartesian-axis-tick-value');
    await costTicks.first().waitFor({ timeout: 15_000 });
    assert.ok((await costTicks.allTextContents()).every((t) => t.startsWith('$')));
    const stageTicks = await page
      .locator('[data-testid="chart-tokens-by-stage"] .recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value')
      .allTextContents();
    assert.ok(stageTicks.length > 0 && stageTicks.every((t) => /^Stage \d · /.test(t)), `stage ticks ${stageTicks}`);
    await shotSmall(page, 'overview-en', { fullPage: true });
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });

  it('writes Russian dates, numbers and plurals by Russian rules', async () => {
    const page = await newPage(browser);
    await login(page, stack.baseUrl, 'finance@acme.test');
    await setLanguage(page, 'ru');
    await page.goto(`${stack.baseUrl}/#/courses`);
    const row = page.locator('tr', { hasText: 'Finished Words Course' });
    await row.waitFor({ timeout: 15_000 });
    const rowText = await row.innerText();
    assert.match(rowText, /\d{2}\.\d{2}\.\d{4}/, rowText);
    assert.doesNotMatch(rowText, /\d{1,2}\/\d{1,2}\/\d{4}|AM|PM/);
    await page.goto(`${stack.baseUrl}/#/costs`);
    const total = page.locator('[data-testid="costs-total"]');
    await total.waitFor({ timeout: 15_000 });
    const finance = await Client.login(stack.baseUrl, 'finance@acme.test');
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);
    const to = new Date().toISOString().slice(0, 10);
    const report = (await finance.get(`/reports/costs?from=${from}&to=${to}&groupBy=day`)).body;
    const calls = Number(report.totals.calls);
    assert.ok(calls > 0);
    await waitFor(async () => (await total.innerText()).includes(ruPlural(calls, ['вызов', 'вызова', 'вызовов'])), {
      what: `"${ruPlural(calls, ['вызов', 'вызова', 'вызовов'])}" in the total`,
      timeoutMs: 10_000,
    });
    await shotSmall(page, 'costs-ru', { fullPage: true });
    await setLanguage(page, 'en');
    assert.deepEqual(page.consoleErrors, []);
    await page.close();
  });
});
