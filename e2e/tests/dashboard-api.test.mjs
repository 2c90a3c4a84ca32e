// The routes behind the dashboard's pages, against real api + worker processes:
// the overview's aggregates agree with the traces, the approvals inbox lists waiting
// courses oldest first with the stage's output and, after a rejected attempt, the
// previous output; the flight recorder puts transitions, calls and decisions on one axis.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, startStack, waitFor } from '../harness.mjs';

const untilStatus = (c, id, gs, timeoutMs = 90_000) =>
  waitFor(async () => (await c.get(`/courses/${id}`)).body.generationStatus === gs, { what: `${id} at ${gs}`, timeoutMs });

describe('dashboard API', () => {
  let stack;
  let db;
  let ops;
  let reviewer;
  let finance;
  let globex;
  before(async () => {
    stack = await startStack();
    db = await stack.sql();
    [ops, reviewer, finance, globex] = await Promise.all(
      ['ops@acme.test', 'reviewer@acme.test', 'finance@acme.test', 'ops@globex.test'].map((e) => Client.login(stack.baseUrl, e)),
    );
  });
  after(async () => {
    await stack?.stop();
  });

  it('lists gates by due time (none last) with output, SLA and the previous attempt; keeps other organizations out', async () => {
    const first = (await ops.post('/courses', { title: 'Inbox first', approvalGates: [4] })).body;
    await ops.post(`/courses/${first.id}/generation`);
    await untilStatus(ops, first.id, 'stage_4_awaiting_approval');
    const second = (await ops.post('/courses', { title: 'Inbox second', approvalGates: [5], approvalSlaMinutes: 30 })).body;
    await ops.post(`/courses/${second.id}/generation`);
    await untilStatus(ops, second.id, 'stage_5_awaiting_approval');

    const inbox = await reviewer.get('/approvals');
    assert.equal(inbox.status, 200);
    // By due time: the gate with an SLA first, the one without after it.
    assert.deepEqual(
      inbox.body.map((i) => i.title),
      ['Inbox second', 'Inbox first'],
    );
    const [b, a] = inbox.body;
    assert.equal(a.stage, 4);
    assert.ok(a.output && typeof a.output === 'object' && !Array.isArray(a.output), 'stage 4 shows the analysis');
    assert.equal(b.stage, 5);
    assert.ok(Array.isArray(b.output.sections) && b.output.sections.length > 0, 'stage 5 shows the course structure');
    assert.equal(b.slaMinutes, 30);
    assert.ok(Date.parse(b.dueAt) > Date.parse(b.waitingSince));
    assert.equal(b.overdue, false);
    assert.ok(a.waitSeconds >= b.waitSeconds);
    assert.equal(a.previous, null);

    // Reject with a rerun: the inbox then shows the rejected attempt beside the new one.
    const before = JSON.stringify(a.output);
    const rej = await reviewer.post(`/courses/${first.id}/reject`, { stage: 4, action: 'rerun', reasons: ['too_shallow'], comment: 'deeper' });
    assert.equal(rej.status, 200);
    await waitFor(
      async () => {
        const c = (await ops.get(`/courses/${first.id}`)).body;
        return c.generationStatus === 'stage_4_awaiting_approval' && (await reviewer.get('/approvals')).body.some((i) => i.courseId === first.id);
      },
      { what: 'the rerun back at the gate', timeoutMs: 90_000 },
    );
    const again = (await reviewer.get('/approvals')).body.find((i) => i.courseId === first.id);
    assert.equal(JSON.stringify(again.previous.output), before);
    assert.deepEqual(again.previous.reasons, ['too_shallow']);
    assert.equal(again.previous.comment, 'deeper');

    // Ops read every gate, deciding none, and see who decides it.
    const opsInbox = await ops.get('/approvals');
    assert.equal(opsInbox.status, 200);
    assert.equal(opsInbox.body.length, 2);
    assert.ok(opsInbox.body.every((i) => i.canDecide === false && i.deciders.some((d) => d.email === 'reviewer@acme.test')));
    // Finance's inbox holds budget gates only: none of these review gates.
    const financeInbox = await finance.get('/approvals');
    assert.equal(financeInbox.status, 200);
    assert.deepEqual(financeInbox.body, []);
    assert.deepEqual((await globex.request('GET', '/approvals')).body, []);
    const gAdmin = await Client.login(stack.baseUrl, 'admin@acme.test');
    assert.equal((await gAdmin.get('/approvals')).body.length, 2);
    assert.equal((await new Client(stack.baseUrl).get('/approvals')).status, 401);
    for (const id of [first.id, second.id])
      await reviewer.post(`/courses/${id}/reject`, { stage: id === first.id ? 4 : 5, action: 'cancel', reasons: ['off_topic'] });
  });

  it('aggregates the overview from the server: counts, costs equal to the traces, charts, durations', async () => {
    const c = (await ops.post('/courses', { title: 'Overview course', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await untilStatus(ops, c.id, 'completed', 120_000);
    const res = await finance.get('/overview');
    assert.equal(res.status, 200);
    const o = res.body;
    const {
      rows: [t],
    } = await db.query(
      `SELECT coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS month,
              coalesce(sum(cost_usd) FILTER (WHERE (created_at AT TIME ZONE 'UTC')::date = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS today
         FROM generation_trace WHERE organization_id = $1 AND created_at >= date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`,
      [ops.user.organizationId],
    );
    assert.equal(o.cost.monthUsd, t.month);
    assert.equal(o.cost.todayUsd, t.today);
    assert.ok(Number(o.cost.todayUsd) > 0);
    const {
      rows: [counts],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'cancelled')::int AS cancelled, count(*)::int AS total FROM courses WHERE organization_id = $1`,
      [ops.user.organizationId],
    );
    assert.equal(o.counts.total, counts.total);
    assert.equal(o.counts.awaitingApproval, 0);
    const byDay = o.costByDay.reduce((s, r) => s + Number(r.costUsd), 0);
    const {
      rows: [d30],
    } = await db.query(`SELECT sum(cost_usd)::float8 AS s FROM generation_trace WHERE organization_id = $1 AND created_at > now() - interval '30 days'`, [
      ops.user.organizationId,
    ]);
    assert.ok(Math.abs(byDay - d30.s) < 1e-6, `cost by day ${byDay} = traces ${d30.s}`);
    assert.ok(o.costByDay.every((r) => /^\d{4}-\d{2}-\d{2}$/.test(r.day) && r.model));
    const { rows: tokens } = await db.query(
      `SELECT stage, sum(input_tokens)::float8 AS i FROM generation_trace WHERE organization_id = $1 GROUP BY stage ORDER BY stage`,
      [ops.user.organizationId],
    );
    assert.deepEqual(
      o.tokensByStage.map((s) => [s.stage, s.inputTokens]),
      tokens.map((r) => [r.stage, r.i]),
    );
    const stages = o.stageDurations.map((d) => d.stage);
    for (const s of ['stage_4', 'stage_5', 'stage_6']) assert.ok(stages.includes(s), `duration of ${s}`);
    for (const d of o.stageDurations) assert.ok(d.p95Seconds >= d.p50Seconds && d.p50Seconds >= 0 && d.runs >= 1);
    // Another organization sees its own (empty) numbers.
    const g = (await globex.get('/overview')).body;
    assert.equal(g.cost.monthUsd, '0.00000000');
    assert.equal(g.costByDay.length, 0);
    assert.equal((await new Client(stack.baseUrl).get('/overview')).status, 401);
  });

  it('records a course flight: transitions, labelled calls, decisions and the running cost', async () => {
    const c = (await ops.post('/courses', { title: 'Flight', approvalGates: [4] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await untilStatus(ops, c.id, 'stage_4_awaiting_approval');
    await reviewer.post(`/courses/${c.id}/approve`, { stage: 4, comment: 'ok' });
    await untilStatus(ops, c.id, 'completed', 120_000);
    const res = await finance.get(`/courses/${c.id}/timeline`);
    assert.equal(res.status, 200);
    const { events, cost, costByStageModel } = res.body;
    const kinds = new Set(events.map((e) => e.kind));
    assert.deepEqual([...kinds].sort(), ['approval', 'call', 'transition']);
    const times = events.map((e) => Date.parse(e.at));
    assert.deepEqual(
      times,
      [...times].sort((x, y) => x - y),
    );
    const calls = events.filter((e) => e.kind === 'call');
    assert.ok(calls.every((e) => ['first_try', 'retry', 'fallback', 'repair', 'rerun'].includes(e.callLabel) && e.model));
    assert.ok(!JSON.stringify(res.body).includes('"messages"'), 'no prompts in the flight recorder');
    const {
      rows: [t],
    } = await db.query(`SELECT sum(cost_usd)::float8 AS total, count(*)::int AS n FROM generation_trace WHERE course_id = $1`, [c.id]);
    assert.equal(cost.length, t.n);
    assert.ok(Math.abs(cost.at(-1).totalUsd - t.total) < 1e-7);
    for (let i = 1; i < cost.length; i++) assert.ok(cost[i].totalUsd >= cost[i - 1].totalUsd);
    assert.ok(Math.abs(costByStageModel.reduce((s, r) => s + Number(r.costUsd), 0) - t.total) < 1e-7);
    assert.equal((await globex.get(`/courses/${c.id}/timeline`)).status, 404);
    assert.equal((await ops.get('/courses/not-a-uuid/timeline')).status, 400);
  });

  it("opens Bull Board to operators (the platform organization's admins) through a path-scoped httpOnly cookie; 403 for everyone else, 401 without it", async () => {
    const board = (cookie, path = '/api/queues-board/') => fetch(`${stack.baseUrl}${path}`, { headers: cookie ? { cookie } : {} });
    const sessionCookie = async (client) => {
      const res = await fetch(`${stack.baseUrl}/api/queues-board-session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 201);
      const setCookie = res.headers.get('set-cookie');
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /Path=\/api\/queues-board;/);
      assert.match(setCookie, /SameSite=Strict/);
      return setCookie.split(';')[0];
    };
    const adminClient = await Client.login(stack.baseUrl, 'admin@acme.test');
    const opsCookie = await sessionCookie(adminClient);
    const page = await board(opsCookie);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<html/i);
    const api = await board(opsCookie, '/api/queues-board/api/queues?activeQueue=&page=1&jobsPerPage=10');
    assert.equal(api.status, 200);
    const names = (await api.json()).queues.map((q) => q.name).sort();
    assert.ok(names.includes('lessons') && names.includes('analysis'), names.join(','));
    const refused = async (client) => {
      const res = await fetch(`${stack.baseUrl}/api/queues-board-session`, {
        method: 'POST',
        headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
        body: '{}',
      });
      assert.equal(res.status, 403);
      assert.equal(res.headers.get('set-cookie'), null);
    };
    for (const client of [ops, finance, reviewer, globex]) await refused(client);
    assert.equal((await board(null)).status, 401);
    assert.equal((await board(null, '/api/queues-board/api/queues')).status, 401);
    assert.equal((await board(`${opsCookie}x`)).status, 401);
    // A board token is not an API token, and an API token is not a board session.
    const boardToken = opsCookie.split('=')[1];
    assert.equal((await new Client(stack.baseUrl, boardToken).get('/courses')).status, 401);
    assert.equal((await board(`mc_queues_board=${adminClient.token}`)).status, 401);
    assert.equal((await fetch(`${stack.baseUrl}/api/queues-board-session`, { method: 'POST' })).status, 401);
  });
});
