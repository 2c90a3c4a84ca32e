// The scale figure's data: a bulk import of courses, traces and history in SQL, as the
// cost-report figure does it — generate_series in chunks with session_replication_role =
// replica (no trigger fires; the ids exist by construction), the big tables' indexes
// dropped for a large load and built after it on every partition; then what the triggers
// would have kept is built from the rows (cost rollups, status counts, stage and phase
// durations) and everything is vacuumed and analyzed.
import { waitFor } from '../harness.mjs';

export const BIG_TABLES = ['courses', 'generation_trace', 'generation_status_history'];
const TRACES_PER_COURSE = 10;
const HISTORY_PER_COURSE = 40;
const CHUNK = 50_000; // courses per statement
const MODELS = `ARRAY['openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'qwen/qwen3-235b-a22b', 'google/gemini-2.5-flash']`;
const TOPICS = `ARRAY['algebra', 'biology', 'chemistry', 'design', 'economics', 'french', 'geology', 'history']`;
export const ID = (g) => `('00000000-0000-4000-8000-' || lpad(to_hex(${g}), 12, '0'))::uuid`;

// Courses of every state: 90 % completed, 5 % failed, 1 % cancelled, 0.05 % at a gate,
// 0.2 % generating, 0.1 % queued, the rest idle; created over the last 90 days.
const COURSES_SQL = `
  INSERT INTO courses (id, organization_id, created_by, title, description, language, status, generation_status,
                       generation_progress, approval_gates, generation_run, created_at, updated_at %SINCE%)
  SELECT ${ID('g')}, $1, $2,
         CASE WHEN g = $5 THEN 'Needle in the haystack' ELSE 'Course ' || g || ' on ' || (${TOPICS})[1 + g % 8] END,
         'An introduction to ' || (${TOPICS})[1 + (g / 8) % 8] || ', part ' || (g % 97),
         CASE WHEN g % 5 = 0 THEN 'ru' ELSE 'en' END, s.status, s.gen,
         jsonb_build_object('percentage', CASE WHEN s.status = 'completed' THEN 100 ELSE g % 100 END, 'message', '', 'current_step', 0,
           'current_stage', NULL, 'steps', '[]'::jsonb, 'has_documents', false, 'document_size', 0, 'lessons_completed', 0,
           'lessons_total', 0, 'started_at', NULL, 'estimated_completion', NULL),
         '{}', 1, x.created, x.created + make_interval(secs => g % 3600) %SINCEVAL%
    FROM generate_series($3::int, $4::int) g,
         LATERAL (SELECT now() - make_interval(days => g % 90, secs => (g * 37) % 86400) AS created, g % 10000 AS k) x,
         LATERAL (SELECT CASE WHEN x.k < 9000 THEN 'completed' WHEN x.k < 9500 THEN 'failed' WHEN x.k < 9600 THEN 'cancelled'
                              WHEN x.k < 9625 THEN 'generating' WHEN x.k < 9635 THEN 'queued' ELSE 'idle' END AS status,
                         CASE WHEN x.k < 9000 THEN 'completed' WHEN x.k < 9500 THEN 'failed' WHEN x.k < 9600 THEN 'cancelled'
                              WHEN x.k < 9605 THEN 'stage_' || (4 + g % 3) || '_awaiting_approval'
                              WHEN x.k < 9625 THEN 'stage_' || (2 + g % 5) WHEN x.k < 9635 THEN 'queued' ELSE 'idle' END AS gen) s`;

const TRACES_SQL = `
  INSERT INTO generation_trace (course_id, organization_id, run, stage, phase, step_name, model_used, provider,
      tokens_used, input_tokens, output_tokens, cost_usd, duration_ms, attempt, label, error_data, idempotency_key, created_at)
  SELECT ${ID('c')}, $1, 1, 'stage_' || (4 + g % 3), 'phase_' || (g % 5), 'bench', (${MODELS})[1 + (g % 4)], 'simulated', it + ot, it, ot,
         round((it * (0.05 + (g % 4) * 0.1) + ot * (0.2 + (g % 4) * 0.3)) / 1e6, 8), 500 + g % 5000, 1,
         CASE WHEN g % 20 = 0 THEN 'retry' WHEN g % 37 = 0 THEN 'fallback' ELSE 'first_try' END,
         CASE WHEN g % 97 = 0 THEN '{"message": "timeout"}'::jsonb END,
         'bench-' || g,
         now() - make_interval(days => (c % 90)::int, secs => ((c * 37) % 86400)::int) + make_interval(secs => ((g % ${TRACES_PER_COURSE}) * 20)::int)
    FROM generate_series($2::bigint, $3::bigint) g,
         LATERAL (SELECT 1 + (g - 1) / ${TRACES_PER_COURSE} AS c, 200 + (g * 7919) % 6000 AS it, 50 + (g * 104729) % 3000 AS ot) x`;

const HISTORY_SQL = `
  INSERT INTO generation_status_history (course_id, organization_id, from_status, to_status, event, actor_type, actor_id,
      reason, stage, phase, percentage, run, created_at)
  SELECT ${ID('c')}, $1, st, st, CASE WHEN j % 2 = 0 THEN 'PHASE_STARTED' ELSE 'PHASE_DONE' END, 'worker', 'bench',
         'item-' || (j / 2), st, 'phase_' || ((j / 2) % 5), j * 100 / ${HISTORY_PER_COURSE}, 1,
         now() - make_interval(days => (c % 90)::int, secs => ((c * 37) % 86400)::int) + make_interval(secs => j * 15)
    FROM generate_series($2::int, $3::int) c, generate_series(0, ${HISTORY_PER_COURSE - 1}) j,
         LATERAL (SELECT 'stage_' || (2 + j * 5 / ${HISTORY_PER_COURSE}) AS st) s`;

async function exists(db, table) {
  const {
    rows: [r],
  } = await db.query(`SELECT to_regclass($1) IS NOT NULL AS ok`, [table]);
  return r.ok;
}

/** Courses from..to (and their traces and history) into the organization; what triggers keep, rebuilt. `needle`: the course titled 'Needle in the haystack'. */
export async function load(db, org, user, from, to, { dropIndexes, needle }) {
  const t0 = Date.now();
  const since = await exists(db, 'course_status_counts');
  await db.query(`SET session_replication_role = replica`);
  await db.query(`SET maintenance_work_mem = '256MB'`);
  const dropped = [];
  if (dropIndexes) {
    for (const table of ['generation_trace', 'generation_status_history']) {
      const { rows } = await db.query(
        `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def, c.conname, pg_get_constraintdef(c.oid) AS condef
           FROM pg_index i LEFT JOIN pg_constraint c ON c.conindid = i.indexrelid AND c.conrelid = i.indrelid
          WHERE i.indrelid = $1::regclass AND NOT i.indisprimary`,
        [table],
      );
      for (const ix of rows) await db.query(ix.conname ? `ALTER TABLE ${table} DROP CONSTRAINT ${ix.conname}` : `DROP INDEX ${ix.name}`);
      dropped.push(...rows.map((r) => ({ ...r, table })));
    }
  }
  // Traces and history are partitioned by month: the loaded 90 days get their month
  // partitions, as they would have had when those months were current.
  if (await exists(db, 'generation_trace_keys')) {
    for (const table of ['generation_trace', 'generation_status_history']) {
      await db.query(`SELECT mc_ensure_month_partitions($1::regclass, (now() - interval '92 days')::date, (now() + interval '1 month')::date)`, [table]);
    }
  }
  const coursesSql = COURSES_SQL.replace('%SINCE%', since ? ', generation_status_since' : '').replace(
    '%SINCEVAL%',
    since ? ', x.created + make_interval(secs => g % 3600)' : '',
  );
  for (let a = from; a <= to; a += CHUNK) {
    const b = Math.min(to, a + CHUNK - 1);
    await db.query(coursesSql, [org, user, a, b, needle]);
    await db.query(TRACES_SQL, [org, (a - 1) * TRACES_PER_COURSE + 1, b * TRACES_PER_COURSE]);
    await db.query(HISTORY_SQL, [org, a, b]);
  }
  // An index of a partitioned table reads back as `ON ONLY` (the parent alone, invalid
  // until every partition has its own): made again without ONLY, it is built on every partition.
  for (const ix of dropped)
    await db.query(ix.conname ? `ALTER TABLE ${ix.table} ADD CONSTRAINT ${ix.conname} ${ix.condef}` : ix.def.replace(' ON ONLY ', ' ON '));
  const {
    rows: [invalid],
  } = await db.query(`SELECT count(*)::int AS n FROM pg_index WHERE NOT indisvalid`);
  if (invalid.n) throw new Error(`${invalid.n} indexes are not valid after the load`);
  // What the triggers keep, from the rows.
  await db.query(`DELETE FROM cost_daily_rollup WHERE organization_id = $1`, [org]);
  await db.query(`DELETE FROM cost_daily_org_rollup WHERE organization_id = $1`, [org]);
  if (since) {
    await db.query(`DELETE FROM course_status_counts WHERE organization_id = $1`, [org]);
    await db.query(
      `INSERT INTO course_status_counts (organization_id, status, generation_status, n)
                    SELECT organization_id, status, generation_status, count(*) FROM courses WHERE organization_id = $1 GROUP BY 1, 2, 3`,
      [org],
    );
    await db.query(`DELETE FROM stage_duration_daily WHERE organization_id = $1`, [org]);
    await db.query(
      `INSERT INTO stage_durations (course_id, run, stage, organization_id, seconds, ended_at)
                    SELECT c.id, 1, 'stage_' || s, c.organization_id, 30 + (abs(hashtext(c.id::text || s)) % 900), c.updated_at
                      FROM courses c, generate_series(2, 6) s
                     WHERE c.organization_id = $1 AND c.status = 'completed' AND c.id >= ${ID('$2::int')} AND c.id <= ${ID('$3::int')}
                    ON CONFLICT DO NOTHING`,
      [org, from, to],
    );
    await db.query(
      `INSERT INTO stage_duration_daily (organization_id, day, stage, bucket, n)
                    SELECT organization_id, (ended_at AT TIME ZONE 'UTC')::date, stage, floor(ln(1 + greatest(seconds, 0)) / ln(1.05))::int, count(*)
                      FROM stage_durations WHERE organization_id = $1 GROUP BY 1, 2, 3, 4`,
      [org],
    );
    await db.query(
      `INSERT INTO phase_durations (course_id, run, stage, phase, item, organization_id, provider, started_at, done_at)
                    SELECT c.id, 1, 'stage_' || (2 + i * 5 / 20), 'phase_' || (i % 5), 'item-' || i, c.organization_id, 'simulated',
                           c.created_at + make_interval(secs => i * 30), c.created_at + make_interval(secs => i * 30 + 5 + abs(hashtext(c.id::text || i)) % 20)
                      FROM courses c, generate_series(0, 19) i
                     WHERE c.organization_id = $1 AND c.created_at > now() - interval '30 days'
                       AND c.id >= ${ID('$2::int')} AND c.id <= ${ID('$3::int')}
                    ON CONFLICT DO NOTHING`,
      [org, from, to],
    );
  }
  await db.query(`SET session_replication_role = DEFAULT`);
  // The per-course rollup with its triggers on: the per-organization one follows it.
  await db.query(
    `INSERT INTO cost_daily_rollup (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
     SELECT (created_at AT TIME ZONE 'UTC')::date, organization_id, course_id, model_used, stage, label,
            count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)
       FROM generation_trace WHERE organization_id = $1 GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, 5, 6`,
    [org],
  );
  for (const t of [
    ...BIG_TABLES,
    'cost_daily_rollup',
    'cost_daily_org_rollup',
    ...(since ? ['course_status_counts', 'stage_durations', 'stage_duration_daily', 'phase_durations'] : []),
  ]) {
    await db.query(`VACUUM ANALYZE ${t}`);
  }
  return (Date.now() - t0) / 1000;
}

/** A machine snapshot of a course while it generates (for the ETA of the status route), or null. */
export async function generatingSnapshot(db, ops) {
  const course = (await ops.post('/courses', { title: 'Snapshot donor', approvalGates: [] })).body;
  await ops.post(`/courses/${course.id}/generation`);
  try {
    return await waitFor(
      async () => {
        const {
          rows: [r],
        } = await db.query(
          `SELECT machine_snapshot AS s FROM courses WHERE id = $1 AND status = 'generating' AND machine_snapshot->'context'->'step' IS NOT NULL
            AND jsonb_typeof(machine_snapshot->'context'->'step') = 'object'`,
          [course.id],
        );
        return r?.s ?? null;
      },
      { timeoutMs: 60_000, intervalMs: 20, what: 'a generating snapshot' },
    );
  } catch {
    return null;
  }
}
