// Figure: wall time of a standard course with the realistic latency profile, beside its
// critical path (the model time that cannot run in parallel, from its own traces).
import pg from 'pg';
import { Client, startStack, waitFor } from '../harness.mjs';
import { criticalPathMs } from './critical-path.mjs';

export const name = 'wall-time';

export async function measure({ record }) {
  const stack = await startStack({ env: { SIMULATED_LATENCY: 'realistic', WORKER_CONCURRENCY: '8' } });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Standard course: applied statistics', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', {
      what: 'the standard course',
      timeoutMs: 600_000,
      intervalMs: 500,
    });
    const {
      rows: [times],
    } = await db.query(
      `SELECT extract(epoch FROM (SELECT max(created_at) FROM generation_status_history WHERE course_id = $1 AND to_status = 'completed')
                               - (SELECT min(created_at) FROM generation_status_history WHERE course_id = $1 AND event = 'PHASE_STARTED')) * 1000 AS wall_ms,
              (SELECT count(*) FROM lessons WHERE course_id = $1)::int AS lessons,
              jsonb_array_length(course_structure->'sections') AS sections
         FROM courses WHERE id = $1`,
      [c.id],
    );
    const { rows: items } = await db.query(
      `SELECT stage, phase, substring(idempotency_key FROM '-(\\d+)-c\\d+(?:-a\\d+)?$')::int AS index, sum(duration_ms)::int AS ms
         FROM generation_trace WHERE course_id = $1 AND error_data IS NULL
        GROUP BY 1, 2, 3`,
      [c.id],
    );
    const critical = criticalPathMs(items);
    const wall = Number(times.wall_ms);
    const ratio = wall / critical;
    record(
      `standard course wall time (${times.sections} sections, ${times.lessons} lessons, realistic latency)`,
      `${(wall / 1000).toFixed(1)} s`,
      `critical path ${(critical / 1000).toFixed(1)} s`,
      `${ratio.toFixed(3)}×`,
      '≤ 1.03× and < 150 s',
      ratio <= 1.03 && wall < 150_000 && times.sections === 8 && times.lessons >= 24,
    );
  } finally {
    await db.end();
    await stack.stop();
  }
}
