// `npm run bench`: starts what it needs, measures each figure beside its baseline in
// the same run, prints one table and saves it to e2e/bench/results/<date>.md.
// Figures that miss their target are printed as missing.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT, run } from '../../scripts/lib.mjs';
import { Client, startStack, waitFor } from '../harness.mjs';
import { criticalPathMs } from './critical-path.mjs';

const rows = [];
function record(figure, ours, baseline, ratio, target, met, note = '') {
  rows.push({ figure, ours, baseline, ratio, target, met, note });
  console.log(`${met ? 'ok     ' : 'MISSING'} ${figure}: ${ours} vs ${baseline} (${ratio}) target ${target}${note ? ` — ${note}` : ''}`);
}

async function courseWallTime() {
  const stack = await startStack({ env: { SIMULATED_LATENCY: 'realistic', WORKER_CONCURRENCY: '8' } });
  const db = new pg.Client({ connectionString: stack.databaseUrl });
  await db.connect();
  try {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Standard course: applied statistics', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'the standard course', timeoutMs: 600_000, intervalMs: 500 });
    const { rows: [times] } = await db.query(
      `SELECT extract(epoch FROM (SELECT max(created_at) FROM generation_status_history WHERE course_id = $1 AND to_status = 'completed')
                               - (SELECT min(created_at) FROM generation_status_history WHERE course_id = $1 AND event = 'PHASE_STARTED')) * 1000 AS wall_ms,
              (SELECT count(*) FROM lessons WHERE course_id = $1)::int AS lessons,
              jsonb_array_length(course_structure->'sections') AS sections
         FROM courses WHERE id = $1`,
      [c.id],
    );
    const { rows: items } = await db.query(
      `SELECT stage, phase, split_part(split_part(idempotency_key, '-c', 1), '-', 9)::int AS index, sum(duration_ms)::int AS ms
         FROM generation_trace WHERE course_id = $1 AND error_data IS NULL
        GROUP BY stage, phase, split_part(split_part(idempotency_key, '-c', 1), '-', 9)`,
      [c.id],
    );
    const critical = criticalPathMs(items);
    const wall = Number(times.wall_ms);
    const ratio = wall / critical;
    record(
      `standard course wall time (${times.sections} sections, ${times.lessons} lessons, realistic latency)`,
      `${(wall / 1000).toFixed(1)} s`, `critical path ${(critical / 1000).toFixed(1)} s`, `${ratio.toFixed(3)}×`,
      '≤ 1.03× and < 150 s', ratio <= 1.03 && wall < 150_000 && times.sections === 8 && times.lessons >= 24,
    );
  } finally {
    await db.end();
    await stack.stop();
  }
}

async function main() {
  run('npm', ['run', 'build', '-w', 'backend']);
  const started = new Date();
  await courseWallTime();
  const table = [
    `# Benchmarks — ${started.toISOString().slice(0, 10)}`,
    '',
    `Machine: ${process.platform} ${process.arch}, Node ${process.version}, ${(await import('node:os')).cpus().length} cores.`,
    '',
    '| figure | ours | baseline | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.ours} | ${r.baseline} | ${r.ratio} | ${r.target} | ${r.met ? 'met' : '**missing**'} |`),
    '',
  ].join('\n');
  const dir = join(ROOT, 'e2e/bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${started.toISOString().slice(0, 10)}.md`), table);
  console.log(`\n${table}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
