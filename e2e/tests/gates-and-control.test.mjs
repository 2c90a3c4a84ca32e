// Everything a reviewer and an operator do to a course, against two API processes and
// a worker: one decision per gate, no self-approval, reject-and-rerun with the reasons
// in the prompts, deadlines that fire after a restart of every process, retry that
// reuses saved work, cancel that leaves nothing running, and concurrency limits.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { Client, startStack, waitFor } from '../harness.mjs';

const statusOf = async (c, id) => (await c.get(`/courses/${id}`)).body;
const untilState = (c, id, pred, what, timeoutMs = 90_000) =>
  waitFor(
    async () => {
      const s = await statusOf(c, id);
      return pred(s) && s;
    },
    { what, timeoutMs },
  );

describe('gates and operator control', () => {
  let stack;
  let db;
  let ops;
  let reviewer;
  let admin;
  before(async () => {
    stack = await startStack({ apis: 2, env: { DEADLINE_SWEEP_MS: '200' } });
    db = await stack.sql();
    ops = await Client.login(stack.urls[0], 'ops@acme.test');
    reviewer = await Client.login(stack.urls[0], 'reviewer@acme.test');
    admin = await Client.login(stack.urls[1], 'admin@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  async function courseAtGate(body, stage) {
    const c = (await ops.post('/courses', body)).body;
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status, 202);
    await untilState(ops, c.id, (s) => s.generationStatus === `stage_${stage}_awaiting_approval`, `the stage ${stage} gate`);
    return c;
  }

  it('takes exactly one decision when 10 approvals race across two API processes', async () => {
    const course = await courseAtGate({ title: 'Race', approvalGates: [4] }, 4);
    const r2 = await Client.login(stack.urls[1], 'reviewer@acme.test');
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? r2 : reviewer).post(`/courses/${course.id}/approve`, { stage: 4, comment: `vote ${i}` })),
    );
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409, 409, 409, 409, 409, 409]);
    for (const r of results.filter((x) => x.status === 409)) assert.match(r.body.message, /APPROVE refused/);
    const { rows } = await db.query(`SELECT decision, decided_role FROM approvals WHERE course_id = $1`, [course.id]);
    assert.deepEqual(rows, [{ decision: 'approved', decided_role: 'reviewer' }]);
  });

  it('escalates a gate once when 8 people press "escalate now" together across two API processes', async () => {
    const course = await courseAtGate({ title: 'Escalation race', approvalGates: [4] }, 4);
    const ops2 = await Client.login(stack.urls[1], 'ops@acme.test');
    const results = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? ops2 : ops).post(`/approvals/${course.id}/escalate`, {})));
    const codes = results.map((r) => r.status).sort();
    assert.deepEqual(codes, [200, 409, 409, 409, 409, 409, 409, 409], JSON.stringify(results.map((r) => r.body)));
    for (const r of results.filter((x) => x.status === 409)) assert.match(r.body.message, /escalated already|cannot be escalated now/);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM generation_status_history WHERE course_id = $1 AND event = 'ESCALATE'`, [course.id]);
    assert.equal(rows[0].n, 1);
  });

  it('refuses self-approval when the organization asks for it', async () => {
    assert.equal((await admin.request('PUT', '/organization', { requireDistinctApprover: true })).status, 200);
    try {
      const c = (await admin.post('/courses', { title: 'Self approval', approvalGates: [4] })).body;
      assert.equal((await admin.post(`/courses/${c.id}/generation`)).status, 202);
      await untilState(admin, c.id, (s) => s.generationStatus === 'stage_4_awaiting_approval', 'the gate');
      const self = await admin.post(`/courses/${c.id}/approve`, { stage: 4 });
      assert.equal(self.status, 403);
      assert.match(self.body.message, /started this generation/);
      assert.equal((await reviewer.post(`/courses/${c.id}/approve`, { stage: 4 })).status, 200);
    } finally {
      await admin.request('PUT', '/organization', { requireDistinctApprover: false });
    }
  });

  it('reruns a rejected stage with the reasons in its prompts, without moving the bar back', async () => {
    const course = await courseAtGate({ title: 'Rejected analysis', approvalGates: [4] }, 4);
    const before = (await ops.get(`/courses/${course.id}/status`)).body.progress;
    const rejected = await reviewer.post(`/courses/${course.id}/reject`, {
      stage: 4,
      action: 'rerun',
      reasons: ['too_shallow', 'wrong_audience'],
      comment: 'go deeper',
    });
    assert.equal(rejected.status, 200, JSON.stringify(rejected.body));
    await untilState(ops, course.id, (s) => s.generationStatus === 'stage_4_awaiting_approval' && s.run === 2, 'the rerun to reach the gate again');
    const { rows } = await db.query(`SELECT label, input_data::text AS input FROM generation_trace WHERE course_id = $1 AND run = 2 AND stage = 'stage_4'`, [
      course.id,
    ]);
    assert.equal(rows.length, 5);
    for (const r of rows) {
      assert.equal(r.label, 'rerun');
      assert.match(r.input, /too_shallow/);
      assert.match(r.input, /go deeper/);
    }
    const history = (await ops.get(`/courses/${course.id}/history?range=[0,999]`)).body;
    for (let i = 1; i < history.length; i++) assert.ok(history[i].percentage >= history[i - 1].percentage, 'bar went back');
    assert.ok(history.at(-1).percentage >= before);
    const { rows: decisions } = await db.query(`SELECT decision, action, reasons, comment FROM approvals WHERE course_id = $1`, [course.id]);
    assert.deepEqual(decisions, [{ decision: 'rejected', action: 'rerun', reasons: ['too_shallow', 'wrong_audience'], comment: 'go deeper' }]);
  });

  it('fires a gate deadline after every process was restarted', async () => {
    const course = await courseAtGate({ title: 'Slow reviewer', approvalGates: [4], approvalSlaMinutes: 60 }, 4);
    const due = await waitFor(async () => (await db.query(`SELECT due_at FROM gate_deadlines WHERE course_id = $1`, [course.id])).rows[0], {
      what: 'the deadline row',
    });
    assert.ok(new Date(due.due_at).getTime() > Date.now() + 50 * 60_000);
    await stack.stopProcesses();
    // An hour passes while everything is down.
    await db.query(`UPDATE gate_deadlines SET due_at = now() - interval '1 second' WHERE course_id = $1`, [course.id]);
    await stack.start({ workerEnv: { DEADLINE_SWEEP_MS: '200' } });
    await waitFor(
      async () => (await db.query(`SELECT 1 FROM system_metrics WHERE course_id = $1 AND metric_type = 'approval_escalated'`, [course.id])).rowCount === 1,
      { what: 'the escalation' },
    );
    const history = (await ops.get(`/courses/${course.id}/history?range=[0,999]`)).body;
    assert.equal(history.filter((h) => h.event === 'ESCALATE').length, 1);
    assert.equal((await statusOf(ops, course.id)).generationStatus, 'stage_4_awaiting_approval');
  });

  it('refuses to start past the concurrency limit with 429', async () => {
    await admin.request('PUT', '/organization', { maxConcurrentGenerations: 1 });
    try {
      const { rows } = await db.query(
        `SELECT count(*)::int AS n FROM courses c JOIN organizations o ON o.id = c.organization_id WHERE o.slug = 'acme' AND c.status IN ('queued','generating')`,
      );
      const a = (await ops.post('/courses', { title: 'Limit A', approvalGates: [4] })).body;
      const b = (await ops.post('/courses', { title: 'Limit B' })).body;
      const first = await ops.post(`/courses/${a.id}/generation`);
      const second = await ops.post(`/courses/${b.id}/generation`);
      if (rows[0].n === 0) assert.equal(first.status, 202);
      assert.equal(second.status, 429);
      assert.match(second.body.message, /of 1 generations/);
      await ops.post(`/courses/${a.id}/cancel`);
    } finally {
      await admin.request('PUT', '/organization', { maxConcurrentGenerations: 20 });
    }
  });
});

describe('retry and cancel', () => {
  let stack;
  let db;
  let ops;
  before(async () => {
    stack = await startStack({ workerEnv: { SIMULATED_FORCE_FAULT: 'phase_3_expert:serverError' } });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  it('resumes a failed course at the failed phase, reusing every finished phase', async () => {
    const c = (await ops.post('/courses', { title: 'Flaky analysis', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    const failed = await untilState(ops, c.id, (s) => s.status === 'failed', 'the failure', 120_000);
    assert.match(failed.errorMessage, /503|server error/);
    const status = (await ops.get(`/courses/${c.id}/status`)).body;
    assert.deepEqual(status.metadata, { error: failed.errorMessage, retryable: true });
    const beforeRetry = (await db.query(`SELECT phase, count(*)::int AS n FROM generation_trace WHERE course_id = $1 GROUP BY phase ORDER BY phase`, [c.id]))
      .rows;
    assert.deepEqual(
      beforeRetry.map((r) => r.phase),
      ['phase_1_classifier', 'phase_2_scope', 'phase_3_expert'],
    );

    await stack.stopProcesses();
    await stack.start();
    const retried = await ops.post(`/courses/${c.id}/retry`);
    assert.equal(retried.status, 200, JSON.stringify(retried.body));
    assert.deepEqual(retried.body.retry.phases, [{ stage: 'stage_4', phase: 'phase_3_expert', index: 0 }]);
    assert.equal(retried.body.retry.reusedItems, 0);
    assert.ok(retried.body.retry.estimatedCostUsd === null || retried.body.retry.estimatedCostUsd >= 0);
    await untilState(ops, c.id, (s) => s.status === 'completed', 'completion after retry', 120_000);
    const after = (
      await db.query(
        `SELECT phase, count(*)::int AS n FROM generation_trace WHERE course_id = $1 AND phase IN ('phase_1_classifier', 'phase_2_scope') GROUP BY phase ORDER BY phase`,
        [c.id],
      )
    ).rows;
    assert.deepEqual(
      after,
      beforeRetry.filter((r) => r.phase !== 'phase_3_expert'),
    );
    assert.equal((await ops.post(`/courses/${c.id}/retry`)).status, 409);
  });

  it('cancel leaves no running or queued job and no later trace', async () => {
    await stack.stopProcesses();
    await stack.start({ workerEnv: { SIMULATED_TTFT_MS: '300', SIMULATED_TOKENS_PER_SECOND: '400' } });
    const c = (await ops.post('/courses', { title: 'Cancelled course', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await untilState(ops, c.id, (s) => s.currentStage === 'stage_6' && s.status === 'generating', 'stage 6', 120_000);
    const cancelled = await ops.post(`/courses/${c.id}/cancel`, { reason: 'wrong topic' });
    assert.equal(cancelled.status, 200);
    assert.equal(cancelled.body.status, 'cancelled');
    await new Promise((r) => setTimeout(r, 1000));
    const count = async () => (await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE course_id = $1`, [c.id])).rows[0].n;
    const settled = await count();
    const redis = new IORedis(stack.env.REDIS_URL, { maxRetriesPerRequest: null });
    try {
      for (const name of ['documents', 'summaries', 'analysis', 'structure', 'lessons']) {
        const q = new Queue(name, { connection: redis, prefix: stack.env.QUEUE_PREFIX });
        const jobs = await q.getJobs(['waiting', 'active', 'delayed', 'prioritized']);
        assert.deepEqual(
          jobs.filter((j) => j?.data?.courseId === c.id).map((j) => j.id),
          [],
          `jobs left in ${name}`,
        );
        await q.close();
      }
    } finally {
      redis.disconnect();
    }
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await count(), settled, 'a trace was written after the cancel');
    assert.equal((await statusOf(ops, c.id)).status, 'cancelled');
    assert.equal((await ops.post(`/courses/${c.id}/retry`)).status, 409);

    // Restart from scratch is the one action that moves the bar back to 0.
    const before = (await statusOf(ops, c.id)).percentage;
    assert.ok(before > 0);
    const restarted = await ops.post(`/courses/${c.id}/restart`);
    assert.equal(restarted.status, 200);
    assert.equal(restarted.body.progress, 0);
    await untilState(ops, c.id, (s) => s.status === 'completed', 'completion after restart', 180_000);
    const history = (await ops.get(`/courses/${c.id}/history?range=[0,999]`)).body;
    const restartAt = history.findIndex((h) => h.event === 'RESTART');
    assert.equal(history[restartAt].percentage, 0);
    for (let i = 1; i < history.length; i++) {
      if (i !== restartAt) assert.ok(history[i].percentage >= history[i - 1].percentage, 'bar went back outside a restart');
    }
  });

  it('fails a course past its organization budget, retryable once the budget is raised', async () => {
    await stack.stopProcesses();
    await stack.start();
    const globexAdminless = await Client.login(stack.baseUrl, 'ops@globex.test');
    const {
      rows: [org],
    } = await db.query(`SELECT id FROM organizations WHERE slug = 'globex'`);
    await db.query(`UPDATE organizations SET monthly_budget_usd = 0 WHERE id = $1`, [org.id]);
    const c = (await globexAdminless.post('/courses', { title: 'Over budget', approvalGates: [] })).body;
    await globexAdminless.post(`/courses/${c.id}/generation`);
    const failed = await untilState(globexAdminless, c.id, (s) => s.status === 'failed', 'the budget failure');
    assert.match(failed.errorMessage, /monthly model budget reached/);
    assert.equal((await globexAdminless.get(`/courses/${c.id}/status`)).body.metadata.retryable, true);
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE course_id = $1`, [c.id]);
    assert.equal(n, 0);
    await db.query(`UPDATE organizations SET monthly_budget_usd = 100 WHERE id = $1`, [org.id]);
    assert.equal((await globexAdminless.post(`/courses/${c.id}/retry`)).status, 200);
    await untilState(globexAdminless, c.id, (s) => s.status === 'completed', 'completion within the raised budget');
  });
});
