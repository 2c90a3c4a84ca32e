// Stall alerts through the running system: with no worker up, a started course does not
// move and its queue has no consumer — the api process's detector raises both (the course
// alert to its organization, the queue alert to everyone, live and at GET /api/alerts);
// once a worker comes, both clear. Live alerts reach only who may read alerts: a
// reviewer's and finance's sockets of the same organization hear the course move, never
// an alert.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Client, connectLive as connect, startStack, waitFor } from '../harness.mjs';

describe('stall alerts', () => {
  let stack;
  const sockets = [];
  before(async () => {
    stack = await startStack({
      workers: 0,
      env: { STALL_SWEEP_MS: '300', STALL_PROGRESS_MINUTES: '0.05', STALL_QUEUE_SECONDS: '1', STALL_JOB_SECONDS: '1' },
    });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await stack?.stop();
  });

  it('raises a stalled course and a queue without consumer, scoped by organization, and clears them when a worker comes', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const acmeSocket = await connect(stack.baseUrl, ops.token);
    const globexSocket = await connect(stack.baseUrl, globex.token);
    const withoutAlerts = {};
    for (const email of ['reviewer@acme.test', 'finance@acme.test']) {
      withoutAlerts[email] = await connect(stack.baseUrl, (await Client.login(stack.baseUrl, email)).token);
    }
    sockets.push(acmeSocket, globexSocket, ...Object.values(withoutAlerts));

    const c = (await ops.post('/courses', { title: 'Nobody works here', approvalGates: [] })).body;
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    const open = () => ops.get(`/alerts?filter=${encodeURIComponent(JSON.stringify({ status: 'open' }))}`);
    const raised = await waitFor(
      async () => {
        const res = await open();
        const kinds = res.body.map((a) => a.kind);
        return kinds.includes('course_progress_stalled') && kinds.includes('queue_without_consumer') && res;
      },
      { what: 'both alerts', timeoutMs: 60_000, intervalMs: 250 },
    );
    assert.match(raised.headers.get('content-range'), /^alerts 0-\d+\/\d+$/);
    const courseAlert = raised.body.find((a) => a.kind === 'course_progress_stalled');
    assert.deepEqual(
      { subject: courseAlert.subject, courseId: courseAlert.courseId, status: courseAlert.status, clearedAt: courseAlert.clearedAt },
      { subject: `course-${c.id}`, courseId: c.id, status: 'open', clearedAt: null },
    );
    const queueAlert = raised.body.find((a) => a.kind === 'queue_without_consumer');
    assert.equal(queueAlert.organizationId, null);
    assert.equal(queueAlert.subject, 'queue-analysis');

    const health = await (await fetch(`${stack.baseUrl}/api/health`)).json();
    assert.ok(health.alerts.queue_without_consumer >= 1 && health.alerts.course_progress_stalled >= 1, JSON.stringify(health.alerts));

    // Another organization sees the system-wide alert, not Acme's course.
    const theirs = (await globex.get('/alerts')).body;
    assert.ok(theirs.some((a) => a.id === queueAlert.id));
    assert.ok(!theirs.some((a) => a.courseId === c.id));
    await waitFor(() => acmeSocket.events.some((e) => e.event === 'alert.raised' && e.payload.courseId === c.id), { what: 'the live course alert' });
    assert.ok(globexSocket.events.some((e) => e.event === 'alert.raised' && e.payload.kind === 'queue_without_consumer'));
    assert.ok(!globexSocket.events.some((e) => e.payload?.courseId === c.id), "no other organization's course alert");
    for (const [email, socket] of Object.entries(withoutAlerts)) {
      assert.ok(
        socket.events.some((e) => e.event === 'course.updated' && e.payload.id === c.id),
        `${email} hears the course move`,
      );
      assert.deepEqual(
        socket.events.filter((e) => e.event.startsWith('alert.')).map((e) => e.payload.kind),
        [],
        `${email} may not read alerts and hears none`,
      );
    }

    // Who may read them, and what is refused.
    for (const email of ['reviewer@acme.test', 'finance@acme.test']) {
      assert.equal((await (await Client.login(stack.baseUrl, email)).get('/alerts')).status, 403, email);
    }
    assert.equal((await new Client(stack.baseUrl).get('/alerts')).status, 401);
    const bad = await ops.get(`/alerts?filter=${encodeURIComponent(JSON.stringify({ status: 'sleeping' }))}`);
    assert.equal(bad.status, 400);
    assert.match(JSON.stringify(bad.body), /filter\.status/);

    // A worker comes: the queue is consumed and the course moves; both alerts clear.
    await stack.stopProcesses();
    await stack.start({ workers: 1 });
    const cleared = await waitFor(
      async () => {
        const res = await ops.get(`/alerts?filter=${encodeURIComponent(JSON.stringify({ status: 'cleared' }))}&range=[0,99]`);
        const ids = res.body.map((a) => a.id);
        return ids.includes(courseAlert.id) && ids.includes(queueAlert.id) && res;
      },
      { what: 'both alerts cleared', timeoutMs: 90_000, intervalMs: 250 },
    );
    assert.ok(cleared.body.every((a) => a.clearedAt !== null));
    const db = await stack.sql();
    const { rows } = await db.query(
      `SELECT metric_type, count(*)::int AS n FROM system_metrics WHERE metric_type LIKE 'alert_%' AND metadata->>'id' = ANY($1) GROUP BY 1 ORDER BY 1`,
      [[courseAlert.id, queueAlert.id]],
    );
    assert.deepEqual(rows, [
      { metric_type: 'alert_cleared', n: 2 },
      { metric_type: 'alert_raised', n: 2 },
    ]);
  });
});
