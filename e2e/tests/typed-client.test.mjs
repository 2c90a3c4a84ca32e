// The contract from the client's side: e2e/typed-client/calls.mts — an openapi-fetch
// client typed by the dashboard's generated types — type-checks, and run against a
// stack its calls (sign-in, a course through its stage 4 gate, the list with react-admin's
// parameters, the reviewer's inbox and decision, errors) answer what the checked-in
// spec says: every body is validated against the operation's response schema for the
// status it came with (additional fields are refused: the schemas are exact), and
// /api/docs-json serves that same spec. Then every GET operation, for every role, is
// answered with what the spec documents for the status it gives.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';
import { ROOT } from '../../scripts/lib.mjs';
import { startStack, waitFor } from '../harness.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;
const addFormats = require('ajv-formats').default;

const SPEC = JSON.parse(readFileSync(join(ROOT, 'backend/openapi.json'), 'utf8'));

/** A validator per operation and status, from the spec's own response schemas. */
function responseValidator(spec) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'spec', components: spec.components });
  const cache = new Map();
  return (method, path, status, body) => {
    const op = spec.paths[path]?.[method];
    assert.ok(op, `${method.toUpperCase()} ${path} is in the spec`);
    let response = op.responses[String(status)];
    assert.ok(response, `${method.toUpperCase()} ${path} documents status ${status} (has ${Object.keys(op.responses).join(', ')})`);
    if (response.$ref) response = spec.components.responses[response.$ref.split('/').pop()];
    const schema = response.content?.['application/json']?.schema;
    if (!schema) return;
    const key = `${method} ${path} ${status}`;
    if (!cache.has(key)) {
      const rewritten = JSON.parse(JSON.stringify(schema).replaceAll('"#/components/', '"spec#/components/'));
      cache.set(key, ajv.compile(rewritten));
    }
    const validate = cache.get(key);
    assert.ok(validate(body), `${key}: ${ajv.errorsText(validate.errors, { separator: '\n  ' })}\n${JSON.stringify(body).slice(0, 600)}`);
  };
}

describe('a client generated from the OpenAPI document', () => {
  let stack;
  let calls;

  before(async () => {
    const tsc = spawnSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', join(ROOT, 'e2e/typed-client/tsconfig.json')], { encoding: 'utf8', cwd: ROOT });
    assert.equal(tsc.status, 0, `tsc --noEmit over e2e/typed-client:\n${tsc.stdout}${tsc.stderr}`);
    const out = join(mkdtempSync(join(tmpdir(), 'mc-typed-client-')), 'calls.mjs');
    const esbuild = spawnSync(
      join(ROOT, 'node_modules/.bin/esbuild'),
      [join(ROOT, 'e2e/typed-client/calls.mts'), '--bundle', '--platform=node', '--format=esm', `--outfile=${out}`, '--log-level=warning'],
      { encoding: 'utf8', cwd: ROOT },
    );
    assert.equal(esbuild.status, 0, esbuild.stderr);
    calls = await import(pathToFileURL(out).href);
    stack = await startStack();
  });

  after(async () => {
    await stack?.stop();
  });

  it('type-checks (the refused calls are type errors) and its answers match the spec', async () => {
    const check = responseValidator(SPEC);
    const seen = [];
    const { api: admin, session } = await calls.signIn(stack.baseUrl, 'admin@acme.test', seen);
    const { api: reviewer } = await calls.signIn(stack.baseUrl, 'reviewer@acme.test', seen);
    assert.equal(session.user.email, 'admin@acme.test');

    const course = await calls.createAndStart(admin, 'Typed client: photosynthesis', seen);
    assert.equal(course.title, 'Typed client: photosynthesis');
    assert.deepEqual(course.approvalGates, [4]);
    const waiting = await waitFor(
      async () => {
        const s = await calls.status(admin, course.id, seen);
        return s.generationStatus === 'stage_4_awaiting_approval' && s;
      },
      { what: 'the stage 4 gate', timeoutMs: 90_000 },
    );
    assert.equal(waiting.status, 'generating');
    assert.match(waiting.message, /[а-яё]/i, 'Accept-Language: ru gives the Russian message');

    const s = await calls.sample(admin, reviewer, course.id, seen);
    assert.ok(
      s.page.some((c) => c.id === course.id),
      'the awaiting course is on the filtered page',
    );
    assert.match(s.contentRange ?? '', /^courses \d+-\d+\/\d+\+?$/);
    assert.equal(s.course.id, course.id);
    assert.equal(s.course.generationStatus, 'stage_4_awaiting_approval');
    assert.ok(s.course.analysisResult, "the course carries stage 4's output");
    assert.deepEqual(
      s.stages.map((x) => x.number),
      [2, 3, 4, 5, 6],
    );
    assert.equal(s.stages.find((x) => x.number === 4).status, 'awaiting');
    const item = s.inbox.find((i) => i.courseId === course.id);
    assert.equal(item.kind, 'review');
    assert.equal(item.stage, 4);
    assert.ok(item.output, 'a reviewer sees what the stage produced');
    assert.notEqual(s.approved.generationStatus, 'stage_4_awaiting_approval');
    assert.equal(s.me.email, 'admin@acme.test');
    assert.ok(s.me.actions.includes('courses.create'));
    assert.equal(s.notFound.status, 404);
    assert.equal(s.notFound.error.message, 'course not found');
    assert.equal(s.badId.status, 400);
    assert.match(s.badId.error.message, /^id: /);

    // Every answer, whatever its status, is what the spec documents for it.
    assert.ok(seen.length >= 14, `${seen.length} calls`);
    for (const r of seen) check(r.method, r.path, r.status, r.body);
  });

  it('answers every GET operation of the spec with the documented shape, for every role', async () => {
    const check = responseValidator(SPEC);
    const today = new Date().toISOString().slice(0, 10);
    const QUERY = {
      '/api/reports/costs': `?from=${today.slice(0, 8)}01&to=${today}&groupBy=day,model`,
      '/api/reports/costs.csv': `?from=${today.slice(0, 8)}01&to=${today}&groupBy=stage`,
      '/api/reports/costs/labels': `?from=${today.slice(0, 8)}01&to=${today}`,
      '/api/reports/generations': '?kind=expensive&threshold=0',
    };
    const get = async (token, path) => {
      const res = await fetch(`${stack.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
      const type = res.headers.get('content-type') ?? '';
      return { status: res.status, type, body: type.startsWith('application/json') ? await res.json() : await res.text(), headers: res.headers };
    };
    const login = async (email) =>
      (
        await (
          await fetch(`${stack.baseUrl}/api/auth/login`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email, password: 'mission-control' }),
          })
        ).json()
      ).accessToken;
    const admin = await login('admin@acme.test');
    // An id for each {id}: the first row of the list beside it.
    const ids = {};
    for (const list of ['/api/courses', '/api/traces', '/api/lessons', '/api/users', '/api/audit', '/api/jobs', '/api/models', '/api/catalog']) {
      const r = await get(admin, list);
      assert.equal(r.status, 200, list);
      ids[list] = r.body[0]?.id;
    }
    const gets = Object.entries(SPEC.paths)
      .filter(([, ops]) => ops.get)
      .map(([path]) => path);
    let checked = 0;
    const problems = new Set();
    for (const email of ['admin@acme.test', 'ops@acme.test', 'reviewer@acme.test', 'finance@acme.test']) {
      const token = await login(email);
      for (const path of gets) {
        const base = path.replace(/\/\{id\}.*$/, '');
        if (path.includes('{id}') && !ids[base]) continue;
        const url = path.replace('{id}', encodeURIComponent(ids[base] ?? '')) + (QUERY[path] ?? '');
        const r = await get(token, url);
        assert.ok(r.status < 500, `${email} GET ${url}: ${r.status}`);
        if (r.status === 200 && SPEC.paths[path].get.responses['200'].content?.['text/plain']) assert.match(r.type, /^text\/plain/);
        if (r.status === 200 && SPEC.paths[path].get.responses['200'].content?.['text/csv']) assert.match(r.type, /^text\/csv/);
        if (SPEC.paths[path].get.responses['200'].headers?.['Content-Range'] && r.status === 200)
          assert.ok(r.headers.get('content-range'), `${url}: Content-Range`);
        try {
          check('get', path, r.status, r.body);
        } catch (err) {
          problems.add(`${email}: ${err.message.split('\n').slice(0, 4).join(' | ').slice(0, 400)}`);
        }
        checked++;
      }
    }
    assert.deepEqual([...problems], []);
    assert.ok(checked >= 4 * 28, `${checked} answers checked`);
  });

  it('serves the checked-in spec at /api/docs-json, and the UI at /api/docs', async () => {
    const res = await fetch(`${stack.baseUrl}/api/docs-json`);
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), SPEC);
    const ui = await fetch(`${stack.baseUrl}/api/docs`);
    assert.equal(ui.status, 200);
    assert.match(await ui.text(), /swagger/i);
  });
});
