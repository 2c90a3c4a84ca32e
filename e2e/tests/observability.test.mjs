// What a platform team plugs in, on one stack and one course: the api's and the worker's
// stdout read as JSON lines (the request id the response header carries, request lines
// with route, status, duration, user and organization; worker lines naming course, job,
// attempt and trace; no passwords or tokens anywhere), Prometheus metrics (promtool
// clean when it is installed, histograms observed after the course, the worker's own
// /metrics, the METRICS_TOKEN scrape credential), and OpenTelemetry: a local OTLP/HTTP
// receiver (JSON encoding) gets one span per phase job with a child span per model call
// carrying the GenAI attributes, the same trace and span ids the trace rows store.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';

const METRICS_TOKEN = 'scrape-token-for-the-e2e-test-0123456789';
const PROMTOOL = ['/usr/bin/promtool', '/usr/local/bin/promtool'].find((p) => existsSync(p));

/** An OTLP/HTTP receiver: every span that arrives, flattened with its attributes. */
async function otlpReceiver() {
  const spans = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const value = (v) =>
          v.stringValue ?? (v.intValue !== undefined ? Number(v.intValue) : undefined) ?? v.doubleValue ?? v.boolValue ?? v.arrayValue?.values?.map(value);
        for (const rs of JSON.parse(body).resourceSpans ?? []) {
          const service = rs.resource?.attributes?.find((a) => a.key === 'service.name')?.value.stringValue;
          for (const ss of rs.scopeSpans ?? []) {
            for (const s of ss.spans ?? []) {
              spans.push({
                service,
                name: s.name,
                kind: s.kind,
                traceId: s.traceId,
                spanId: s.spanId,
                parentSpanId: s.parentSpanId || null,
                status: s.status?.code ?? 0,
                attrs: Object.fromEntries((s.attributes ?? []).map((a) => [a.key, value(a.value)])),
              });
            }
          }
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  const port = await freePort();
  await new Promise((r) => server.listen(port, '127.0.0.1', r));
  return { url: `http://127.0.0.1:${port}`, spans, close: () => new Promise((r) => server.close(r)) };
}

/** name{labels} value samples of a Prometheus text answer. */
function samples(text) {
  return text
    .split('\n')
    .filter((l) => l && !l.startsWith('#'))
    .map((line) => {
      const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
      assert.ok(m, `not a sample line: ${line}`);
      return { name: m[1], labels: Object.fromEntries([...(m[2] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((x) => [x[1], x[2]])), value: Number(m[3]) };
    });
}

function promtool(text) {
  const r = spawnSync(PROMTOOL, ['check', 'metrics'], { input: text, encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('logs, metrics and traces', () => {
  let stack;
  let otlp;
  let workerUrl;
  let ops;
  let courseId;
  let db;
  const api = () => stack.children.find((c) => c.spawnargs.some((a) => a.endsWith('main-api.js')));
  const worker = () => stack.children.find((c) => c.spawnargs.some((a) => a.endsWith('main-worker.js')));
  const jsonLines = (child) =>
    child.stdoutLines.map((l) => {
      try {
        return JSON.parse(l);
      } catch {
        assert.fail(`not a JSON line: ${l}`);
      }
    });

  before(async () => {
    otlp = await otlpReceiver();
    const workerPort = await freePort();
    workerUrl = `http://127.0.0.1:${workerPort}`;
    stack = await startStack({
      capture: true,
      env: {
        LOG_LEVEL: 'info',
        METRICS_TOKEN,
        OTEL_EXPORTER_OTLP_ENDPOINT: otlp.url,
        OTEL_EXPORTER_OTLP_PROTOCOL: 'http/json',
        OTEL_BSP_SCHEDULE_DELAY: '100',
        TRACE_URL_TEMPLATE: 'https://tempo.example/trace/{traceId}?span={spanId}',
      },
      workerEnv: { WORKER_HEALTH_PORT: String(workerPort) },
    });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const created = await ops.post('/courses', { title: 'Observable course', description: 'Watched from outside', approvalGates: [] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    courseId = created.body.id;
    assert.equal((await ops.post(`/courses/${courseId}/generation`)).status, 202);
    await waitFor(async () => (await ops.get(`/courses/${courseId}/status`)).body?.status === 'completed', {
      what: 'the course to complete',
      timeoutMs: 120_000,
    });
  });
  after(async () => {
    await stack?.stop();
    await otlp?.close();
  });

  it('writes JSON lines: the request id of the response header, request lines, and worker lines naming course, job, attempt and trace', async () => {
    const mine = await fetch(`${stack.baseUrl}/api/courses/${courseId}`, {
      headers: { authorization: `Bearer ${ops.token}`, 'x-request-id': 'e2e-request-42' },
    });
    assert.equal(mine.status, 200);
    assert.equal(mine.headers.get('x-request-id'), 'e2e-request-42', "the caller's id comes back");
    const made = await fetch(`${stack.baseUrl}/api/courses`, { headers: { authorization: `Bearer ${ops.token}`, 'x-request-id': 'bad id with spaces' } });
    const madeId = made.headers.get('x-request-id');
    assert.match(madeId, /^[0-9a-f-]{36}$/, 'an unusable incoming id is replaced by a new one');

    const lines = await waitFor(
      async () => {
        const all = jsonLines(api());
        return all.some((l) => l.reqId === madeId) && all;
      },
      { what: 'the request lines' },
    );
    const line = lines.find((l) => l.reqId === 'e2e-request-42');
    assert.ok(line, 'the request line carries the request id');
    assert.equal(line.route, '/api/courses/:id');
    assert.equal(line.status, 200);
    assert.equal(line.method, 'GET');
    assert.equal(typeof line.durationMs, 'number');
    assert.equal(line.userId, ops.user.id);
    assert.equal(line.organizationId, ops.user.organizationId);
    assert.match(line.traceId, /^[0-9a-f]{32}$/, 'and, with traces exported, the trace id');
    assert.equal(line.level, 'info');
    assert.ok(line.time && line.service === 'mission-control-api');
    assert.equal(lines.find((l) => l.reqId === madeId).route, '/api/courses');

    const wlines = jsonLines(worker());
    const phaseLines = wlines.filter((l) => l.msg === 'phase finished');
    assert.ok(phaseLines.length >= 5, `phase lines: ${phaseLines.length}`);
    for (const l of phaseLines) {
      assert.equal(l.courseId, courseId);
      assert.ok(l.jobId && l.attempt >= 1 && l.stage && l.phase, JSON.stringify(l));
      assert.match(l.traceId, /^[0-9a-f]{32}$/);
    }
    const { rows } = await db.query(`SELECT DISTINCT otel_trace_id FROM generation_trace WHERE course_id = $1`, [courseId]);
    const stored = new Set(rows.map((r) => r.otel_trace_id));
    assert.ok(
      phaseLines.some((l) => stored.has(l.traceId)),
      "a worker line's trace id is a trace row's",
    );

    // Nothing secret: not the demo password, not a token, not an authorization header.
    const all = [...api().stdoutLines, ...worker().stdoutLines].join('\n');
    assert.ok(!all.includes('"mission-control"'), 'no password');
    assert.ok(!all.includes(ops.token.slice(-20)), 'no access token');
    assert.ok(!all.includes(METRICS_TOKEN) && !/bearer /i.test(all), 'no credentials');
  });

  it("serves Prometheus metrics: promtool-clean, histograms after a course, the worker's own, and a scrape token", async () => {
    const apiText = await (await fetch(`${stack.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${ops.token}` } })).text();
    const workerRes = await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(workerRes.status, 200);
    assert.match(workerRes.headers.get('content-type'), /^text\/plain; version=0\.0\.4/);
    const workerText = await workerRes.text();
    if (PROMTOOL) {
      for (const [name, text] of [
        ['api', apiText],
        ['worker', workerText],
      ]) {
        const r = promtool(text);
        assert.equal(r.status, 0, `promtool check metrics (${name}): ${r.out}`);
      }
    }
    const w = samples(workerText);
    const sum = (list, name, labels = {}) =>
      list.filter((x) => x.name === name && Object.entries(labels).every(([k, v]) => x.labels[k] === v)).reduce((n, x) => n + x.value, 0);
    const {
      rows: [calls],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE course_id = $1`, [courseId]);
    assert.equal(sum(w, 'mc_model_call_duration_seconds_count'), calls.n, 'one observation per model call');
    assert.ok(sum(w, 'mc_model_call_duration_seconds_count', { provider: 'simulated', outcome: 'ok' }) > 0);
    assert.ok(w.some((x) => x.name === 'mc_model_call_duration_seconds_bucket' && x.labels.le === '+Inf' && x.labels.model));
    for (const stage of ['4', '5', '6']) assert.ok(sum(w, 'mc_phase_duration_seconds_count', { stage, outcome: 'done' }) > 0, `stage ${stage} phases`);
    assert.ok(sum(w, 'mc_queue_wait_seconds_count') > 0);
    assert.ok(sum(w, 'mc_worker_process_resident_memory_bytes') > 0, "the worker process's own numbers");

    const a = samples(apiText);
    assert.equal(sum(a, 'mc_http_request_duration_seconds_count', { route: '/api/courses/:id/generation', status: '202' }), 1);
    assert.ok(sum(a, 'mc_http_request_duration_seconds_count', { route: '/api/courses/:id/status' }) > 0);
    assert.ok(!a.some((x) => x.name.startsWith('mc_http') && x.labels.route?.includes(courseId)), 'route patterns, never ids');
    assert.ok(
      a.some((x) => x.name === 'mc_model_cost_usd'),
      'spend is a gauge',
    );
    assert.ok(!a.some((x) => x.name === 'mc_model_cost_usd_total'));

    // The scrape token: deployment numbers without any organization's; a wrong one is refused.
    const scraped = await fetch(`${stack.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    assert.equal(scraped.status, 200);
    const s = samples(await scraped.text());
    assert.ok(s.some((x) => x.name === 'mc_queue_jobs') && s.some((x) => x.name === 'mc_http_request_duration_seconds_count'));
    assert.ok(!s.some((x) => x.name === 'mc_courses'), 'no tenant numbers without a tenant');
    assert.equal((await fetch(`${stack.baseUrl}/api/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}x` } })).status, 401);
    assert.equal((await fetch(`${workerUrl}/metrics`)).status, 401, 'the worker asks for the token too');
  });

  it('exports one span per phase job with a GenAI child span per model call, the ids the trace rows store', async () => {
    const { rows } = await db.query(
      `SELECT id, otel_trace_id, otel_span_id, model_used, provider, input_tokens, output_tokens, cost_usd::float8 AS cost, attempt
      FROM generation_trace WHERE course_id = $1`,
      [courseId],
    );
    assert.ok(rows.length >= 10);
    const calls = await waitFor(
      () => {
        const found = otlp.spans.filter((s) => s.attrs['gen_ai.operation.name'] && rows.some((r) => r.otel_span_id === s.spanId));
        return found.length === rows.length && found;
      },
      { what: 'a span for every trace row', timeoutMs: 15_000 },
    );
    const phases = otlp.spans.filter((s) => s.name.startsWith('phase ') && s.attrs['mission_control.course_id'] === courseId);
    const byId = new Map(phases.map((p) => [p.spanId, p]));
    // One trace per phase job: each job span is a root with a trace of its own.
    assert.equal(new Set(phases.map((p) => p.traceId)).size, phases.length);
    for (const p of phases) {
      assert.equal(p.parentSpanId, null);
      assert.equal(p.service, 'mission-control-worker');
      for (const k of ['mission_control.stage', 'mission_control.phase', 'mission_control.attempt', 'mission_control.worker', 'mission_control.job_id'])
        assert.ok(p.attrs[k] !== undefined, `${p.name}: ${k}`);
    }
    const {
      rows: [{ n: jobs }],
    } = await db.query(
      `SELECT count(DISTINCT regexp_replace(idempotency_key, '-c[0-9]+(-a[0-9]+)?$', ''))::int AS n FROM generation_trace WHERE course_id = $1`,
      [courseId],
    );
    assert.ok(phases.length >= jobs, `${phases.length} phase spans for ${jobs} jobs with model calls`);
    for (const r of rows) {
      const span = calls.find((s) => s.spanId === r.otel_span_id);
      assert.equal(span.traceId, r.otel_trace_id, "the row stores the span's trace");
      const parent = byId.get(span.parentSpanId);
      assert.ok(parent, "a model call is a child of its phase job's span");
      assert.equal(parent.traceId, span.traceId);
      assert.equal(span.attrs['gen_ai.system'], r.provider);
      assert.equal(span.attrs['gen_ai.request.model'], r.model_used);
      assert.ok(span.attrs['gen_ai.response.model']);
      assert.equal(span.attrs['gen_ai.usage.input_tokens'], r.input_tokens);
      assert.equal(span.attrs['gen_ai.usage.output_tokens'], r.output_tokens);
      assert.ok(Math.abs(span.attrs['mission_control.cost_usd'] - r.cost) < 1e-9);
      assert.equal(span.attrs['mission_control.generation_trace_id'], String(r.id));
      assert.equal(span.kind, 3, 'client span');
    }
    const http = otlp.spans.find((s) => s.service === 'mission-control-api' && s.attrs['http.route'] === '/api/courses/:id/generation');
    assert.ok(http && http.attrs['http.response.status_code'] === 202 && http.kind === 2, 'an HTTP server span');

    // The traces API names the trace and links it to the operator's tracer.
    const list = await ops.get(`/traces?filter=${encodeURIComponent(JSON.stringify({ courseId, otelTraceId: rows[0].otel_trace_id }))}`);
    assert.equal(list.status, 200);
    assert.ok(list.body.length >= 1 && list.body.every((t) => t.otelTraceId === rows[0].otel_trace_id));
    const one = await ops.get(`/traces/${rows[0].id}`);
    assert.equal(one.body.otelSpanId, rows[0].otel_span_id);
    assert.equal(one.body.otelTraceUrl, `https://tempo.example/trace/${rows[0].otel_trace_id}?span=${rows[0].otel_span_id}`);
  });
});
