// Access for the deployment's operators, proved from the outside: Bull Board opens to
// operators only (a tenant's admin, ops and finance pause nothing), the cost report by
// organization covers every organization for operators and one's own for everyone else,
// and no tenant scope reads the platform cost function even where a route forgot to check.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { send } from '../hostile.mjs';
import { accessStack } from '../access-stack.mjs';
import { forgedBoardCookie } from '../access-table.mjs';

describe('access control: operators', () => {
  let stack;
  let db;
  let tokens;
  let principalTokens;
  let globexToken;
  let globexFinanceToken;

  before(async () => {
    ({ stack, db, tokens, principalTokens, globexToken, globexFinanceToken } = await accessStack());
  });
  after(async () => {
    await stack?.stop();
  });

  it("opens Bull Board to operators only: a tenant's admin, ops and finance get 403 on the session and on the board, and pause nothing", async () => {
    const board = (method, path, cookie) =>
      fetch(`${stack.baseUrl}/api/queues-board${path}`, { method, headers: cookie ? { cookie } : {}, signal: AbortSignal.timeout(20_000) });
    const session = (token) =>
      fetch(`${stack.baseUrl}/api/queues-board-session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: '{}',
      });
    const operatorRes = await session(tokens.admin);
    assert.equal(operatorRes.status, 201);
    const operatorCookie = operatorRes.headers.get('set-cookie').split(';')[0];
    const paused = async () => {
      const res = await board('GET', '/api/queues?activeQueue=webhooks&page=1&jobsPerPage=10', operatorCookie);
      assert.equal(res.status, 200);
      const q = (await res.json()).queues.find((x) => x.name === 'webhooks');
      assert.ok(q, 'the webhooks queue is on the board');
      return q.isPaused;
    };
    assert.equal(await paused(), false);
    const users = (
      await db.query(`SELECT id, organization_id, role, token_version, email FROM users WHERE email = ANY($1)`, [
        ['admin@globex.test', 'ops@globex.test', 'finance@globex.test', 'ops@acme.test', 'finance@acme.test'],
      ])
    ).rows;
    assert.equal(users.length, 5);
    const tenantTokens = {
      'admin@globex.test': principalTokens['globex admin'],
      'ops@globex.test': globexToken,
      'finance@globex.test': globexFinanceToken,
      'ops@acme.test': tokens.ops,
      'finance@acme.test': tokens.finance,
    };
    for (const u of users) {
      const res = await session(tenantTokens[u.email]);
      assert.equal(res.status, 403, `${u.email} session`);
      assert.equal(res.headers.get('set-cookie'), null, `${u.email} got a cookie`);
      // Even holding a well-formed board cookie (as minted before operators existed), the board refuses them.
      const cookie = forgedBoardCookie(u);
      assert.equal((await board('GET', '/', cookie)).status, 403, `${u.email} board page`);
      assert.equal((await board('GET', '/api/queues?activeQueue=&page=1&jobsPerPage=10', cookie)).status, 403, `${u.email} board api`);
      assert.equal((await board('PUT', '/api/queues/webhooks/pause', cookie)).status, 403, `${u.email} pause`);
      assert.equal(await paused(), false, `${u.email} paused the webhooks`);
    }
    // The operator has full control.
    assert.equal((await board('PUT', '/api/queues/webhooks/pause', operatorCookie)).status, 200);
    assert.equal(await paused(), true);
    assert.equal((await board('PUT', '/api/queues/webhooks/resume', operatorCookie)).status, 200);
    assert.equal(await paused(), false);
  });

  it("reports cost by organization over every organization to operators, and only one's own to everyone else", async () => {
    const day = (d) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
    const query = `?from=${day(-30)}&to=${day(1)}&groupBy=organization`;
    const spent = Object.fromEntries(
      (
        await db.query(`SELECT o.slug, o.id, o.name, coalesce(sum(t.cost_usd), 0)::numeric(18, 8)::text AS usd, count(t.id)::int AS calls
      FROM organizations o LEFT JOIN generation_trace t ON t.organization_id = o.id GROUP BY o.id`)
      ).rows.map((r) => [r.slug, r]),
    );
    assert.ok(Number(spent.acme.usd) > 0 && Number(spent.globex.usd) > 0);
    const report = await send(stack.baseUrl, 'GET', '/api/reports/costs', { token: tokens.admin, query });
    assert.equal(report.status, 200, report.text);
    assert.equal(report.body.scope, 'platform');
    const byOrg = Object.fromEntries(report.body.rows.map((r) => [r.organizationId, r]));
    for (const slug of ['acme', 'globex']) {
      assert.equal(byOrg[spent[slug].id]?.costUsd, spent[slug].usd, `${slug}'s row`);
      assert.equal(byOrg[spent[slug].id].calls, spent[slug].calls);
      assert.equal(byOrg[spent[slug].id].organizationName, spent[slug].name);
    }
    const csv = await send(stack.baseUrl, 'GET', '/api/reports/costs.csv', { token: tokens.admin, query });
    assert.equal(csv.status, 200);
    assert.ok(csv.text.includes(spent.globex.id) && csv.text.includes(spent.acme.id));
    // Across organizations, courses stay inside their tenant: a 400 naming the field.
    const byCourse = await send(stack.baseUrl, 'GET', '/api/reports/costs', { token: tokens.admin, query: `${query},course` });
    assert.equal(byCourse.status, 400);
    assert.match(byCourse.body.message, /groupBy/);
    // A tenant's admin, finance (also the platform organization's finance) and ops: their own organization only.
    for (const [who, token, slug] of [
      ['globex admin', principalTokens['globex admin'], 'globex'],
      ['globex finance', globexFinanceToken, 'globex'],
      ['globex ops', globexToken, 'globex'],
      ['acme finance', tokens.finance, 'acme'],
    ]) {
      const mine = await send(stack.baseUrl, 'GET', '/api/reports/costs', { token, query });
      assert.equal(mine.status, 200, who);
      assert.equal(mine.body.scope, 'organization', who);
      assert.deepEqual(
        mine.body.rows.map((r) => r.organizationId),
        [spent[slug].id],
        who,
      );
      assert.equal(mine.body.rows[0].costUsd, spent[slug].usd, who);
      assert.equal(mine.body.totals.costUsd, spent[slug].usd, who);
      const mineCsv = await send(stack.baseUrl, 'GET', '/api/reports/costs.csv', { token, query });
      const other = slug === 'acme' ? 'globex' : 'acme';
      assert.ok(mineCsv.text.includes(spent[slug].id) && !mineCsv.text.includes(spent[other].id), who);
    }
  });

  it('lets no tenant scope read the platform cost function, even if a route forgot to check', async () => {
    const asApp = async (org) => {
      await db.query('BEGIN');
      try {
        await db.query(`SELECT set_config('role', 'mc_app', true), set_config('app.org_id', $1, true)`, [org]);
        return (await db.query(`SELECT count(*)::int AS n FROM mc_platform_cost_rollup('2000-01-01', '2100-01-01')`)).rows[0].n;
      } finally {
        await db.query('ROLLBACK');
      }
    };
    const orgs = Object.fromEntries((await db.query(`SELECT slug, id FROM organizations`)).rows.map((r) => [r.slug, r.id]));
    assert.ok((await asApp(orgs.acme)) > 0);
    await assert.rejects(asApp(orgs.globex), /platform organization only/);
    await assert.rejects(asApp(''), /platform organization only/);
    const platforms = (await db.query(`SELECT slug FROM organizations WHERE is_platform`)).rows.map((r) => r.slug);
    assert.deepEqual(platforms, ['acme']);
    await assert.rejects(db.query(`UPDATE organizations SET is_platform = true WHERE slug = 'globex'`), /organizations_one_platform/);
  });
});
