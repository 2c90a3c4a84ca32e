// Figure: the 30-day cost report over 5M traces, warm — GET /api/reports/costs (the
// rollups a trigger keeps) beside the naive GROUP BY over generation_trace, with equal
// sums required. The traces are generated in SQL: 100,000 courses of 50 calls each
// over the last 60 days, inserted in ten statements with generate_series, as a bulk
// import would: with session_replication_role = replica no trigger fires (the generated
// ids exist by construction), the table's indexes and unique constraints are dropped for
// the load and built after it, and the rollups are then built by one INSERT … SELECT into
// cost_daily_rollup (whose statement triggers keep the per-organization rollup). The
// figure compares the report's sums with the traces', so a wrong rollup cannot pass.
import { Client, startStack } from '../harness.mjs';
import { fmt, percentile } from './lib.mjs';

export const name = 'cost-report';
const TRACES = Number(process.env.BENCH_TRACES ?? 5_000_000);
const PER_COURSE = 50;
const CHUNKS = 10;
const MODELS = `ARRAY['openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'qwen/qwen3-235b-a22b', 'google/gemini-2.5-flash']`;

async function load(db, orgId, userId) {
  const q0 = db.query.bind(db);
  db = {
    query: async (...a) => {
      const t = Date.now();
      const r = await q0(...a);
      if (process.env.BENCH_DEBUG) console.log(`${Date.now() - t} ms ${String(a[0]).slice(0, 60).replace(/\s+/g, ' ')}`);
      return r;
    },
  };
  const courses = Math.ceil(TRACES / PER_COURSE);
  const t0 = Date.now();
  await db.query(`SET session_replication_role = replica`);
  await db.query(
    `INSERT INTO courses (id, organization_id, created_by, title, status, generation_status, created_at, updated_at)
     SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(g), 12, '0'))::uuid, $1, $2, 'Bench course ' || g, 'completed', 'completed',
            now() - make_interval(days => g % 60), now() - make_interval(days => g % 60)
       FROM generate_series(1, $3::int) g`,
    [orgId, userId, courses],
  );
  // Indexes and unique constraints are built after the load, as a bulk load would.
  const { rows: indexes } = await db.query(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname, pg_get_constraintdef(c.oid) AS condef
       FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
      WHERE i.indrelid = 'generation_trace'::regclass`,
  );
  for (const ix of indexes) await db.query(ix.conname ? `ALTER TABLE generation_trace DROP CONSTRAINT ${ix.conname}` : `DROP INDEX ${ix.name}`);
  const per = Math.ceil(TRACES / CHUNKS);
  for (let i = 0; i < CHUNKS; i++) {
    await db.query(
      `INSERT INTO generation_trace (course_id, organization_id, run, stage, phase, step_name, model_used, provider,
          tokens_used, input_tokens, output_tokens, cost_usd, duration_ms, attempt, label, idempotency_key, created_at)
       SELECT ('00000000-0000-4000-8000-' || lpad(to_hex(c), 12, '0'))::uuid, $1, 1, s.stage, s.stage, 'bench',
              (${MODELS})[1 + (g % 4)], 'simulated', it + ot, it, ot,
              round((it * (0.05 + (g % 4) * 0.1) + ot * (0.2 + (g % 4) * 0.3)) / 1e6, 8), 500 + g % 5000, 1,
              CASE WHEN g % 20 = 0 THEN 'retry' WHEN g % 37 = 0 THEN 'fallback' ELSE 'first_try' END,
              'bench-' || g,
              now() - make_interval(days => (c % 60)::int) - make_interval(secs => ((g % ${PER_COURSE}) * 20)::int)
         FROM generate_series($2::bigint, $3::bigint) g,
              LATERAL (SELECT 1 + (g - 1) / ${PER_COURSE} AS c, 200 + (g * 7919) % 6000 AS it, 50 + (g * 104729) % 3000 AS ot) x,
              LATERAL (SELECT 'stage_' || (4 + (g % 3)) AS stage) s`,
      [orgId, i * per + 1, Math.min(TRACES, (i + 1) * per)],
    );
  }
  await db.query(`SET maintenance_work_mem = '256MB'`);
  for (const ix of indexes) await db.query(ix.conname ? `ALTER TABLE generation_trace ADD CONSTRAINT ${ix.conname} ${ix.condef}` : ix.def);
  await db.query(`SET session_replication_role = DEFAULT`);
  await db.query(
    `INSERT INTO cost_daily_rollup AS r (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
     SELECT (created_at AT TIME ZONE 'UTC')::date, organization_id, course_id, model_used, stage, label,
            count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)
       FROM generation_trace WHERE organization_id = $1 AND idempotency_key LIKE 'bench-%'
      GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6
     ON CONFLICT (day, organization_id, course_id, model, stage, label) DO UPDATE SET
       calls = r.calls + EXCLUDED.calls, input_tokens = r.input_tokens + EXCLUDED.input_tokens,
       output_tokens = r.output_tokens + EXCLUDED.output_tokens, cost_usd = r.cost_usd + EXCLUDED.cost_usd`,
    [orgId],
  );
  await db.query(`VACUUM ANALYZE generation_trace`);
  await db.query(`VACUUM ANALYZE cost_daily_rollup`);
  await db.query(`VACUUM ANALYZE cost_daily_org_rollup`);
  return (Date.now() - t0) / 1000;
}

async function timed(fn, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs; i++) {
    const t = process.hrtime.bigint();
    last = await fn();
    times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  // Warm: the first run only warms caches.
  return { ms: percentile(times.slice(1), 50), last };
}

export async function measure({ record }) {
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  try {
    const db = await stack.sql();
    const finance = await Client.login(stack.baseUrl, 'finance@acme.test');
    const {
      rows: [u],
    } = await db.query(`SELECT id, organization_id FROM users WHERE email = 'finance@acme.test'`);
    const loadS = await load(db, u.organization_id, u.id);
    const {
      rows: [{ n }],
    } = await db.query(`SELECT count(*)::int AS n FROM generation_trace`);
    const to = new Date().toISOString().slice(0, 10);
    const from = new Date(Date.now() - 29 * 86_400_000).toISOString().slice(0, 10);

    const naive = await timed(
      async () =>
        (
          await db.query(
            `SELECT to_char((created_at AT TIME ZONE 'UTC')::date, 'YYYY-MM-DD') AS day, model_used AS model, count(*)::int AS calls,
              sum(input_tokens)::bigint::text AS input, sum(output_tokens)::bigint::text AS output, sum(cost_usd)::numeric(18, 8)::text AS cost
         FROM generation_trace
        WHERE organization_id = $1 AND created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC' AND created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
        GROUP BY 1, 2 ORDER BY 1, 2`,
            [u.organization_id, from, to],
          )
        ).rows,
      3,
    );
    const ours = await timed(async () => {
      const res = await finance.get(`/reports/costs?from=${from}&to=${to}&groupBy=day,model`);
      if (res.status !== 200) throw new Error(`report answered ${res.status}: ${JSON.stringify(res.body)}`);
      return res.body;
    }, 6);

    const key = (r) => `${r.day}|${r.model}`;
    const a = new Map(naive.last.map((r) => [key(r), `${r.calls}|${r.input}|${r.output}|${r.cost}`]));
    const b = new Map(ours.last.rows.map((r) => [key(r), `${r.calls}|${r.inputTokens}|${r.outputTokens}|${r.costUsd}`]));
    const diff = [...new Set([...a.keys(), ...b.keys()])].filter((k) => a.get(k) !== b.get(k));
    const naiveTotal = naive.last.reduce((s, r) => s + BigInt(r.cost.replace('.', '')), 0n);
    const ourTotal = BigInt(ours.last.totals.costUsd.replace('.', ''));
    const equal = diff.length === 0 && naiveTotal === ourTotal && a.size > 0;
    const speedup = naive.ms / ours.ms;
    record(
      `30-day cost report over ${fmt(n / 1e6, 1)}M traces, warm`,
      `GET /api/reports/costs: ${fmt(ours.ms, 1)} ms`,
      `naive GROUP BY over generation_trace: ${fmt(naive.ms)} ms`,
      `${fmt(speedup)}× faster, sums ${equal ? 'equal' : `differ (${diff.length} rows)`}`,
      '≥ 100× faster, equal sums',
      speedup >= 100 && equal,
      `$${ours.last.totals.costUsd} in ${a.size} day×model rows; load ${fmt(loadS)} s`,
    );
  } finally {
    await stack.stop();
  }
}
