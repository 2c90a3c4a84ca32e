// Access control, proved from the outside (the operators' part: access-operators.test.mjs): the API's own route table walked for every
// route × role × own / foreign organization; thousands of generated hostile requests
// that must never cause a 5xx or change a row; and Postgres's row-level security,
// which scopes the application role even when a query forgets to.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { apiRoutes, permissionTable } from '../routes.mjs';
import { send } from '../hostile.mjs';
import { accessStack } from '../access-stack.mjs';
import { OPERATORS, ACTIONS, EXPECTED, actionsOf, PRINCIPALS, mayDo, mayCall, ID_KIND, VALID_BODY } from '../access-table.mjs';

describe('access control', () => {
  let stack;
  let db;
  let tokens;
  let own;
  let foreign;
  let bags;
  let principalTokens;
  let globexToken;

  before(async () => {
    ({ stack, db, tokens, own, foreign, bags, principalTokens, globexToken } = await accessStack());
  });
  after(async () => {
    await stack?.stop();
  });

  it('has an access rule for every route, and every rule is the one expected', () => {
    const routes = apiRoutes();
    assert.ok(routes.length >= Object.keys(EXPECTED).length - 2);
    for (const r of routes) {
      const key = `${r.method} ${r.path}`;
      assert.ok(key in EXPECTED, `${key} (${r.controller}.${r.handler}) is not in the expected access table`);
      const expected = EXPECTED[key];
      if (expected === 'public') assert.equal(r.public, true, `${key} should be public`);
      else assert.deepEqual([...(r.actions ?? [])].sort(), actionsOf(key).sort(), `${key}: actions in code differ from the table`);
    }
    for (const key of Object.keys(EXPECTED))
      assert.ok(
        routes.some((r) => `${r.method} ${r.path}` === key),
        `${key} is expected but not served`,
      );
  });

  it('has the permission table written down here: every action, its roles, its operator-only ones', () => {
    const code = permissionTable();
    assert.deepEqual([...code.ACTIONS].sort(), Object.keys(ACTIONS).sort());
    for (const action of code.ACTIONS) {
      const want = ACTIONS[action];
      assert.equal(code.PERMISSIONS[action].operatorOnly === true, want === OPERATORS, `${action}: operator-only differs`);
      if (want !== OPERATORS) assert.deepEqual([...code.rolesFor(action)].sort(), [...want].sort(), `${action}: roles differ`);
      for (const p of PRINCIPALS) assert.equal(code.can(p, action), mayDo(p, action), `${action} for ${p.name}`);
    }
  });

  it('tells each user, at GET /api/me, who they are and every action they may do', async () => {
    for (const p of PRINCIPALS) {
      for (const path of ['/api/me', '/api/auth/me']) {
        const me = await send(stack.baseUrl, 'GET', path, { token: principalTokens[p.name] });
        assert.equal(me.status, 200, path);
        assert.equal(me.body.email, p.email);
        assert.equal(me.body.role, p.role);
        assert.equal(me.body.operator, p.operator, p.name);
        assert.deepEqual(
          [...me.body.actions].sort(),
          Object.keys(ACTIONS)
            .filter((a) => mayDo(p, a))
            .sort(),
          `${p.name} ${path}`,
        );
      }
    }
  });

  it('answers every route × role × own / foreign organization as the table says', async () => {
    const failures = [];
    const check = (label, got, ok) => {
      if (!ok) failures.push(`${label} → ${got.status} ${got.text.slice(0, 120)}`);
    };
    for (const r of apiRoutes()) {
      const key = `${r.method} ${r.path}`;
      const expected = EXPECTED[key];
      const kind = ID_KIND(r.path);
      const withId = (bag) => r.path.replace(':id', encodeURIComponent(bag[kind]));
      const hasId = r.path.includes(':id');
      // Own organization (or no id): refused fields in the body, so nothing changes — a 400
      // proves the guard let the call through; GETs run for real.
      const probe = r.method === 'GET' ? undefined : { unexpectedField: true };
      if (expected === 'public') {
        const res = await send(stack.baseUrl, r.method, r.path, { body: probe });
        check(`${key} anonymous`, res, res.status !== 401 && res.status !== 403 && res.status < 500);
        continue;
      }
      const anon = await send(stack.baseUrl, r.method, hasId ? withId(own) : r.path, { body: probe });
      check(`${key} anonymous`, anon, anon.status === 401);
      for (const p of PRINCIPALS) {
        const allowed = mayCall(p, key);
        const ownBag = bags[p.org];
        const foreignBag = p.org === 'acme' ? foreign : own;
        const mine = await send(stack.baseUrl, r.method, hasId ? withId(ownBag) : r.path, { token: principalTokens[p.name], body: probe });
        if (!allowed) {
          check(`${key} ${p.name} own`, mine, mine.status === 403);
          continue;
        }
        check(`${key} ${p.name} own`, mine, ![401, 403, 404].includes(mine.status) && mine.status < 500);
        if (hasId && kind !== 'model') {
          const theirs = await send(stack.baseUrl, r.method, withId(foreignBag), {
            token: principalTokens[p.name],
            body: r.method === 'GET' ? undefined : (VALID_BODY[key] ?? {}),
          });
          check(`${key} ${p.name} foreign`, theirs, theirs.status === 404);
        }
      }
    }
    assert.deepEqual(failures, []);
  });

  it('hides prompts and answers from finance, and shows them to the other roles', async () => {
    const path = `/api/traces/${own.trace}`;
    const fin = await send(stack.baseUrl, 'GET', path, { token: tokens.finance });
    assert.equal(fin.status, 200);
    assert.ok(!('inputData' in fin.body) && !('outputData' in fin.body));
    assert.ok(typeof fin.body.costUsd === 'number' && fin.body.tokensUsed > 0);
    const ops = await send(stack.baseUrl, 'GET', path, { token: tokens.ops });
    assert.ok('inputData' in ops.body && 'outputData' in ops.body);
  });

  it('never lets a caller set what the server owns: ignored in a whole record sent back, refused elsewhere, naming them', async () => {
    const before = (await send(stack.baseUrl, 'GET', `/api/courses/${own.course}`, { token: tokens.ops })).body;
    // react-admin's update PUTs the record as it read it: the server's fields are ignored, never applied.
    for (const field of ['organizationId', 'status', 'costUsd', 'generationStatus', 'createdBy']) {
      const res = await send(stack.baseUrl, 'PUT', `/api/courses/${own.course}`, { token: tokens.ops, body: { title: before.title, [field]: 'y' } });
      assert.equal(res.status, 200, field);
      assert.deepEqual(res.body[field], before[field], field);
    }
    for (const field of ['organizationId', 'status', 'cost', 'costUsd', 'generationStatus', 'createdBy']) {
      if (field === 'cost') {
        const res = await send(stack.baseUrl, 'PUT', `/api/courses/${own.course}`, { token: tokens.ops, body: { title: 'x', [field]: 'y' } });
        assert.equal(res.status, 400, field);
        assert.match(res.body.message, new RegExp(field), field);
      }
      const created = await send(stack.baseUrl, 'POST', '/api/courses', { token: tokens.ops, body: { title: 'x', [field]: 'y' } });
      assert.equal(created.status, 400, field);
    }
    const [{ n }] = (await db.query(`SELECT count(*)::int AS n FROM courses WHERE title = 'x'`)).rows;
    assert.equal(n, 0);
  });

  it('scopes the application role by organization in Postgres itself', async () => {
    const total = (await db.query(`SELECT count(*)::int AS n FROM generation_trace`)).rows[0].n;
    const acme = (
      await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE organization_id = (SELECT organization_id FROM courses WHERE id = $1)`, [
        own.course,
      ])
    ).rows[0].n;
    assert.ok(total > acme && acme > 0);
    const asApp = async (org, sql, params = []) => {
      await db.query('BEGIN');
      try {
        await db.query(`SELECT set_config('role', 'mc_app', true)`);
        if (org) await db.query(`SELECT set_config('app.org_id', $1, true)`, [org]);
        return (await db.query(sql, params)).rows;
      } finally {
        await db.query('ROLLBACK');
      }
    };
    const orgOf = (await db.query(`SELECT organization_id FROM courses WHERE id = $1`, [own.course])).rows[0].organization_id;
    // Without the organization set, the application role sees nothing at all.
    for (const table of [
      'courses',
      'generation_trace',
      'lessons',
      'lesson_contents',
      'users',
      'organizations',
      'generation_status_history',
      'cost_daily_rollup',
      'phase_outputs',
      'audit_log',
    ]) {
      const [{ n }] = await asApp(null, `SELECT count(*)::int AS n FROM ${table}`);
      assert.equal(n, 0, `${table} leaked ${n} rows without an organization`);
    }
    // With it, a query that forgets its WHERE still sees only that organization.
    assert.equal((await asApp(orgOf, `SELECT count(*)::int AS n FROM generation_trace`))[0].n, acme);
    assert.equal((await asApp(orgOf, `SELECT count(*)::int AS n FROM courses WHERE id = $1`, [foreign.course]))[0].n, 0);
    // And it cannot write into another organization.
    await assert.rejects(
      asApp(orgOf, `UPDATE courses SET organization_id = (SELECT organization_id FROM users WHERE id = $1) WHERE id = $2 RETURNING id`, [
        foreign.user,
        own.course,
      ]),
      /row-level security/,
    );
    assert.equal((await asApp(orgOf, `UPDATE courses SET title = 'stolen' WHERE id = $1 RETURNING id`, [foreign.course])).length, 0);
    const forced = (
      await db.query(`SELECT relname FROM pg_class WHERE relname = ANY($1) AND relrowsecurity AND relforcerowsecurity`, [
        ['courses', 'generation_trace', 'lessons', 'users'],
      ])
    ).rows;
    assert.equal(forced.length, 4);
  });

  it('survives 5,000 generated hostile requests: no 5xx, a message for every refusal, no row changed', async () => {
    const tables = (await db.query(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`)).rows.map((r) => r.tablename);
    const fingerprint = async () => {
      const out = {};
      for (const t of tables)
        out[t] = (await db.query(`SELECT count(*)::int AS n, md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) AS h FROM ${t} x`)).rows[0];
      return out;
    };
    const before = await fingerprint();
    const routes = apiRoutes();
    const huge = 'A'.repeat(5 * 1024 * 1024);
    const deep = (n) => '['.repeat(n) + ']'.repeat(n);
    const nasty = fc.oneof(
      fc.constantFrom(
        "' OR 1=1 --",
        "'; DROP TABLE courses; --",
        '<script>alert(1)</script>',
        '"><img src=x onerror=alert(1)>',
        '../../etc/passwd',
        '%00',
        '\u0000',
        '${7*7}',
        '{{7*7}}',
        '__proto__',
        'constructor',
        'NaN',
        '-1',
        '1e309',
        '9'.repeat(400),
        '😀'.repeat(50),
        'null',
        'true',
      ),
      fc.string({ maxLength: 40 }),
      fc.string({ unit: 'binary', maxLength: 20 }),
      fc.integer({ min: 1000, max: 100_000 }).map((n) => 'x'.repeat(n)),
      fc.integer(),
      fc.double(),
      fc.boolean(),
      fc.constant(null),
      fc.uuid(),
    );
    const value = fc.letrec((tie) => ({
      v: fc.oneof({ depthSize: 'small' }, nasty, fc.array(tie('v'), { maxLength: 4 }), fc.dictionary(fc.string({ maxLength: 12 }), tie('v'), { maxKeys: 4 })),
    })).v;
    const knownFields = [
      'title',
      'description',
      'stage',
      'action',
      'reasons',
      'comment',
      'approvalGates',
      'webhookUrl',
      'documents',
      'email',
      'password',
      'role',
      'disabled',
      'name',
      'refreshToken',
      'token',
      'inputPricePerMillion',
      'outputPricePerMillion',
      'defaultApprovalGates',
      'monthlyBudgetUsd',
      'organizationId',
      'status',
      'cost',
    ];
    // Every body carries at least one refused field, so no generated request may succeed in changing anything.
    const body = fc
      .tuple(fc.dictionary(fc.constantFrom(...knownFields), value, { maxKeys: 4 }), fc.constantFrom(...knownFields, 'unknownField', '__proto__'), nasty)
      .map(([b, k, bad]) => {
        // defineProperty: a key named __proto__ must stay an own field of the body
        const out = { ...b };
        Object.defineProperty(out, k, { value: typeof bad === 'object' ? { bad } : [bad, { bad }], enumerable: true, configurable: true, writable: true });
        return out;
      });
    const idValue = fc.oneof(
      fc.constantFrom(
        'not-a-uuid',
        "1' OR '1'='1",
        '..%2F..%2Fetc',
        '%00',
        'NaN',
        '-1',
        '00000000-0000-0000-0000-000000000000',
        foreign.course,
        foreign.trace,
        foreign.lesson,
        foreign.user,
        foreign.audit,
        'x'.repeat(3000),
      ),
      fc.uuid(),
      fc.string({ minLength: 1, maxLength: 50 }),
    );
    const queryString = fc.oneof(
      fc.constant(''),
      fc
        .tuple(
          fc.constantFrom('filter', 'sort', 'range', 'from', 'to', 'groupBy', 'q', 'unknown'),
          fc.oneof(
            nasty.map(String),
            value.map((v) => JSON.stringify(v)),
          ),
        )
        .map(([k, v]) => `?${k}=${encodeURIComponent(v)}`),
      fc.constantFrom(
        '?range=[0,100000000]',
        '?range=[-5,2]',
        '?sort=["id;drop","ASC"]',
        '?filter={"id":"x"}',
        '?filter=%7B',
        '?filter=a&filter=b',
        '?groupBy=day,day,day,day',
        '?from=2026-13-45&to=yesterday',
      ),
    );
    const request = fc.record({
      route: fc.constantFrom(...routes),
      who: fc.constantFrom('admin', 'ops', 'reviewer', 'finance', 'globex', 'none', 'garbage'),
      id: idValue,
      query: queryString,
      payload: fc.oneof(
        { weight: 6, arbitrary: body.map((b) => ({ body: b })) },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('{"title":', '{"a":1}}', 'null', '[]', '"string"', '', deep(5000), `{"title":"${'x'.repeat(100)}"`)
            .map((raw) => ({ rawBody: raw })),
        },
        {
          weight: 1,
          arbitrary: fc
            .constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=zz', 'application/xml')
            .map((ct) => ({ rawBody: '--zz\r\nbroken', contentType: ct })),
        },
        {
          weight: 1,
          arbitrary: fc.oneof(
            { weight: 9, arbitrary: fc.constant({ body: { title: 'x', unknownField: 1 } }) },
            { weight: 1, arbitrary: fc.constant({ rawBody: `{"title":"${huge}"}` }) },
          ),
        },
      ),
    });
    const started = Date.now();
    const tokenFor = (who) => ({ none: undefined, garbage: 'eyJhbGciOiJub25lIn0.e30.', globex: globexToken })[who] ?? tokens[who];
    const problems = [];
    let sent = 0;
    const statuses = {};
    await fc.assert(
      fc.asyncProperty(fc.array(request, { minLength: 50, maxLength: 50 }), async (batch) => {
        const results = await Promise.all(
          batch.map(async (req) => {
            const path = req.route.path.replace(':id', encodeURIComponent(req.id));
            const opts = { token: tokenFor(req.who), query: req.query, ...(req.route.method === 'GET' ? {} : req.payload) };
            const res = await send(stack.baseUrl, req.route.method, path, opts);
            sent++;
            statuses[res.status] = (statuses[res.status] ?? 0) + 1;
            return { req, res, label: `${req.route.method} ${path.slice(0, 80)}${req.query.slice(0, 60)} as ${req.who}` };
          }),
        );
        for (const { req, res, label } of results) {
          if (res.status >= 500) problems.push(`${label} → ${res.status} ${res.text.slice(0, 200)}`);
          else if (res.status >= 400 && !(typeof res.body?.message === 'string' && res.body.message.length >= 5))
            problems.push(`${label} → ${res.status} without a message: ${res.text.slice(0, 200)}`);
          else if (res.status < 400 && req.route.method !== 'GET') problems.push(`${label} → ${res.status}: a hostile write was accepted`);
        }
        return true;
      }),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 100), seed: Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31), verbose: 0 },
    );
    console.log(`fuzz: ${sent} requests in ${((Date.now() - started) / 1000).toFixed(1)} s; statuses ${JSON.stringify(statuses)}`);
    assert.ok(sent >= Number(process.env.FUZZ_RUNS ?? 100) * 50, `only ${sent} requests sent`);
    assert.deepEqual(problems.slice(0, 20), [], `${problems.length} problems`);
    const after = await fingerprint();
    for (const t of tables) assert.deepEqual(after[t], before[t], `table ${t} changed`);
    assert.ok(Object.keys(statuses).some((s) => s === '400') && statuses['404'] > 0 && statuses['401'] > 0 && statuses['403'] > 0, JSON.stringify(statuses));
  });
});
