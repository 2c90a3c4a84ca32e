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
    for (const [c, title] of [
      [ops, 'Costly A'],
      [ops, 'Costly B'],
      [globex, 'Globex spend'],
    ]) {
      const course = (await c.post('/courses', { title, approvalGates: [] })).body;
      await c.post(`/courses/${course.id}/generation`);
      ids.push([c, course.id]);
    }
    for (const [c, id] of ids)
      await waitFor(async () => (await c.get(`/courses/${id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    finance = await Client.login(stack.baseUrl, 'finance@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  const exact = async (sql) =>
    (
      await db.query(
        `SELECT coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS s FROM generation_trace t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'acme' ${sql}`,
      )
    ).rows[0].s;

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
    const res = await fetch(`${stack.baseUrl}/api/reports/costs.csv?from=${today}&to=${today}&groupBy=course,model`, {
      headers: { authorization: `Bearer ${finance.token}` },
    });
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

  it("serves Prometheus metrics of the caller's organization to admins and ops: courses, calls, tokens and spend equal to the traces", async () => {
    /** name{labels} value lines of a Prometheus text answer. */
    const parse = (text) => {
      const samples = [];
      for (const line of text.split('\n')) {
        if (!line || line.startsWith('#')) continue;
        const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
        assert.ok(m, `not a Prometheus sample line: ${line}`);
        const labels = Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]]));
        samples.push({ name: m[1], labels, value: Number(m[3]) });
      }
      return samples;
    };
    const scrape = async (token) => fetch(`${stack.baseUrl}/api/metrics`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const res = await scrape(ops.token);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const samples = parse(await res.text());
    const value = (name, labels = {}) =>
      samples.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((n, x) => n + x.value, 0);
    // Courses as the database has them, for this organization only.
    const {
      rows: [counts],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE c.status = 'completed')::int AS completed, count(*)::int AS total FROM courses c JOIN organizations o ON o.id = c.organization_id WHERE o.slug = 'acme'`,
    );
    assert.equal(value('mc_courses', { status: 'completed' }), counts.completed);
    assert.equal(value('mc_courses'), counts.total);
    assert.equal(samples.filter((x) => x.name === 'mc_courses').length, 6, 'every status is reported, zeros included');
    // Calls (per model and label), tokens and spend equal the traces.
    const {
      rows: [t],
    } = await db.query(`SELECT count(*)::int AS calls, sum(input_tokens)::int AS input, sum(output_tokens)::int AS output, sum(cost_usd)::float8 AS cost
      FROM generation_trace t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'acme'`);
    assert.equal(value('mc_model_calls_total'), t.calls);
    const { rows: byLabel } = await db.query(
      `SELECT t.model_used AS model, t.label, count(*)::int AS n FROM generation_trace t JOIN organizations o ON o.id = t.organization_id WHERE o.slug = 'acme' GROUP BY 1, 2`,
    );
    assert.ok(byLabel.length >= 2, 'more than one model or label');
    for (const r of byLabel) assert.equal(value('mc_model_calls_total', { model: r.model, label: r.label }), r.n, `${r.model} ${r.label}`);
    assert.equal(value('mc_model_tokens_total', { direction: 'input' }), t.input);
    assert.equal(value('mc_model_tokens_total', { direction: 'output' }), t.output);
    assert.ok(Math.abs(value('mc_model_cost_usd') - t.cost) < 1e-6, `${value('mc_model_cost_usd')} vs ${t.cost}`);
    assert.ok(Math.abs(value('mc_month_spend_usd') - t.cost) < 1e-6);
    // What belongs to no organization, and the process's own numbers.
    assert.equal(value('mc_workers_alive'), 1);
    assert.ok(samples.some((x) => x.name === 'mc_queue_jobs' && x.labels.queue === 'lessons' && x.labels.state === 'waiting'));
    assert.ok(value('mc_api_process_resident_memory_bytes') > 0);
    // Globex sees its own course only; finance, reviewers and strangers see nothing.
    const globex = parse(await (await scrape((await Client.login(stack.baseUrl, 'ops@globex.test')).token)).text());
    const {
      rows: [g],
    } = await db.query(`SELECT count(*)::int AS n FROM courses c JOIN organizations o ON o.id = c.organization_id WHERE o.slug = 'globex'`);
    const globexCourses = globex.filter((x) => x.name === 'mc_courses').reduce((n, x) => n + x.value, 0);
    assert.equal(globexCourses, g.n);
    assert.notEqual(globexCourses, counts.total);
    assert.equal((await scrape(finance.token)).status, 403);
    assert.equal((await scrape((await Client.login(stack.baseUrl, 'reviewer@acme.test')).token)).status, 403);
    assert.equal((await scrape(null)).status, 401);
  });

  it('refuses bad parameters, naming them, and keeps organizations apart', async () => {
    const cases = [
      ['', /from/],
      [`from=${today}`, /to/],
      [`from=2026-13-01&to=${today}`, /from: is not a real date/],
      [`from=${today}&to=2020-01-01`, /from: must not be after to/],
      [`from=2020-01-01&to=${today}`, /to: the range may span at most two years/],
      [`from=${today}&to=${today}&groupBy=password`, /groupBy: .*not "password"/],
      [`from=${today}&to=${today}&evil=1`, /evil/],
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
    assert.deepEqual(
      theirs.map((r) => r.courseTitle),
      ['Globex spend'],
    );
  });

  it('holds a course whose projected cost passes its budget at a budget gate before the lessons; finance decides it', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const reviewer = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    assert.match((await ops.post('/courses', { title: 'Negative budget', budgetUsd: -1 })).body.message, /budgetUsd/);
    const tight = (await ops.post('/courses', { title: 'Tight budget', approvalGates: [], budgetUsd: 0.0001 })).body;
    const ample = (await ops.post('/courses', { title: 'Ample budget', approvalGates: [], budgetUsd: 1000 })).body;
    assert.equal(tight.budgetUsd, 0.0001);
    for (const c of [tight, ample]) assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${tight.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the budget gate',
      timeoutMs: 120_000,
      intervalMs: 200,
    });
    assert.equal((await ops.get(`/courses/${tight.id}`)).body.gateKind, 'budget');
    const status = (await ops.get(`/courses/${tight.id}/status`)).body;
    assert.equal(status.message, 'Structure generation: awaiting budget approval');
    // No lesson was generated, and what was spent so far is what the gate says.
    const {
      rows: [spent],
    } = await db.query(
      `SELECT coalesce(sum(cost_usd), 0)::float8 AS usd, count(*) FILTER (WHERE stage = 'stage_6')::int AS lessons FROM generation_trace WHERE course_id = $1`,
      [tight.id],
    );
    assert.equal(spent.lessons, 0);
    // Finance sees it in its inbox, with numbers and without the generated content; reviewers do not.
    const inbox = (await finance.get('/approvals')).body;
    const item = inbox.find((i) => i.courseId === tight.id);
    assert.equal(item.kind, 'budget');
    assert.equal(item.output, null);
    assert.equal(item.budget.budgetUsd, 0.0001);
    assert.ok(Math.abs(item.budget.spentUsd - spent.usd) < 1e-6, `${item.budget.spentUsd} vs ${spent.usd}`);
    assert.ok(item.budget.projectedUsd > spent.usd, 'the projection adds the lessons to come');
    assert.ok(!(await reviewer.get('/approvals')).body.some((i) => i.courseId === tight.id));
    // Reviewers may not decide it; a budget gate is declined by cancelling, not rerun.
    const refused = await reviewer.post(`/courses/${tight.id}/approve`, { stage: 5 });
    assert.equal(refused.status, 403);
    assert.match(refused.body.message, /budget gate/);
    const rerun = await finance.post(`/courses/${tight.id}/reject`, { stage: 5, action: 'rerun', comment: 'rerun within budget' });
    assert.equal(rerun.status, 400);
    assert.match(rerun.body.message, /^action/);
    // Finance approves; the lessons are generated and the course completes. The other never waited.
    assert.equal((await finance.post(`/courses/${tight.id}/approve`, { stage: 5, comment: 'worth it' })).status, 200);
    for (const c of [tight, ample])
      await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', {
        what: `${c.title} to complete`,
        timeoutMs: 120_000,
        intervalMs: 200,
      });
    const { rows: decided } = await db.query(`SELECT decision, decided_role, comment FROM approvals WHERE course_id = $1`, [tight.id]);
    assert.deepEqual(decided, [{ decision: 'approved', decided_role: 'finance', comment: 'worth it' }]);
    const {
      rows: [waited],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_status_history WHERE course_id = $1 AND to_status LIKE '%awaiting%'`, [ample.id]);
    assert.equal(waited.n, 0);
    // Finance has no say over review gates.
    const reviewed = (await ops.post('/courses', { title: 'Reviewed', approvalGates: [4] })).body;
    await ops.post(`/courses/${reviewed.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${reviewed.id}`)).body.generationStatus === 'stage_4_awaiting_approval', {
      what: 'the review gate',
      timeoutMs: 60_000,
      intervalMs: 200,
    });
    assert.equal((await ops.get(`/courses/${reviewed.id}`)).body.gateKind, 'review');
    assert.equal((await finance.post(`/courses/${reviewed.id}/approve`, { stage: 4 })).status, 403);
    assert.equal((await reviewer.post(`/courses/${reviewed.id}/approve`, { stage: 4 })).status, 200);
  });
});
