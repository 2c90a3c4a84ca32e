// Figure: resident memory (VmRSS of the api + the worker process) with 10,000 courses in
// flight, beside the same processes with 100. The first 100 courses are created and
// started through the API (POST /api/courses/:id/generation); the other 9,900 are
// inserted in bulk as copies of one of them, in the same generating state, with no job
// in the queues — the worker's reconciler finds them and enqueues their phase jobs, as
// it would after Redis was lost. A model that takes minutes to answer (60 s to first
// token, 1 token/s) keeps every course in flight: 8 running their first phase, the rest
// queued in BullMQ. Rate limits are off and the organization's concurrency limit raised.
import { Client, startStack, waitFor } from '../harness.mjs';
import { mb, rssBytes, sleep } from './lib.mjs';

export const name = 'rss';
const SMALL = 100;
const LARGE = Number(process.env.BENCH_RSS_COURSES ?? 10_000);

async function startCourses(db, ops, from, to) {
  const { rows } = await db.query(
    `INSERT INTO courses (organization_id, created_by, title, approval_gates, generation_progress)
     SELECT $1, $2, 'In-flight course ' || g, '{}'::int[], jsonb_build_object(
       'percentage', 0, 'message', '', 'current_step', 0, 'current_stage', NULL, 'steps', '[]'::jsonb,
       'has_documents', false, 'document_size', 0, 'lessons_completed', 0, 'lessons_total', 0,
       'started_at', NULL, 'estimated_completion', NULL)
       FROM generate_series($3::int, $4::int) g RETURNING id`,
    [ops.user.organizationId, ops.user.id, from, to],
  );
  const ids = rows.map((r) => r.id);
  let next = 0;
  await Promise.all(
    Array.from({ length: 20 }, async () => {
      while (next < ids.length) {
        const id = ids[next++];
        const res = await ops.post(`/courses/${id}/generation`);
        if (res.status !== 202) throw new Error(`start answered ${res.status}: ${JSON.stringify(res.body)}`);
      }
    }),
  );
}

async function reading(stack, db, inFlight) {
  // Every start's effects carried out (jobs enqueued), then two reconciler passes.
  await waitFor(async () => (await db.query(`SELECT count(*)::int AS n FROM outbox WHERE processed_at IS NULL`)).rows[0].n === 0, {
    what: 'the outbox to drain',
    timeoutMs: 300_000,
    intervalMs: 500,
  });
  const {
    rows: [c],
  } = await db.query(`SELECT count(*)::int AS n FROM courses WHERE status IN ('queued', 'generating')`);
  if (c.n !== inFlight) throw new Error(`${c.n} courses in flight, expected ${inFlight}`);
  await sleep(11_000);
  const samples = [];
  for (let i = 0; i < 5; i++) {
    samples.push(stack.children.reduce((sum, child) => sum + rssBytes(child.pid), 0));
    await sleep(1000);
  }
  return Math.max(...samples);
}

export async function measure({ record }) {
  const stack = await startStack({
    env: { LOG_LEVEL: 'error', SIMULATED_LATENCY: 'realistic', SIMULATED_TTFT_MS: '60000', SIMULATED_TOKENS_PER_SECOND: '1', RATE_LIMIT_FACTOR: '0' },
  });
  try {
    const db = await stack.sql();
    await db.query(`UPDATE organizations SET max_concurrent_generations = $1`, [LARGE + 100]);
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const {
      rows: [before],
    } = await db.query(`SELECT count(*)::int AS n FROM courses WHERE status IN ('queued', 'generating')`);
    await startCourses(db, ops, 1, SMALL - before.n);
    const small = await reading(stack, db, SMALL);
    const t0 = Date.now();
    const {
      rows: [template],
    } = await db.query(
      `SELECT id FROM courses WHERE status IN ('queued', 'generating') AND machine_snapshot->'context'->'step' IS NOT NULL ORDER BY created_at DESC LIMIT 1`,
    );
    await db.query(
      `INSERT INTO courses (id, organization_id, created_by, title, approval_gates, status, generation_status, generation_progress,
                            machine_snapshot, generation_run, generation_started_at, started_by, created_at, updated_at)
       SELECT md5('in-flight-' || g)::uuid, t.organization_id, t.created_by, 'In-flight course ' || g, t.approval_gates, t.status,
              t.generation_status, t.generation_progress, replace(t.machine_snapshot::text, t.id::text, md5('in-flight-' || g)::uuid::text)::jsonb,
              t.generation_run, t.generation_started_at, t.started_by, now(), now() - interval '1 minute'
         FROM courses t, generate_series($2::int, $3::int) g WHERE t.id = $1`,
      [template.id, SMALL + 1, LARGE],
    );
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM system_metrics WHERE metric_type = 'job_reenqueued'`)).rows[0].n >= LARGE - SMALL,
      { what: 'the reconciler to enqueue the bulk-inserted courses', timeoutMs: 400_000, intervalMs: 1000 },
    );
    const startS = (Date.now() - t0) / 1000;
    const large = await reading(stack, db, LARGE);
    const ratio = large / small;
    record(
      'RSS of api + worker with 10,000 courses in flight',
      `${mb(large)} with ${LARGE.toLocaleString('en-US')}`,
      `${mb(small)} with ${SMALL}`,
      `${ratio.toFixed(2)}×`,
      '≤ 1.2×',
      ratio <= 1.2,
      `the reconciler enqueued ${(LARGE - SMALL).toLocaleString('en-US')} in ${Math.round(startS)} s`,
    );
  } finally {
    await stack.stop();
  }
}
