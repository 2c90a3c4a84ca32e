// Finance's books end to end: a price change is a version and each trace names the one
// it was charged at; monthly budget thresholds fire once each, in order, while several
// jobs spend at once (socket events, system_metrics, a signed webhook), and 100 % stops
// the calls; after real runs with forced faults (retry, repair, fallback labels) plus
// random history, every report for random ranges and groupings equals SUM over
// generation_trace to the cent; a re-price preview equals what applying it changes;
// a closed month refuses both a re-price (409) and a direct SQL change (trigger).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { Client, connectLive as connect, freePort, startStack, waitFor } from '../harness.mjs';
import { WORKER_ENTRY, startProcess } from '../../scripts/lib.mjs';

const MODEL = 'openai/gpt-oss-20b';
const enc = encodeURIComponent;

function verify(secret, id, timestamp, body, header) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return header.split(' ').includes(`v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`);
}

/** A deterministic generator, so a failing random case can be replayed from its seed. */
function prng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const day = (d) => d.toISOString().slice(0, 10);
const monthStart = new Date(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
const lastMonth = new Date(Date.UTC(monthStart.getUTCFullYear(), monthStart.getUTCMonth() - 1, 1));
const ym = (d) => d.toISOString().slice(0, 7);

describe('finance books: versioned prices, budgets, exact reports, re-pricing, closed months', () => {
  let stack;
  let db;
  let receiver;
  let socket;
  let ops;
  let finance;
  let admin;
  const hooks = [];
  const seed = Number(process.env.BOOKS_SEED ?? Date.now() % 100_000);

  before(async () => {
    const port = await freePort();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        hooks.push({ headers: req.headers, body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    receiver.url = `http://127.0.0.1:${port}/budget`;
    stack = await startStack({
      workers: 1,
      env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200' },
      // every structure-metadata answer is cut off: repair, fallback, then the course fails
      workerEnv: { SIMULATED_FORCE_FAULT: 'metadata:truncatedJson' },
    });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    finance = await Client.login(stack.baseUrl, 'finance@acme.test');
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    socket = await connect(stack.baseUrl, finance.token);
  });
  after(async () => {
    socket?.disconnect();
    receiver?.close();
    await stack?.stop();
  });

  const run = async (titles) => {
    const ids = [];
    for (const title of titles) {
      const c = (await ops.post('/courses', { title, approvalGates: [] })).body;
      assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
      ids.push(c.id);
    }
    for (const id of ids) {
      await waitFor(async () => ['failed', 'completed'].includes((await ops.get(`/courses/${id}`)).body.status), {
        what: `course ${id} to end`,
        timeoutMs: 150_000,
        intervalMs: 250,
      });
    }
    return ids;
  };

  it('adds price versions, never edits one, and charges each trace at the version in force', async () => {
    const before = (await finance.get(`/models/${enc(MODEL)}`)).body;
    assert.equal(before.history.length, 1);
    const put = await finance.request('PUT', `/models/${enc(MODEL)}`, { inputPricePer1m: 0.37, outputPricePer1m: 0.53 });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.inputPricePer1m, 0.37);
    assert.equal(put.body.history.length, 2);
    const version = put.body.priceVersionId;
    assert.notEqual(version, before.priceVersionId);
    const later = new Date(Date.now() + 86_400_000).toISOString();
    const scheduled = await finance.request('PUT', `/models/${enc(MODEL)}`, { inputPricePer1m: 9, outputPricePer1m: 9, effectiveFrom: later });
    assert.equal(scheduled.status, 200);
    assert.equal(scheduled.body.inputPricePer1m, 0.37, 'a future version is not in force yet');
    assert.equal(scheduled.body.history[0].scheduled, true);
    const past = await finance.request('PUT', `/models/${enc(MODEL)}`, { inputPricePer1m: 1, outputPricePer1m: 1, effectiveFrom: '2020-01-01T00:00:00Z' });
    assert.equal(past.status, 400);
    assert.match(past.body.message, /^effectiveFrom/);
    assert.equal((await ops.request('PUT', `/models/${enc(MODEL)}`, { inputPricePer1m: 1, outputPricePer1m: 1 })).status, 403);
    await assert.rejects(db.query(`UPDATE llm_model_prices SET input_price_per_1m = 0 WHERE id = $1`, [version]), /never edited/);

    const [id] = await run(['Priced course']);
    const {
      rows: [check],
    } = await db.query(
      `SELECT count(*)::int AS n,
              count(*) FILTER (WHERE t.model_used = $2 AND t.price_version_id <> $3)::int AS wrong_version,
              count(*) FILTER (WHERE t.price_version_id IS NULL)::int AS unversioned,
              count(*) FILTER (WHERE t.cost_usd <> round((t.input_tokens * p.input_price_per_1m + t.output_tokens * p.output_price_per_1m) / 1000000, 8))::int AS mispriced,
              count(*) FILTER (WHERE t.model_used = $2)::int AS of_model
         FROM generation_trace t LEFT JOIN llm_model_prices p ON p.id = t.price_version_id WHERE t.course_id = $1`,
      [id, MODEL, version],
    );
    assert.ok(check.n > 0 && check.of_model > 0, JSON.stringify(check));
    assert.deepEqual([check.wrong_version, check.unversioned, check.mispriced], [0, 0, 0]);
    const trace = (await finance.get(`/traces?filter=${enc(JSON.stringify({ courseId: id, modelUsed: MODEL }))}`)).body[0];
    assert.equal(trace.priceVersionId, version);
    assert.equal(trace.inputData, undefined, 'finance never sees prompts');
  });

  it('fires each budget threshold once, in order, with events, a metric and a signed webhook; 100 % stops the calls', async () => {
    const {
      rows: [{ spent }],
    } = await db.query(`SELECT sum(cost_usd)::float8 AS spent FROM generation_trace`);
    assert.ok(spent > 0);
    const bad = await admin.request('PUT', '/organization', { budgetThresholds: [50, 50] });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^budgetThresholds/);
    const budget = Math.round(spent * 2.5 * 1e4) / 1e4;
    const org = await admin.request('PUT', '/organization', { monthlyBudgetUsd: budget, budgetThresholds: [100, 10, 50], budgetWebhookUrl: receiver.url });
    assert.equal(org.status, 200, JSON.stringify(org.body));
    assert.deepEqual(org.body.budgetThresholds, [10, 50, 100]);
    const ids = await run(['Spender one', 'Spender two', 'Spender three']);

    const { rows: crossings } = await db.query(`SELECT threshold FROM budget_threshold_crossings ORDER BY crossed_at, threshold`);
    assert.deepEqual(
      crossings.map((c) => c.threshold),
      [10, 50, 100],
    );
    const failures = [];
    for (const id of ids) failures.push((await ops.get(`/courses/${id}`)).body.errorMessage ?? '');
    assert.ok(
      failures.some((m) => /monthly model budget reached/.test(m)),
      failures.join(' | '),
    );
    const budgets = (await finance.get('/budgets')).body;
    assert.equal(budgets.month, ym(new Date()));
    assert.ok(Number(budgets.spentUsd) >= budget);
    assert.deepEqual(
      budgets.crossed.map((c) => c.threshold),
      [10, 50, 100],
    );
    assert.ok(budgets.thresholds.every((t) => t.crossedAt));
    const { rows: metrics } = await db.query(`SELECT metadata->>'threshold' AS t FROM system_metrics WHERE metric_type = 'budget_threshold' ORDER BY id`);
    assert.deepEqual(
      metrics.map((m) => Number(m.t)),
      [10, 50, 100],
    );

    await waitFor(() => socket.events.filter((e) => e.event === 'budget.threshold').length >= 3, { what: 'budget events', timeoutMs: 20_000 });
    assert.deepEqual(
      socket.events.filter((e) => e.event === 'budget.threshold').map((e) => e.payload.threshold),
      [10, 50, 100],
    );
    assert.ok(socket.events.filter((e) => e.event === 'cost.updated').length >= 3);
    await waitFor(() => hooks.length >= 3, { what: 'budget webhooks', timeoutMs: 30_000 });
    const { webhookSecret } = (await admin.get('/organization/webhook-secret')).body;
    const bodies = hooks.map((h) => {
      assert.ok(verify(webhookSecret, h.headers['webhook-id'], h.headers['webhook-timestamp'], h.body, h.headers['webhook-signature']));
      return JSON.parse(h.body);
    });
    assert.deepEqual(
      bodies.map((b) => b.data.threshold).sort((a, b) => a - b),
      [10, 50, 100],
    );
    assert.ok(bodies.every((b) => b.type === 'budget.threshold'));
    await new Promise((r) => setTimeout(r, 500));
    assert.equal(new Set(hooks.map((h) => h.headers['webhook-id'])).size, hooks.length, 'each threshold is sent once');
    // No budget from here on: the remaining tests spend freely.
    assert.equal((await admin.request('PUT', '/organization', { monthlyBudgetUsd: null })).status, 200);
  });

  it('reports equal SUM over generation_trace to the cent, for random ranges and groupings, JSON and CSV', async () => {
    // One more run whose first analysis call always times out: transport retries. Only
    // the workers are replaced; the API keeps serving.
    const workers = stack.children.filter((c) => c.spawnargs.includes(WORKER_ENTRY));
    stack.children = stack.children.filter((c) => !workers.includes(c));
    await Promise.all(
      workers.map(
        (c) =>
          new Promise((resolve) => {
            c.once('exit', resolve);
            c.kill('SIGTERM');
          }),
      ),
    );
    stack.children.push(
      startProcess(
        'worker-timeouts',
        WORKER_ENTRY,
        { ...stack.env, RUN_MIGRATIONS: 'false', SIMULATED_FORCE_FAULT: 'phase_1_classifier:timeout' },
        { quiet: !process.env.E2E_VERBOSE },
      ),
    );
    await run(['Timing out']);
    const { rows: labels } = await db.query(`SELECT DISTINCT label FROM generation_trace`);
    for (const l of ['first_try', 'retry', 'repair', 'fallback'])
      assert.ok(
        labels.some((r) => r.label === l),
        `no ${l} trace`,
      );
    // Random history over the past three months, through the same triggers as live calls.
    const rnd = prng(seed);
    const { rows: courses } = await db.query(`SELECT id, organization_id FROM courses`);
    const models = ['openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'qwen/qwen3-max', 'google/gemini-2.5-flash'];
    const allLabels = ['first_try', 'retry', 'fallback', 'repair', 'rerun'];
    const values = [];
    for (let i = 0; i < 400; i++) {
      const c = courses[Math.floor(rnd() * courses.length)];
      const at = new Date(monthStart.getTime() - Math.ceil(rnd() * 90) * 86_400_000 + Math.floor(rnd() * 86_400_000));
      const inT = Math.floor(rnd() * 20_000);
      const outT = Math.floor(rnd() * 8_000);
      values.push([
        c.id,
        c.organization_id,
        `stage_${2 + Math.floor(rnd() * 5)}`,
        models[Math.floor(rnd() * 4)],
        inT,
        outT,
        (Math.floor(rnd() * 1e7) / 1e8).toFixed(8),
        allLabels[Math.floor(rnd() * 5)],
        at.toISOString(),
        `hist-${seed}-${i}`,
      ]);
    }
    await Promise.all(
      [0, 1, 2, 3].map(async (part) => {
        const client = await stack.sql();
        for (const v of values.filter((_, i) => i % 4 === part)) {
          await client.query(
            `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, label, created_at, idempotency_key)
           VALUES ($1, $2, $3, 'history', 'history', $4, 'simulated', $5, $6, $7, $8, $9, $10)`,
            v,
          );
        }
      }),
    );

    const groupings = ['day', 'model', 'stage', 'course', 'label', 'organization', 'day,model', 'label,model,stage', 'model,day,label', 'course,stage'];
    const expr = {
      day: `to_char((t.created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD')`,
      model: 't.model_used',
      stage: 't.stage',
      label: 't.label',
      course: 't.course_id::text',
      organization: 't.organization_id::text',
    };
    const key = {
      day: (r) => r.day,
      model: (r) => r.model,
      stage: (r) => r.stage,
      label: (r) => r.label,
      course: (r) => r.courseId,
      organization: (r) => r.organizationId,
    };
    for (let i = 0; i < 12; i++) {
      const a = new Date(monthStart.getTime() - Math.floor(rnd() * 100) * 86_400_000);
      const b = new Date(Math.min(Date.now(), a.getTime() + Math.floor(rnd() * 120) * 86_400_000));
      const [from, to] = [day(a), day(b)];
      const groupBy = groupings[Math.floor(rnd() * groupings.length)].split(',');
      const res = await finance.get(`/reports/costs?from=${from}&to=${to}&groupBy=${groupBy.join(',')}`);
      assert.equal(res.status, 200);
      const { rows: truth } = await db.query(
        `SELECT ${groupBy.map((g, j) => `${expr[g]} AS k${j}`).join(', ')}, count(*)::int AS calls, sum(t.cost_usd)::numeric(18, 8)::text AS cost
           FROM generation_trace t JOIN organizations o ON o.id = t.organization_id
          WHERE o.slug = 'acme' AND (t.created_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2
          GROUP BY ${groupBy.map((_, j) => `k${j}`).join(', ')}`,
        [from, to],
      );
      const want = new Map(truth.map((r) => [groupBy.map((_, j) => r[`k${j}`]).join('|'), `${r.calls} ${r.cost}`]));
      const got = new Map(res.body.rows.map((r) => [groupBy.map((g) => key[g](r)).join('|'), `${r.calls} ${r.costUsd}`]));
      assert.deepEqual(got, want, `seed ${seed}: ${from}..${to} by ${groupBy}`);
      const {
        rows: [{ total }],
      } = await db.query(
        `SELECT coalesce(sum(t.cost_usd), 0)::numeric(18, 8)::text AS total FROM generation_trace t JOIN organizations o ON o.id = t.organization_id
          WHERE o.slug = 'acme' AND (t.created_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2`,
        [from, to],
      );
      assert.equal(res.body.totals.costUsd, total);
      if (i % 4 === 0) {
        const csv = await fetch(`${stack.baseUrl}/api/reports/costs.csv?from=${from}&to=${to}&groupBy=${groupBy.join(',')}`, {
          headers: { authorization: `Bearer ${finance.token}` },
        });
        const lines = (await csv.text()).trim().split('\n').slice(1);
        assert.equal(lines.length, res.body.rows.length);
        const cents = lines.reduce((s, l) => s + BigInt(l.split(',').at(-1).replace('.', '')), 0n);
        assert.equal(cents, BigInt(total.replace('.', '')));
      }
    }
  });

  it('splits spend by attempt label per model and stage: what failure costs', async () => {
    const from = day(new Date(monthStart.getTime() - 100 * 86_400_000));
    const to = day(new Date());
    const res = await finance.get(`/reports/costs/labels?from=${from}&to=${to}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.match((await finance.get(`/reports/costs/labels?from=${from}`)).body.message, /^to/);
    const { rows: truth } = await db.query(
      `SELECT t.model_used AS model, t.stage, t.label, sum(t.cost_usd)::numeric(18, 8)::text AS cost
         FROM generation_trace t JOIN organizations o ON o.id = t.organization_id
        WHERE o.slug = 'acme' AND (t.created_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2 GROUP BY 1, 2, 3`,
      [from, to],
    );
    const {
      rows: [failure],
    } = await db.query(
      `SELECT sum(t.cost_usd)::numeric(18, 8)::text AS cost FROM generation_trace t JOIN organizations o ON o.id = t.organization_id
        WHERE o.slug = 'acme' AND t.label IN ('retry', 'fallback', 'repair') AND (t.created_at AT TIME ZONE 'UTC')::date BETWEEN $1 AND $2`,
      [from, to],
    );
    const field = { first_try: 'firstTryUsd', retry: 'retryUsd', fallback: 'fallbackUsd', repair: 'repairUsd', rerun: 'rerunUsd' };
    const rows = new Map(res.body.rows.map((r) => [`${r.model}|${r.stage}`, r]));
    assert.equal(rows.size, new Set(truth.map((t) => `${t.model}|${t.stage}`)).size);
    for (const t of truth) assert.equal(rows.get(`${t.model}|${t.stage}`)[field[t.label]], t.cost, `${t.model} ${t.stage} ${t.label}`);
    assert.equal(res.body.totals.failureUsd, failure.cost);
    const real = res.body.rows.find((r) => r.stage === 'stage_5' && r.model === 'openai/gpt-oss-120b' && Number(r.fallbackUsd) > 0);
    assert.ok(real, 'the forced metadata faults cost fallbacks');
  });

  const repriceBody = () => ({
    from: day(new Date(lastMonth.getTime() - 40 * 86_400_000)),
    to: day(new Date(monthStart.getTime() - 86_400_000)),
    prices: [
      { model: 'qwen/qwen3-max', inputPerMillion: 1.25, outputPerMillion: 4.5 },
      { model: MODEL, inputPerMillion: 0.05, outputPerMillion: 0.2 },
    ],
  });

  it('re-prices a period exactly as previewed, keeping rollups and traces equal', async () => {
    assert.equal(
      (await finance.post('/reports/reprice/preview', { ...repriceBody(), prices: [{ model: 'nope/x', inputPerMillion: 1, outputPerMillion: 1 }] })).body
        .message,
      'prices.0.model: unknown model "nope/x"',
    );
    assert.match((await finance.post('/reports/reprice/preview', { ...repriceBody(), to: '2001-01-01' })).body.message, /^from: must not be after to/);
    assert.equal((await ops.post('/reports/reprice/preview', repriceBody())).status, 403);
    const body = repriceBody();
    const preview = await finance.post('/reports/reprice/preview', body);
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.ok(preview.body.rows.length > 0);
    const perModelDay = async () =>
      new Map(
        (
          await db.query(
            `SELECT model_used || '|' || to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS k, sum(cost_usd) AS s
         FROM generation_trace WHERE model_used = ANY($1) AND (created_at AT TIME ZONE 'UTC')::date BETWEEN $2 AND $3 GROUP BY 1`,
            [body.prices.map((p) => p.model), body.from, body.to],
          )
        ).rows.map((r) => [r.k, r.s]),
      );
    const before = await perModelDay();
    const applied = await finance.post('/reports/reprice', body);
    assert.equal(applied.status, 200, JSON.stringify(applied.body));
    assert.deepEqual(applied.body.rows, preview.body.rows);
    assert.deepEqual(applied.body.totals, preview.body.totals);
    const after = await perModelDay();
    const { rows: diffs } = await db.query(`SELECT k, (a - b)::numeric(18, 8)::text AS d FROM unnest($1::text[], $2::numeric[], $3::numeric[]) AS x(k, a, b)`, [
      [...after.keys()],
      [...after.values()],
      [...after.keys()].map((k) => before.get(k)),
    ]);
    const diffOf = new Map(diffs.map((r) => [r.k, r.d]));
    for (const r of preview.body.rows) assert.equal(diffOf.get(`${r.model}|${r.day}`), r.differenceUsd, `${r.model} ${r.day}`);
    const {
      rows: [mismatch],
    } = await db.query(
      `SELECT count(*)::int AS n FROM (
         SELECT organization_id, (created_at AT TIME ZONE 'UTC')::date AS d, model_used, sum(cost_usd) AS s FROM generation_trace GROUP BY 1, 2, 3) t
         FULL JOIN (SELECT organization_id, day AS d, model AS model_used, sum(cost_usd) AS s FROM cost_daily_rollup GROUP BY 1, 2, 3) r
           USING (organization_id, d, model_used)
        WHERE t.s IS DISTINCT FROM r.s`,
    );
    assert.equal(mismatch.n, 0, 'rollups equal the traces after re-pricing');
    const {
      rows: [stamped],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE reprice_id = $1`, [applied.body.repriceId]);
    assert.equal(stamped.n, applied.body.changedTraces);
  });

  it('closes a past month for good: re-pricing it is a 409 and direct SQL is refused', async () => {
    assert.equal((await finance.post(`/reports/months/${ym(new Date())}/close`)).status, 409);
    assert.match((await finance.post('/reports/months/2026-13/close')).body.message, /^month: must be a month/);
    assert.equal((await ops.post(`/reports/months/${ym(lastMonth)}/close`)).status, 403);
    const closed = await finance.post(`/reports/months/${ym(lastMonth)}/close`);
    assert.equal(closed.status, 200, JSON.stringify(closed.body));
    assert.equal(closed.body.month, ym(lastMonth));
    assert.equal((await finance.post(`/reports/months/${ym(lastMonth)}/close`)).status, 409);
    assert.deepEqual(
      (await ops.get('/reports/months')).body.map((m) => m.month),
      [ym(lastMonth)],
    );

    const report = (await finance.get(`/reports/costs?from=${day(lastMonth)}&to=${day(new Date(monthStart.getTime() - 86_400_000))}`)).body.totals;
    const refused = await finance.post('/reports/reprice', repriceBody());
    assert.equal(refused.status, 409);
    assert.match(refused.body.message, new RegExp(`closed month.*${ym(lastMonth)}`));
    assert.equal((await finance.post('/reports/reprice/preview', repriceBody())).status, 200, 'a preview changes nothing');
    const inClosed = `(created_at AT TIME ZONE 'UTC')::date >= '${day(lastMonth)}' AND (created_at AT TIME ZONE 'UTC')::date < '${day(monthStart)}'`;
    await assert.rejects(db.query(`UPDATE generation_trace SET cost_usd = cost_usd + 1 WHERE ${inClosed}`), /is closed/);
    await assert.rejects(db.query(`DELETE FROM generation_trace WHERE ${inClosed}`), /is closed/);
    await assert.rejects(db.query(`UPDATE cost_daily_rollup SET cost_usd = 0 WHERE day >= '${day(lastMonth)}' AND day < '${day(monthStart)}'`), /is closed/);
    const {
      rows: [c],
    } = await db.query(`SELECT id, organization_id FROM courses LIMIT 1`);
    await assert.rejects(
      db.query(
        `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, cost_usd, created_at, idempotency_key)
       VALUES ($1, $2, 'stage_4', 'late', 'late', $3, 'simulated', 1, $4, 'late-${seed}')`,
        [c.id, c.organization_id, MODEL, `${day(lastMonth)}T12:00:00Z`],
      ),
      /is closed/,
    );
    assert.deepEqual((await finance.get(`/reports/costs?from=${day(lastMonth)}&to=${day(new Date(monthStart.getTime() - 86_400_000))}`)).body.totals, report);
    // The open month still re-prices.
    const open = await finance.post('/reports/reprice', {
      from: day(monthStart),
      to: day(new Date()),
      prices: [{ model: MODEL, inputPerMillion: 0.4, outputPerMillion: 0.6 }],
    });
    assert.equal(open.status, 200, JSON.stringify(open.body));
    // Every successful change is in the audit log, refusals are not.
    const audited = async (action) => (await admin.get(`/audit?filter=${enc(JSON.stringify({ action }))}`)).body.map((a) => a.actorEmail);
    assert.deepEqual(await audited('models.update'), ['finance@acme.test', 'finance@acme.test']);
    assert.deepEqual(await audited('reports.reprice'), ['finance@acme.test', 'finance@acme.test']);
    assert.deepEqual(await audited('reports.close'), ['finance@acme.test']);
  });
});
