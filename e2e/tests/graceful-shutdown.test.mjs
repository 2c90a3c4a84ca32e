// SIGTERM to a worker: it stops taking jobs; a phase that finishes within
// SHUTDOWN_GRACE_MS finishes on it, one that would not is handed back to the queue
// (waiting again, no attempt spent) and another worker runs it. The course completes,
// with one trace per model call.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { hostname } from 'node:os';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { WORKER_ENTRY, startProcess } from '../../scripts/lib.mjs';
import { Client, startStack, waitFor } from '../harness.mjs';

describe('graceful worker shutdown', () => {
  let stack;
  let db;
  const workers = [];
  before(async () => {
    stack = await startStack({ workers: 0, env: { RECONCILE_MS: '60000' } });
    db = await stack.sql();
  });
  after(async () => {
    for (const w of workers) if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    await stack?.stop();
  });

  const worker = (env) => {
    const child = startProcess(`worker${workers.length}`, WORKER_ENTRY, { ...stack.env, RUN_MIGRATIONS: 'false', ...env }, { quiet: !process.env.E2E_VERBOSE });
    child.exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })));
    workers.push(child);
    return child;
  };
  const actorOf = (child) => `${hostname()}-${child.pid}-`;
  const historyOf = async (courseId, event, phase) =>
    (
      await db.query(`SELECT actor_id, created_at FROM generation_status_history WHERE course_id = $1 AND event = $2 AND reason = $3 ORDER BY id`, [
        courseId,
        event,
        `${phase}#0`,
      ])
    ).rows;

  it('lets a running phase finish within the grace period, hands one back after it, and the course completes', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Shutdown drill', approvalGates: [] })).body;

    // 1. A worker whose model takes 2.5 s, with 30 s of grace: SIGTERM mid-phase.
    const patient = worker({ SIMULATED_TTFT_MS: '2500', SIMULATED_TOKENS_PER_SECOND: '50000', SHUTDOWN_GRACE_MS: '30000' });
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await historyOf(c.id, 'PHASE_STARTED', 'phase_1_classifier')).length > 0, { what: 'phase 1 started', timeoutMs: 60_000 });
    const sigterm1 = Date.now();
    patient.kill('SIGTERM');
    const exit1 = await patient.exited;
    assert.equal(exit1.code ?? 0, 0, `clean exit, got ${JSON.stringify(exit1)}`);
    const [done1] = await historyOf(c.id, 'PHASE_DONE', 'phase_1_classifier');
    assert.ok(done1, 'phase 1 finished before the worker left');
    assert.ok(done1.actor_id.startsWith(actorOf(patient)), 'on the worker that was told to stop');
    const { rows: after1 } = await db.query(
      `SELECT count(*)::int AS n FROM generation_status_history WHERE course_id = $1 AND event = 'PHASE_STARTED' AND actor_id LIKE $2 AND created_at > $3`,
      [c.id, `${actorOf(patient)}%`, new Date(sigterm1).toISOString()],
    );
    assert.equal(after1[0].n, 0, 'no new job taken after SIGTERM');

    // 2. A worker whose model takes 8 s, with 1 s of grace: the phase is handed back.
    const hasty = worker({ SIMULATED_TTFT_MS: '8000', SIMULATED_TOKENS_PER_SECOND: '50000', SHUTDOWN_GRACE_MS: '1000' });
    await waitFor(async () => (await historyOf(c.id, 'PHASE_STARTED', 'phase_2_scope')).some((h) => h.actor_id.startsWith(actorOf(hasty))), {
      what: 'phase 2 started',
      timeoutMs: 60_000,
    });
    const sigterm2 = Date.now();
    hasty.kill('SIGTERM');
    const exit2 = await hasty.exited;
    assert.equal(exit2.code ?? 0, 0);
    assert.ok(exit2.at - sigterm2 < 7000, `left after the grace period, not after the 8 s model call (${exit2.at - sigterm2} ms)`);
    assert.equal((await historyOf(c.id, 'PHASE_DONE', 'phase_2_scope')).length, 0, 'the cut-off phase did not report');
    const redis = new IORedis(stack.env.REDIS_URL);
    const queue = new Queue('analysis', { connection: redis, prefix: stack.env.QUEUE_PREFIX });
    try {
      const job = await queue.getJob(`${c.id}-r1-s4-phase_2_scope-0`);
      assert.ok(['waiting', 'prioritized'].includes(await job.getState()), 'handed back to the queue');
      assert.equal(job.attemptsMade, 0, 'no attempt spent');
    } finally {
      await queue.close();
      redis.disconnect();
    }

    // 3. Another worker picks it up; the course completes.
    const fresh = worker({ SIMULATED_LATENCY: 'instant' });
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000, intervalMs: 250 });
    const [done2] = await historyOf(c.id, 'PHASE_DONE', 'phase_2_scope');
    assert.ok(done2.actor_id.startsWith(actorOf(fresh)), 'the handed-back phase ran on the other worker');
    const {
      rows: [t],
    } = await db.query(
      `SELECT count(*)::int AS traces, count(DISTINCT idempotency_key)::int AS keys,
              count(*) FILTER (WHERE phase = 'phase_2_scope')::int AS phase2
         FROM generation_trace WHERE course_id = $1`,
      [c.id],
    );
    assert.equal(t.traces, t.keys, 'no duplicate trace');
    assert.equal(t.phase2, 1, 'the aborted call was not traced or paid; the rerun was, once');
    fresh.kill('SIGTERM');
    await fresh.exited;
  });
});
