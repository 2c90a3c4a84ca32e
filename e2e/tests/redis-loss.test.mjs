// Redis may be lost at any time without losing a course: wipe every queue key in the
// middle of a generation, with the processes down, and the reconciler puts the missing phase jobs back from what
// Postgres knows; the course completes, each phase's work applied once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import IORedis from 'ioredis';
import { Client, startStack, waitFor } from '../harness.mjs';

describe('losing Redis', () => {
  let stack;
  let db;
  before(async () => {
    stack = await startStack({ env: { RECONCILE_MS: '300', SIMULATED_TTFT_MS: '100', SIMULATED_TOKENS_PER_SECOND: '800' } });
    db = await stack.sql();
  });
  after(async () => {
    await stack?.stop();
  });

  it('finishes a course whose queued and running jobs vanished from Redis', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Survivor', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.phase === 'sections', { what: 'stage 5 sections', timeoutMs: 60_000, intervalMs: 50 });
    // Everything stops; Redis loses every queue key meanwhile (a restart without
    // persistence, a FLUSHALL); then the processes come back.
    await stack.stopProcesses();
    const redis = new IORedis(stack.env.REDIS_URL);
    const keys = await redis.keys(`${stack.env.QUEUE_PREFIX}:*`);
    assert.ok(keys.length > 0);
    await redis.del(...keys);
    redis.disconnect();
    await stack.start();
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', {
      what: 'completion after the wipe',
      timeoutMs: 180_000,
      intervalMs: 250,
    });
    const {
      rows: [m],
    } = await db.query(`SELECT count(*)::int AS n FROM system_metrics WHERE course_id = $1 AND metric_type = 'job_reenqueued'`, [c.id]);
    assert.ok(m.n >= 1, 'the reconciler put jobs back');
    const {
      rows: [l],
    } = await db.query(
      `SELECT count(*)::int AS lessons, count(*) FILTER (WHERE status = 'generated')::int AS generated,
              (SELECT count(*)::int FROM lesson_contents lc JOIN lessons x ON x.id = lc.lesson_id WHERE x.course_id = $1) AS contents
         FROM lessons WHERE course_id = $1`,
      [c.id],
    );
    assert.ok(l.lessons >= 24);
    assert.equal(l.generated, l.lessons);
    assert.equal(l.contents, l.lessons, 'each lesson stored once');
    const {
      rows: [s],
    } = await db.query(
      `SELECT count(*)::int AS n, count(DISTINCT phase_key)::int AS keys FROM phase_outputs WHERE course_id = $1 AND stage = 5 AND phase_key LIKE 'sections-%'`,
      [c.id],
    );
    assert.equal(s.n, s.keys);
    const history = (await ops.get(`/courses/${c.id}/history?range=[0,999]`)).body;
    for (let i = 1; i < history.length; i++) assert.ok(history[i].percentage >= history[i - 1].percentage);
  });
});
