// Finance's cost report: sums read from the rollup equal the sums over the traces to
// the last decimal, for any grouping; the CSV says the same; bad parameters are 400s
// naming the parameter; each organization sees its own spend only.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';

describe('cost reports', () => {
  let stack;
  let db;
  let finance;
  const today = new Date().toISOString().slice(0, 10);
  before(async () => {
    stack = await startStack({ workerEnv: { SIMULATED_FORCE_FAULT: 'metadata:malformedJson' } });
    db = await stack.sql();
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const ids = [];
    for (const [c, title] of [[ops, 'Costly A'], [ops, 'Costly B'], [globex, 'Globex spend']]) {
      const course = (await c.post('/courses', { title, approvalGates: [] })).body;
      await c.post(`/courses/${course.id}/generation`);
      ids.push([c, course.id]);
    }
    for (const [c, id] of ids) await waitFor(async () => (await c.get(`/courses/${id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    finance = await Client.login(stack.baseUrl, 'finance@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  const exact = async (sql) => (await db.query(`SELECT coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS s FROM generation_trace t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'acme' ${sql}`)).rows[0].s;

  it('equals the traces to the last decimal, whatever the grouping', async () => {
    for (const groupBy of ['day', 'model', 'stage', 'course', 'label', 'day,model', 'stage,model,label', 'organization']) {
      const res = await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=${groupBy}`);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.equal(res.body.totals.costUsd, await exact(''));
      const sum = res.body.rows.reduce((s, r) => s + BigInt(r.costUsd.replace('.', '')), 0n);
      assert.equal(sum, BigInt(res.body.totals.costUsd.replace('.', '')), `rows of ${groupBy} do not add up`);
    }
    const byModel = (await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=model`)).body.rows;
    for (const r of byModel) assert.equal(r.costUsd, await exact(`AND t.model_used = '${r.model}'`));
    const byLabel = (await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=label`)).body.rows;
    assert.ok(byLabel.some((r) => r.label === 'first_try'));
    const byCourse = (await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=course`)).body.rows;
    assert.deepEqual(byCourse.map((r) => r.courseTitle).sort(), ['Costly A', 'Costly B']);
  });

  it('exports the same numbers as CSV', async () => {
    const res = await fetch(`${stack.baseUrl}/api/reports/costs.csv?from=${today}&to=${today}&groupBy=course,model`, { headers: { authorization: `Bearer ${finance.token}` } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /text\/csv/);
    assert.match(res.headers.get('content-disposition'), /attachment; filename="costs-/);
    const lines = (await res.text()).trim().split('\n');
    assert.equal(lines[0], 'courseId,courseTitle,model,calls,inputTokens,outputTokens,costUsd');
    const json = (await finance.get(`/reports/costs?from=${today}&to=${today}&groupBy=course,model`)).body;
    assert.equal(lines.length - 1, json.rows.length);
    const csvTotal = lines.slice(1).reduce((s, l) => s + BigInt(l.split(',').at(-1).replace('.', '')), 0n);
    assert.equal(csvTotal, BigInt(json.totals.costUsd.replace('.', '')));
  });

  it('refuses bad parameters, naming them, and keeps organizations apart', async () => {
    const cases = [
      ['', /from/], [`from=${today}`, /to/], [`from=2026-13-01&to=${today}`, /from: is not a real date/],
      [`from=${today}&to=2020-01-01`, /from: must not be after to/], [`from=2020-01-01&to=${today}`, /to: the range may span at most two years/],
      [`from=${today}&to=${today}&groupBy=password`, /groupBy: .*not "password"/], [`from=${today}&to=${today}&evil=1`, /evil/],
    ];
    for (const [qs, pattern] of cases) {
      const res = await finance.get(`/reports/costs?${qs}`);
      assert.equal(res.status, 400, qs);
      assert.match(res.body.message, pattern);
    }
    const reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    assert.equal((await reviewer.get(`/reports/costs?from=${today}&to=${today}`)).status, 403);
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const theirs = (await globex.get(`/reports/costs?from=${today}&to=${today}&groupBy=course`)).body.rows;
    assert.deepEqual(theirs.map((r) => r.courseTitle), ['Globex spend']);
  });
});
