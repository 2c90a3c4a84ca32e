// Hostile input, proved from the outside: every list route refuses the names of
// Object.prototype as filter keys and sort fields (a lookup by user input that finds
// `constructor` ran it as SQL); every field of every route refuses NUL, lone surrogates
// and impossible dates with a 400 naming the field; and a generated run of 10,000+
// hostile requests across all routes and roles gets no 5xx.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import net from 'node:net';
import fc from 'fast-check';
import { Client, startStack } from '../harness.mjs';
import { apiRoutes } from '../routes.mjs';
import { PROTO_KEYS, inside, loginAll, namesField, oneKeyJson, pct, pool, qs, send } from '../hostile.mjs';
import { D, FIELDS, M, NO_FIELDS, S, T, VALID } from '../hostile-fields.mjs';

/** The hostile values for a field of a kind: NUL and lone surrogates inside a valid value; impossible dates for dates. */
function hostileValues(kind, valid = VALID[kind]) {
  const out = [
    { what: 'NUL', v: inside(valid, '\u0000') },
    { what: 'lone high surrogate', v: inside(valid, '\ud800') },
    { what: 'lone low surrogate', v: `${valid}\udc00` },
  ];
  if (kind === S) out.push({ what: 'NUL', v: 'a\u0000b' }, { what: 'lone high surrogate', v: 'a\ud800b' }, { what: 'lone low surrogate', v: '\udc00' });
  const days = ['2026-02-30', '0000-01-01', '2026-13-01', '2026-00-10'];
  if (kind === D) for (const d of days) out.push({ what: `impossible date ${d}`, v: d });
  if (kind === T) for (const d of days) out.push({ what: `impossible date ${d}`, v: `${d}T00:00:00Z` });
  if (kind === M) for (const m of ['0000-01', '2026-13', '2026-00']) out.push({ what: `impossible month ${m}`, v: m });
  return out;
}

/** Sets `a.0.b` in an object. */
function setPath(obj, path, value) {
  const keys = path.split('.');
  let o = obj;
  for (const k of keys.slice(0, -1)) o = o[k];
  o[keys.at(-1)] = value;
  return obj;
}

const show = (v) => JSON.stringify(v).slice(0, 60);

describe('hostile input', () => {
  let stack;
  let db;
  let users;
  const ctx = {};
  const tokenOf = (role, org = 'acme') => users.find((u) => u.role === role && u.org === org)?.token;

  before(async () => {
    stack = await startStack({ env: { RATE_LIMIT_FACTOR: '1000', LOGIN_MAX_FAILURES: '1000000', WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1' } });
    db = await stack.sql();
    users = await loginAll(stack.baseUrl);
    const ops = new Client(stack.baseUrl, tokenOf('ops'));
    const globex = new Client(stack.baseUrl, tokenOf('ops', 'globex'));
    ctx.acmeCourse = (await ops.post('/courses', { title: 'Hostile input target', approvalGates: [] })).body.id;
    ctx.cancelCourse = (await ops.post('/courses', { title: 'Hostile cancel target', approvalGates: [] })).body.id;
    ctx.globexCourse = (await globex.post('/courses', { title: 'Globex target', approvalGates: [] })).body.id;
    ctx.model = (await ops.get('/models')).body[0].id;
    ctx.user = users.find((u) => u.role === 'reviewer' && u.org === 'acme').user.id;
    assert.ok(ctx.acmeCourse && ctx.globexCourse && ctx.model && ctx.user);
  });
  after(async () => {
    await stack?.stop();
  });

  it('answers a request it cannot parse with a JSON error and closes that connection, so a keep-alive client never reuses it', async () => {
    const { port } = new URL(stack.baseUrl);
    const raw = await new Promise((resolve, reject) => {
      const socket = net.connect(Number(port), '127.0.0.1');
      let got = '';
      socket.on('data', (d) => (got += d));
      socket.on('close', () => resolve(got));
      socket.on('error', () => resolve(got));
      socket.setTimeout(10_000, () => reject(new Error(`no answer; got ${got}`)));
      socket.write(`GET /api/health HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(40_000)}\r\n\r\n`);
    });
    const [head, body] = raw.split('\r\n\r\n');
    assert.match(head, /^HTTP\/1\.1 431 /);
    assert.match(head, /\r\nConnection: close/i);
    assert.ok(JSON.parse(body).message.length > 5, body);
  });

  const idFor = (kind, org) =>
    ({ course: org === 'globex' ? ctx.globexCourse : ctx.acmeCourse, cancelCourse: ctx.cancelCourse, model: ctx.model, user: ctx.user })[kind] ??
    ctx.acmeCourse;

  // -------------------------------------------------------------------------------------
  // a. Object.prototype's names as filter keys and sort fields
  // -------------------------------------------------------------------------------------
  it('refuses every name of Object.prototype as a filter key and as a sort field, on every list route, for every role', async (t) => {
    // The list routes, found from the route table: every GET that answers with a Content-Range.
    const lists = [];
    for (const r of apiRoutes().filter((x) => x.method === 'GET')) {
      const path = r.path.replace(':id', idFor(r.path.startsWith('/api/courses') ? 'course' : 'other', 'acme'));
      const res = await send(stack.baseUrl, 'GET', path, { token: tokenOf('admin') });
      if (res.headers.get('content-range')) lists.push(r);
    }
    const found = lists.map((r) => r.path);
    for (const known of [
      '/api/courses',
      '/api/courses/:id/history',
      '/api/traces',
      '/api/lessons',
      '/api/users',
      '/api/audit',
      '/api/alerts',
      '/api/organization/webhook-deliveries',
    ]) {
      assert.ok(found.includes(known), `${known} should be found as a list route (found: ${found.join(', ')})`);
    }
    console.log(`list routes: ${found.join(', ')}; keys: ${PROTO_KEYS.join(', ')}`);
    for (const r of lists) {
      await t.test(`GET ${r.path}`, async () => {
        const failures = [];
        for (const u of users) {
          const allowed = r.roles === null || r.roles.includes(u.role);
          const path = r.path.replace(':id', idFor('course', u.org));
          const cases = PROTO_KEYS.flatMap((key) => [
            { key, how: 'filter key', query: `?filter=${pct(oneKeyJson(key, '1'))}` },
            { key, how: 'sort field', query: `?sort=${pct(JSON.stringify([key, 'ASC']))}` },
          ]);
          await pool(cases, 4, async (c) => {
            const res = await send(stack.baseUrl, 'GET', path, { token: u.token, query: c.query });
            const label = `${u.label} ${c.how} ${c.key} → ${res.status} ${res.text.slice(0, 140)}`;
            if (!allowed) {
              if (res.status !== 403) failures.push(`${label} (expected 403)`);
              return;
            }
            if (res.status !== 400) failures.push(`${label} (expected 400)`);
            else if (!namesField(res.body?.message, c.key)) failures.push(`${label} (message does not name "${c.key}")`);
          });
        }
        assert.deepEqual(failures.slice(0, 30), [], `${failures.length} failures`);
      });
    }
  });

  it('does not run a filter named "constructor" as SQL (the reported exploit: another organization\'s password hash in the error)', async () => {
    const evil = `1=(select email||' '||password_hash from users where email='admin@acme.test')::int`;
    const res = await send(stack.baseUrl, 'GET', '/api/organization/webhook-deliveries', {
      token: tokenOf('ops', 'globex'),
      query: `?filter=${pct(oneKeyJson('constructor', evil))}`,
    });
    assert.ok(!res.text.includes('$2'), `the answer carries a bcrypt hash: ${res.text.slice(0, 200)}`);
    assert.ok(!res.text.includes('admin@acme.test'), `the answer carries another organization's email: ${res.text.slice(0, 200)}`);
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.ok(namesField(res.body?.message, 'constructor'), res.body?.message);
  });

  // -------------------------------------------------------------------------------------
  // b. NUL, lone surrogates, impossible dates in every field
  // -------------------------------------------------------------------------------------
  it('has a field table entry for every route (a new route must say what it takes)', () => {
    const missing = apiRoutes()
      .map((r) => `${r.method} ${r.path}`)
      .filter((k) => !(k in FIELDS) && !NO_FIELDS.has(k));
    assert.deepEqual(missing, []);
    const served = new Set(apiRoutes().map((r) => `${r.method} ${r.path}`));
    assert.deepEqual(
      Object.keys(FIELDS).filter((k) => !served.has(k)),
      [],
      'field table names routes that are not served',
    );
  });

  it('refuses a lone surrogate in a course title with a 400 instead of storing U+FFFD', async () => {
    const res = await send(stack.baseUrl, 'POST', '/api/courses', { token: tokenOf('ops'), body: { title: 'a\ud800b', approvalGates: [] } });
    assert.equal(res.status, 400, res.text.slice(0, 200));
    assert.ok(namesField(res.body?.message, 'title'), res.body?.message);
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM courses WHERE strpos(title, chr(65533)) > 0 OR strpos(description, chr(65533)) > 0`);
    assert.equal(n, 0, 'a course with U+FFFD in its title or description exists');
  });

  it('refuses NUL, lone surrogates and impossible dates in every field of every route with a 400 naming the field', async (t) => {
    for (const [key, spec] of Object.entries(FIELDS)) {
      await t.test(key, async () => {
        const [method, routePath] = key.split(' ');
        const token = spec.as ? tokenOf(spec.as) : undefined;
        const basePath = (pathValue) => routePath.replace(':id', spec.id ? encodeURIComponent(idFor(spec.id, 'acme')) : '').replace(':month', pathValue ?? '');
        const cases = [];
        for (const [field, [kind, valid]] of Object.entries(spec.bodyFields ?? {})) {
          for (const h of hostileValues(kind, valid))
            cases.push({ field, h, run: () => send(stack.baseUrl, method, basePath(), { token, body: setPath(spec.body(ctx), field, h.v) }) });
        }
        for (const [field, [kind, valid]] of Object.entries(spec.queryFields ?? {})) {
          for (const h of hostileValues(kind, valid))
            cases.push({ field, h, run: () => send(stack.baseUrl, method, basePath(), { token, query: qs({ ...spec.query(ctx), [field]: h.v }) }) });
        }
        for (const [field, [kind, valid]] of Object.entries(spec.filterFields ?? {})) {
          for (const h of hostileValues(kind, valid))
            cases.push({ field, h, run: () => send(stack.baseUrl, method, basePath(), { token, query: qs({ filter: JSON.stringify({ [field]: h.v }) }) }) });
        }
        for (const [field, [kind, valid]] of Object.entries(spec.pathFields ?? {})) {
          // a path segment that is not even UTF-8 may be refused by the router itself (any 400 will do)
          for (const h of hostileValues(kind, valid))
            cases.push({
              field,
              h,
              anyMessage: !h.what.startsWith('impossible'),
              run: () => send(stack.baseUrl, method, basePath(pct(h.v)), { token, body: spec.body(ctx) }),
            });
        }
        assert.ok(cases.length > 0);
        const failures = [];
        for (const c of cases) {
          const res = await c.run();
          const label = `${c.field} = ${show(c.h.v)} (${c.h.what}) → ${res.status} ${res.text.slice(0, 160)}`;
          if (res.status !== 400) failures.push(`${label} (expected 400)`);
          else if (!c.anyMessage && !namesField(res.body?.message, c.field)) failures.push(`${label} (message does not name "${c.field}")`);
        }
        assert.deepEqual(failures, [], `${failures.length} of ${cases.length} cases`);
      });
    }
  });

  // -------------------------------------------------------------------------------------
  // c. 10,000+ generated hostile requests: never a 5xx
  // -------------------------------------------------------------------------------------
  it('answers 10,000 generated hostile requests across all routes and roles without a single 5xx', async () => {
    const routes = apiRoutes();
    const started = Date.now();
    const tokens = { ...Object.fromEntries(users.map((u) => [u.label, u.token])), none: undefined, garbage: 'eyJhbGciOiJub25lIn0.e30.' };
    const protoKey = fc.constantFrom(...PROTO_KEYS);
    const allFilterFields = [...new Set(Object.values(FIELDS).flatMap((s) => Object.keys(s.filterFields ?? {})))];
    const impossibleDate = fc.constantFrom(
      '2026-02-30',
      '0000-01-01',
      '2026-13-01',
      '2026-00-10',
      '2026-02-30T00:00:00Z',
      '0000-01-01T00:00:00Z',
      '9999-99-99',
      '-0001-01-01',
    );
    const badString = fc.oneof(
      fc.constantFrom('a\u0000b', '\u0000', 'a\ud800b', '\udc00', '\ud800\ud800', `x${'\u0000'.repeat(10)}`, '\uffff', '\ufeff'),
      fc.tuple(fc.string({ maxLength: 10 }), fc.constantFrom('\u0000', '\ud800', '\udfff'), fc.string({ maxLength: 10 })).map(([a, b, c]) => a + b + c),
      impossibleDate,
    );
    const weird = fc.oneof(
      badString,
      fc.constantFrom(1e308, -1e308, 2 ** 63, -(2 ** 63), Number.MAX_SAFE_INTEGER + 2, 1e21, -1, -0, 0.5),
      fc.constant([]),
      fc.constant([1, 2, 3]),
      fc.constant({}),
      fc.constant({ nested: { deeper: ['a\u0000'] } }),
      fc.constant(null),
      fc.constant(true),
      fc.array(badString, { maxLength: 3 }),
      protoKey,
    );
    const query = fc.oneof(
      protoKey.map((k) => `?filter=${pct(oneKeyJson(k, '1'))}`),
      protoKey.map((k) => `?sort=${pct(JSON.stringify([k, 'ASC']))}`),
      fc.tuple(fc.constantFrom(...allFilterFields), weird).map(([k, v]) => `?filter=${pct(JSON.stringify({ [k]: v }))}`),
      fc.tuple(protoKey, weird).map(([k, v]) => `?filter=${pct(`{${JSON.stringify(k)}:${JSON.stringify(v) ?? 'null'}}`)}`),
      fc.constantFrom(
        '?filter=[1,2]',
        '?filter="x"',
        '?filter=1e999',
        '?filter=null',
        '?sort={"a":1}',
        '?sort=["id"]',
        '?sort=[1,2]',
        '?sort=["id","ASC","x"]',
        '?range=[0,1e308]',
        '?range=[-5,-1]',
        '?range=[10,2]',
        '?range=[1e21,1e22]',
        '?range={"a":1}',
        '?range=[0.5,3.5]',
        '?range=[9007199254740993,9007199254740999]',
        '?filter=%7B%22q%22%3A%22a%00b%22%7D',
        '?q=%00',
        '?from=%ED%A0%80',
        '?groupBy=%00',
      ),
      fc
        .tuple(fc.constantFrom('from', 'to', 'groupBy', 'since'), fc.oneof(impossibleDate, badString))
        .map(([k, v]) => `?from=2026-01-01&to=2026-01-31&${k}=${pct(v)}`),
      fc.constant(''),
    );
    const idValue = fc.oneof(
      fc.constantFrom(
        ctx.acmeCourse,
        ctx.globexCourse,
        ctx.model,
        ctx.user,
        '0000-01',
        '2026-13',
        'a%00b',
        '%ED%A0%80',
        '__proto__',
        'constructor',
        '-1',
        '1e308',
      ),
      fc.uuid(),
    );
    const body = fc.oneof(
      // a valid body of the route with one field made hostile
      { weight: 4, arbitrary: fc.tuple(fc.string({ maxLength: 30 }), weird).map(([field, v]) => ({ hostileField: field, v })) },
      { weight: 1, arbitrary: fc.dictionary(fc.oneof(protoKey, fc.string({ maxLength: 12 })), weird, { maxKeys: 4 }).map((d) => ({ raw: d })) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom('[]', '[{}]', '"a\\u0000b"', '1e999', '{"title":{"$ne":1}}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"x":1}}}')
          .map((rawBody) => ({ rawBody })),
      },
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      who: fc.constantFrom(...Object.keys(tokens)),
      id: idValue,
      query,
      body,
    });
    const BATCH = 50;
    const RUNS = Number(process.env.HOSTILE_RUNS ?? 205);
    const statuses = {};
    const problems = [];
    let sent = 0;
    const build = (req) => {
      const key = `${req.route.method} ${req.route.path}`;
      const spec = FIELDS[key];
      const id = req.id.includes('%') ? req.id : encodeURIComponent(req.id);
      const path = req.route.path.replace(':id', id).replace(':month', id);
      if (req.route.method === 'GET') return { path, opts: { query: req.query } };
      let opts;
      if (req.body.rawBody !== undefined) opts = { rawBody: req.body.rawBody };
      else if (req.body.raw) opts = { body: req.body.raw };
      else {
        const base = spec?.body ? spec.body(ctx) : {};
        const fields = Object.keys(spec?.bodyFields ?? {});
        // half the time one of the route's own fields, else a made-up one (prototype names included)
        const known = fields.length > 0 && req.body.hostileField.length % 2 === 0;
        const field = known ? fields[req.body.hostileField.length % fields.length] : req.body.hostileField || 'x';
        if (known) setPath(base, field, req.body.v);
        else Object.defineProperty(base, field, { value: req.body.v, enumerable: true, configurable: true, writable: true });
        opts = { body: base };
      }
      return { path, opts: { ...opts, query: req.query } };
    };
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: BATCH, maxLength: BATCH }), async (batch) => {
        await pool(batch, 8, async (req) => {
          let built;
          try {
            built = build(req);
          } catch (err) {
            problems.push(`test could not build ${JSON.stringify(req).slice(0, 200)}: ${err.message}`);
            return;
          }
          const { path, opts } = built;
          const res = await send(stack.baseUrl, req.route.method, path, { token: tokens[req.who], timeoutMs: 15_000, ...opts });
          sent++;
          statuses[res.status] = (statuses[res.status] ?? 0) + 1;
          if (res.status >= 500)
            problems.push(
              `${req.route.method} ${path.slice(0, 80)}${(opts.query ?? '').slice(0, 80)} as ${req.who} body ${JSON.stringify(opts.body ?? opts.rawBody ?? null)?.slice(0, 100)} → ${res.status} ${res.text.slice(0, 160)}`,
            );
        });
        return true;
      }),
      { numRuns: RUNS, seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), verbose: 0 },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`hostile fuzz: ${sent} requests in ${seconds.toFixed(1)} s; statuses ${JSON.stringify(statuses)}`);
    assert.ok(sent >= RUNS * BATCH, `only ${sent} requests sent`);
    if (!process.env.HOSTILE_RUNS) assert.ok(sent >= 10_000, `only ${sent} requests sent`);
    assert.deepEqual(problems.slice(0, 25), [], `${problems.length} of ${sent} requests answered with a 5xx`);
    assert.ok(
      statuses['400'] > 0 && statuses['401'] > 0 && statuses['403'] > 0,
      `the run should reach validation, authentication and authorization: ${JSON.stringify(statuses)}`,
    );
  });
});
