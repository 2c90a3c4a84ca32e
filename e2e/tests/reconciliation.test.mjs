// Invoice reconciliation against real traces: a course runs, finance uploads the month's
// usage export (generic and OpenRouter's activity format) and gets per model × day our
// recorded cost against the invoice; a file with one changed cell shows exactly that
// variance and nothing else; the traces behind a cell are one filtered list away; a bad
// file is a 400 naming the line and the column; only finance and admins may.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, startStack, waitFor } from '../harness.mjs';
import { SCREENSHOTS, launch, login, newPage } from '../browser.mjs';

const micros = (usd) => Math.round(Number(usd) * 1e6);

describe('invoice reconciliation', () => {
  let stack;
  let finance;
  let month;
  let recorded;
  before(async () => {
    stack = await startStack();
    finance = await Client.login(stack.baseUrl, 'finance@acme.test');
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Invoiced course', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'the course to complete', timeoutMs: 120_000 });
    const today = new Date().toISOString().slice(0, 10);
    month = today.slice(0, 7);
    // What the cost report says we recorded, per day and model (read independently of reconciliation).
    recorded = (await finance.get(`/reports/costs?from=${month}-01&to=${today}&groupBy=day,model`)).body.rows;
    assert.ok(recorded.length >= 2, 'the course called at least two models');
  });
  after(async () => {
    await stack?.stop();
  });

  const upload = (body, who = finance) => who.post('/reports/reconciliation', { month, ...body });
  const genericCsv = (rows) =>
    ['model,day,input_tokens,output_tokens,cost', ...rows.map((r) => [r.model, r.day, r.inputTokens, r.outputTokens, r.costUsd].join(','))].join('\n');

  it('shows exactly the variance of the one changed cell', async () => {
    const changed = recorded[1];
    const invoice = recorded.map((r) => (r === changed ? { ...r, costUsd: (Number(r.costUsd) + 0.25).toFixed(8) } : r));
    const res = await upload({ csv: genericCsv(invoice) });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.format, 'generic');
    assert.equal(res.body.rows.length, recorded.length);
    const off = res.body.rows.filter((r) => r.status !== 'match');
    assert.equal(off.length, 1, JSON.stringify(off));
    assert.equal(off[0].model, changed.model);
    assert.equal(off[0].day, changed.day);
    assert.equal(off[0].status, 'over');
    assert.equal(off[0].varianceUsd, 0.25);
    assert.equal(off[0].recorded.costUsd, micros(changed.costUsd) / 1e6);
    assert.equal(off[0].variancePct, Math.round((0.25e6 / micros(changed.costUsd)) * 10_000) / 100);
    for (const r of res.body.rows.filter((x) => x !== off[0])) {
      assert.equal(r.varianceUsd, 0, `${r.model} ${r.day}`);
      assert.equal(r.recorded.calls, recorded.find((x) => x.model === r.model && x.day === r.day).calls);
    }
    assert.equal(res.body.totals.varianceUsd, 0.25);
    assert.equal(res.body.totals.mismatched, 1);
    assert.deepEqual(res.body.unmatchedModels, []);
    // The traces behind the changed cell: the traces list with the answer's filter.
    const filter = encodeURIComponent(JSON.stringify(off[0].traces.filter));
    const traces = await finance.get(`/traces?filter=${filter}&range=[0,499]`);
    assert.equal(traces.status, 200);
    assert.equal(traces.body.length, changed.calls);
    assert.ok(traces.body.every((t) => t.modelUsed === changed.model && t.createdAt.startsWith(changed.day)));
    assert.equal(micros(traces.body.reduce((s, t) => s + t.costUsd, 0)), micros(changed.costUsd));
  });

  it("reads OpenRouter's activity export, one line per request, and matches the traces it came from", async () => {
    const traces = (await finance.get('/traces?range=[0,499]&sort=["createdAt","ASC"]')).body;
    const lines = traces.map((t, i) =>
      [`gen-${i}`, t.createdAt.replace('T', ' ').replace('Z', ''), `"${t.modelUsed}"`, t.inputTokens, t.outputTokens, t.costUsd.toFixed(8), 'Simulated'].join(
        ',',
      ),
    );
    const csv = ['generation_id,created_at,model_permaslug,tokens_prompt,tokens_completion,cost_total,provider_name', ...lines].join('\r\n');
    const res = await upload({ csv });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.format, 'openrouter');
    assert.deepEqual(res.body.columns, {
      model: 'model_permaslug',
      day: 'created_at',
      inputTokens: 'tokens_prompt',
      outputTokens: 'tokens_completion',
      cost: 'cost_total',
    });
    assert.equal(res.body.totals.lines, traces.length);
    assert.deepEqual(
      res.body.rows.filter((r) => r.status !== 'match'),
      [],
    );
    for (const r of res.body.rows) {
      assert.equal(r.invoice.lines, r.recorded.calls);
      assert.equal(r.invoice.inputTokens, r.recorded.inputTokens);
      assert.equal(r.invoice.outputTokens, r.recorded.outputTokens);
    }
  });

  it('answers a bad file with a 400 naming the line and the column', async () => {
    const rows = recorded.map((r, i) => (i === 1 ? { ...r, costUsd: 'twelve' } : r));
    const bad = await upload({ csv: genericCsv(rows) });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.message, 'csv: line 3, column "cost": "twelve" is not an amount in USD');
    const outside = await upload({ csv: genericCsv([{ ...recorded[0], day: '1999-12-31' }]) });
    assert.equal(outside.status, 400);
    assert.match(outside.body.message, /^csv: line 2, column "day": 1999-12-31 is not in /);
    assert.match((await upload({ csv: 'model,cost\nx,1\n' })).body.message, /^csv: line 1: no day column/);
    const month13 = await finance.post('/reports/reconciliation', { month: '2026-13', csv: 'x' });
    assert.equal(month13.status, 400);
    assert.match(month13.body.message, /^month/);
  });

  it('shows the variance on the dashboard page, in a chart and a table, for finance', async () => {
    const invoice = recorded.map((r, i) => (i === 0 ? { ...r, costUsd: (Number(r.costUsd) + 0.5).toFixed(8) } : r));
    const file = join(tmpdir(), `invoice-${process.pid}.csv`);
    writeFileSync(file, genericCsv(invoice));
    const browser = await launch();
    try {
      const page = await newPage(browser);
      await login(page, stack.baseUrl, 'finance@acme.test');
      await page.getByRole('menuitem', { name: 'Invoice reconciliation' }).click();
      await page.locator('[data-testid="reconciliation-month"]').fill(month);
      await page.locator('[data-testid="reconciliation-file"]').setInputFiles(file);
      await page.locator('[data-testid="reconciliation-run"]').click();
      await page.locator('[data-testid="reconciliation-table"]').waitFor();
      await page.locator('[data-testid="reconciliation-chart"] svg').first().waitFor();
      assert.equal(await page.locator('[data-testid="reconciliation-table"] tbody tr').count(), recorded.length);
      const over = page.locator('[data-testid="reconciliation-table"] tr[data-status="over"]');
      assert.equal(await over.count(), 1);
      assert.match(await over.innerText(), new RegExp(`${recorded[0].day}[\\s\\S]*${recorded[0].model.replace(/[/.]/g, '\\$&')}[\\s\\S]*\\$0\\.50`));
      assert.equal(await page.locator('[data-testid="reconciliation-table"] tr[data-status="match"]').count(), recorded.length - 1);
      await page.screenshot({ path: join(SCREENSHOTS, 'reconciliation.png'), fullPage: true });
      // A bad file: the server's message, naming the line and the column.
      const badFile = join(tmpdir(), `invoice-bad-${process.pid}.csv`);
      writeFileSync(badFile, 'model,day,input_tokens,output_tokens,cost\nm,2026-02-30,1,1,0.1\n');
      await page.locator('[data-testid="reconciliation-file"]').setInputFiles(badFile);
      await page.getByRole('button', { name: `invoice-bad-${process.pid}.csv` }).waitFor();
      await page.locator('[data-testid="reconciliation-run"]').click();
      await waitFor(
        async () =>
          /line 2, column "day"/.test(
            await page
              .locator('[data-testid="reconciliation-error"]')
              .innerText()
              .catch(() => ''),
          ),
        { what: 'the error', timeoutMs: 10_000 },
      );
      assert.deepEqual(
        page.consoleErrors.filter((e) => !/status of 400/.test(e)),
        [],
      );
    } finally {
      await browser.close();
    }
  });

  it('is for finance and admins only', async () => {
    const csv = genericCsv(recorded);
    for (const email of ['ops@acme.test', 'reviewer@acme.test']) {
      assert.equal((await upload({ csv }, await Client.login(stack.baseUrl, email))).status, 403, email);
    }
    assert.equal((await upload({ csv }, await Client.login(stack.baseUrl, 'admin@acme.test'))).status, 200);
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    assert.equal((await upload({ csv }, globex)).status, 403);
  });
});
