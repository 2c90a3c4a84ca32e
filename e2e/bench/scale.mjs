// Figure: every read the dashboard makes, warm, at 1/100 of the size and at full size —
// 1M courses in one organization, 10M traces over 90 days, ~40 history rows per course
// (BENCH_SCALE=0.1 for a tenth of that) — printed with its growth ratio and the EXPLAIN
// of each statement it sends (run as mc_app with app.org_id set, as the repositories
// run them; sequential scans of courses, generation_trace or generation_status_history
// flagged, unless a Limit above them bounds what they read — the capped count's).
//
// The data is loaded by scale-load.mjs (a bulk import in SQL).
//
// Each size has its own database and stack. BENCH_SCALE_KEEP=1 keeps the two databases
// (mc_scale_<courses>_small / _big) after the run and reuses them when they are loaded,
// so the reads can be timed again in minutes instead of after another half-hour load.
import { mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import pg from 'pg';
import { ROOT } from '../../scripts/lib.mjs';
import { Client, startStack } from '../harness.mjs';
import { BIG_TABLES, generatingSnapshot, load } from './scale-load.mjs';
import { fmt, percentile, sleep } from './lib.mjs';

export const name = 'scale';
const SCALE = Number(process.env.BENCH_SCALE ?? 1);
const BIG = Math.round(1_000_000 * SCALE);
const SMALL = Math.round(BIG / 100);
// The course titled 'Needle in the haystack' (the one match of a search), and a course to open.
const NEEDLE = Math.min(4242, SMALL);
const SOME = Math.min(777, SMALL);
// Every read the dashboard makes: the HTTP path, and the repository calls it makes (for EXPLAIN).
function reads({ needleCourse, someCourse, day30, today, statusIds }) {
  const f = (o) => encodeURIComponent(JSON.stringify(o));
  let statusTurn = 0;
  return [
    ['courses, default page (createdAt DESC)', () => '/courses', (r) => r.courses.list({})],
    [
      'courses, filter status=failed',
      () => `/courses?filter=${f({ status: 'failed' })}`,
      (r) => r.courses.list({ filter: JSON.stringify({ status: 'failed' }) }),
    ],
    [
      'courses, filter status=generating',
      () => `/courses?filter=${f({ status: 'generating' })}`,
      (r) => r.courses.list({ filter: JSON.stringify({ status: 'generating' }) }),
    ],
    [
      'courses, filter awaitingApproval',
      () => `/courses?filter=${f({ awaitingApproval: true })}`,
      (r) => r.courses.list({ filter: JSON.stringify({ awaitingApproval: true }) }),
    ],
    ['courses, filter stage=4', () => `/courses?filter=${f({ stage: 4 })}`, (r) => r.courses.list({ filter: JSON.stringify({ stage: 4 }) })],
    ['courses, q with one match', () => `/courses?filter=${f({ q: 'haystack' })}`, (r) => r.courses.list({ filter: JSON.stringify({ q: 'haystack' }) })],
    ['courses, q matching a topic (1/8)', () => `/courses?filter=${f({ q: 'geology' })}`, (r) => r.courses.list({ filter: JSON.stringify({ q: 'geology' }) })],
    ['courses, sort title ASC', () => `/courses?sort=${f(['title', 'ASC'])}`, (r) => r.courses.list({ sort: JSON.stringify(['title', 'ASC']) })],
    ['courses, sort updatedAt DESC', () => `/courses?sort=${f(['updatedAt', 'DESC'])}`, (r) => r.courses.list({ sort: JSON.stringify(['updatedAt', 'DESC']) })],
    [
      'courses, sort percentage DESC',
      () => `/courses?sort=${f(['percentage', 'DESC'])}`,
      (r) => r.courses.list({ sort: JSON.stringify(['percentage', 'DESC']) }),
    ],
    [
      'courses, created in the last 7 days',
      () => `/courses?filter=${f({ createdFrom: day30(7) })}`,
      (r) => r.courses.list({ filter: JSON.stringify({ createdFrom: day30(7) }) }),
    ],
    ['course page', () => `/courses/${someCourse}`, (r) => r.courses.find(someCourse)],
    ['course history', () => `/courses/${someCourse}/history`, (r) => r.courseHistory.history(someCourse, {})],
    ['traces, unfiltered', () => '/traces', (r) => r.traces.page({})],
    [
      'traces, by model',
      () => `/traces?filter=${f({ modelUsed: 'qwen/qwen3-235b-a22b' })}`,
      (r) => r.traces.page({ filter: JSON.stringify({ modelUsed: 'qwen/qwen3-235b-a22b' }) }),
    ],
    ['traces, hasError', () => `/traces?filter=${f({ hasError: true })}`, (r) => r.traces.page({ filter: JSON.stringify({ hasError: true }) })],
    ['traces, by course', () => `/traces?filter=${f({ courseId: someCourse })}`, (r) => r.traces.page({ filter: JSON.stringify({ courseId: someCourse }) })],
    ['traces, sort costUsd DESC', () => `/traces?sort=${f(['costUsd', 'DESC'])}`, (r) => r.traces.page({ sort: JSON.stringify(['costUsd', 'DESC']) })],
    [
      'overview',
      () => '/overview',
      async (r) => {
        const o = r.overview;
        await o.courseCounts();
        await o.costTodayAndMonth();
        await o.costByDay(30);
        await o.tokensByStage(30);
        await o.stageDurations(30);
      },
    ],
    ['approvals inbox', () => '/approvals', (r) => r.approvals.waiting(['review', 'budget'], null, true)],
    [
      'cost report by course, 30 days',
      () => `/reports/costs?from=${day30(29)}&to=${today}&groupBy=course`,
      async (r) => {
        const q = { from: day30(29), to: today, groupBy: ['course'] };
        if (r.costs.reportPage) await r.costs.reportPage(q, { sort: 'costUsd', direction: 'DESC', offset: 0, limit: 100 });
        else await r.costs.reportRows(q);
        await r.costs.reportTotals(q);
      },
    ],
    [
      'cost report by day × model, 30 days',
      () => `/reports/costs?from=${day30(29)}&to=${today}&groupBy=day,model`,
      async (r) => {
        const q = { from: day30(29), to: today, groupBy: ['day', 'model'] };
        await r.costs.reportRows(q);
        await r.costs.reportTotals(q);
      },
    ],
    [
      '/status, cache miss',
      () => `/courses/${statusIds[statusTurn++ % statusIds.length]}/status`,
      async (r) => {
        await r.courses.find(statusIds[0], true);
        await r.courses.statusExtras(statusIds[0]);
        await r.courses.phaseDurationMedians('simulated');
      },
    ],
    [
      '/api/metrics',
      () => '/metrics',
      async (r) => {
        const m = r.metrics;
        await m.coursesByStatus();
        await m.coursesAtGate();
        await m.spendByModelAndLabel();
        await m.monthSpend();
        await m.openAlertsByKind();
        await m.pendingOutbox();
      },
    ],
    [
      'course timeline (flight recorder)',
      () => `/courses/${needleCourse}/timeline`,
      async (r) => {
        await r.courseHistory.timelineTransitions(needleCourse);
        await r.courseHistory.timelineCalls(needleCourse);
      },
    ],
    ['health', () => '/health', async () => {}],
  ];
}

const nodesOf = (plan) => [plan, ...(plan.Plans ?? []).flatMap(nodesOf)];
/** Nodes that read all of their input before giving a row: a Limit above them bounds nothing below them. */
const BLOCKING = new Set(['Sort', 'Incremental Sort', 'Aggregate', 'Hash', 'WindowAgg', 'SetOp', 'Unique', 'Materialize']);
/**
 * Sequential scans of the big tables (or of their month partitions) that no Limit above
 * them bounds: the capped count's Limit 10001 reads at most that many rows, unless a sort
 * or an aggregate between them reads everything first.
 */
const bigTableOf = (relation) => BIG_TABLES.find((t) => relation === t || relation?.startsWith(`${t}_p`));
/** `empty`: month partitions with no rows (the months made ahead, the default one): scanning them reads nothing. */
const unboundedSeqScans = (plan, empty, limited = false) => {
  const type = plan['Node Type'];
  const relation = plan['Relation Name'];
  const here = type === 'Seq Scan' && bigTableOf(relation) && !empty.has(relation) && !limited ? [bigTableOf(relation)] : [];
  const below = type === 'Limit' ? true : BLOCKING.has(type) ? false : limited;
  return [...here, ...(plan.Plans ?? []).flatMap((p) => unboundedSeqScans(p, empty, below))];
};
function planLine(plan) {
  return nodesOf(plan)
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : n['Relation Name'] ? ` ${n['Relation Name']}` : ''}`)
    .join(' > ');
}

/** The plans of the statements a repository call sends, as mc_app for the organization. */
async function explainCall(databaseUrl, org, call) {
  const require = createRequire(import.meta.url);
  const { TenantRepositories } = require(join(ROOT, 'backend/dist/backend/src/repositories/tenant/tenant-scope.js'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const plans = [];
  const { rows: emptyRows } = await client.query(
    `SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = ANY($1::regclass[]) AND c.relpages = 0 AND c.reltuples <= 0`,
    [BIG_TABLES],
  );
  const empty = new Set(emptyRows.map((r) => r.relname));
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('role', 'mc_app', true), set_config('app.org_id', $1, true)`, [org]);
    const db = {
      query: async (sql, params) => {
        if (/^\s*(SELECT|WITH)/i.test(sql)) {
          const {
            rows: [row],
          } = await client.query(`EXPLAIN (FORMAT JSON) ${sql}`, params ?? []);
          const plan = row['QUERY PLAN'][0].Plan;
          const seq = unboundedSeqScans(plan, empty);
          plans.push({ sql: sql.replace(/\s+/g, ' ').slice(0, 110), line: planLine(plan), seq });
        }
        return (await client.query(sql, params ?? [])).rows;
      },
    };
    await call(new TenantRepositories(db, org)).catch((e) => plans.push({ sql: `(call failed: ${e.message})`, line: '', seq: [] }));
  } finally {
    await client.query('ROLLBACK').catch(() => undefined);
    await client.end();
  }
  return plans;
}

async function time(client, path, runs) {
  const times = [];
  let last;
  for (let i = 0; i < runs + 1; i++) {
    const t = process.hrtime.bigint();
    last = await client.get(path());
    if (last.status !== 200) throw new Error(`${path()} answered ${last.status}: ${JSON.stringify(last.body).slice(0, 200)}`);
    if (i > 0) times.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
  return { ms: percentile(times, 50), range: last.headers.get('content-range'), bytes: JSON.stringify(last.body).length };
}

/** What the worker's median refresher does at start-up (the ETA medians the status route reads), run here since the reads run without a worker. */
async function refreshMedians(databaseUrl) {
  const require = createRequire(import.meta.url);
  const { MediansSystemRepository } = require(join(ROOT, 'backend/dist/backend/src/repositories/system/medians.system-repository.js'));
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const q = { query: async (sql, params) => (await client.query(sql, params ?? [])).rows };
  const db = {
    autocommit: q,
    run: async (fn) => {
      await client.query('BEGIN');
      try {
        const r = await fn(q);
        await client.query('COMMIT');
        return r;
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    },
  };
  try {
    await new MediansSystemRepository(db).refresh();
  } finally {
    await client.end();
  }
}

/**
 * Waits until no other statement runs in the database (the worker's start-up sweeps and
 * median refresh), three samples in a row, so the reads are timed on a quiet database.
 */
async function untilQuiet(db) {
  await sleep(2000);
  let quiet = 0;
  for (let i = 0; i < 600 && quiet < 3; i++) {
    const {
      rows: [r],
    } = await db.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND pid <> pg_backend_pid()`);
    quiet = r.n === 0 ? quiet + 1 : 0;
    await sleep(500);
  }
}

/** Loads one size into its own stack (unless a kept database has it already) and times every read. */
async function measureSize(size, count, ctxBase, { explain } = {}) {
  const keep = Boolean(process.env.BENCH_SCALE_KEEP);
  const stack = await startStack({
    env: { LOG_LEVEL: 'warn', MEDIAN_REFRESH_MS: '3600000' },
    ...(keep ? { database: `mc_scale_${count}_${size}`, keep: true } : {}),
  });
  try {
    const db = await stack.sql();
    let admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    const {
      rows: [u],
    } = await db.query(`SELECT id, organization_id FROM users WHERE email = 'admin@acme.test'`);
    const org = u.organization_id;
    const {
      rows: [have],
    } = await db.query(`SELECT count(*)::int AS n FROM courses WHERE organization_id = $1 AND id::text LIKE '00000000-0000-4000-8000-%'`, [org]);
    let loadS = null;
    const snapshot = have.n < count ? await generatingSnapshot(db, admin) : null;
    // The reads are timed against the api alone: a worker would run the loaded courses
    // that are generating (the reconciler hands them their jobs), and the figure is the
    // reads, not that work. The worker's sweeps would also run against the tables while
    // their indexes are dropped for the load.
    await stack.stopProcesses();
    if (have.n < count) {
      loadS = await load(db, org, u.id, have.n + 1, count, { dropIndexes: count - have.n > 100_000, needle: NEEDLE });
      if (snapshot)
        await db.query(
          `UPDATE courses SET machine_snapshot = $2 WHERE organization_id = $1 AND status = 'generating' AND id::text LIKE '00000000-0000-4000-8000-%'`,
          [org, snapshot],
        );
    }
    await refreshMedians(stack.databaseUrl);
    await stack.start({ workers: 0 });
    const {
      rows: [n],
    } = await db.query(
      `SELECT (SELECT count(*) FROM courses WHERE organization_id = $1)::int AS courses, (SELECT count(*) FROM generation_trace WHERE organization_id = $1)::int AS traces,
              (SELECT count(*) FROM generation_status_history WHERE organization_id = $1)::int AS history`,
      [org],
    );
    console.log(
      `  ${size}: ${fmt(n.courses)} courses, ${fmt(n.traces)} traces, ${fmt(n.history)} history rows (${loadS === null ? `kept in ${stack.databaseUrl.split('/').pop()}` : `loaded in ${fmt(loadS)} s`})`,
    );
    const { rows: ids } = await db.query(`SELECT id FROM courses WHERE organization_id = $1 AND status = 'generating' ORDER BY id LIMIT 200`, [org]);
    const ctx = { ...ctxBase, statusIds: ids.map((r) => r.id) };
    await untilQuiet(db);
    // A full-size load outlasts an access token: sign in again before the reads.
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    const result = { counts: n, loadS, reads: {}, plans: {} };
    for (const [label, path] of reads(ctx)) result.reads[label] = await time(admin, path, label.startsWith('/status') ? 10 : 5);
    if (explain) for (const [label, , call] of reads(ctx)) result.plans[label] = await explainCall(stack.databaseUrl, org, call);
    return result;
  } finally {
    await stack.stop();
  }
}

export async function measure({ record }) {
  const day30 = (n) => new Date(Date.now() - n * 86_400_000).toISOString().slice(0, 10);
  const ctx = {
    day30,
    today: day30(0),
    needleCourse: '00000000-0000-4000-8000-' + NEEDLE.toString(16).padStart(12, '0'),
    someCourse: '00000000-0000-4000-8000-' + SOME.toString(16).padStart(12, '0'),
    statusIds: [],
  };
  const small = await measureSize('small', SMALL, ctx);
  const big = await measureSize('big', BIG, ctx, { explain: true });
  // EXPLAIN at full size, as mc_app.
  const lines = [`# scale figure — ${fmt(big.counts.courses)} courses, ${fmt(big.counts.traces)} traces, ${fmt(big.counts.history)} history rows`, ''];
  for (const [label] of reads(ctx)) {
    const s = small.reads[label];
    const b = big.reads[label];
    const plans = big.plans[label];
    const seq = [...new Set(plans.flatMap((p) => p.seq))];
    const ratio = b.ms / s.ms;
    const met = b.ms <= 50 && (ratio <= 2 || b.ms - s.ms <= 5) && seq.length === 0;
    console.log(`  ${label}: ${fmt(s.ms, 1)} → ${fmt(b.ms, 1)} ms${b.range ? ` (${b.range})` : ''}${seq.length ? ` SEQ SCAN of ${seq.join(', ')}` : ''}`);
    for (const p of plans) console.log(`      ${p.seq.length ? '!! ' : ''}${p.line}\n        ← ${p.sql}`);
    lines.push(`## ${label}: ${fmt(s.ms, 1)} → ${fmt(b.ms, 1)} ms (${fmt(ratio, 2)}×)${b.range ? `, Content-Range ${b.range}` : ''}`, '');
    for (const p of plans) lines.push(`- ${p.seq.length ? '**seq scan** ' : ''}\`${p.line}\``, `  - ${p.sql}`);
    lines.push('');
    record(
      `scale: ${label}`,
      `${fmt(b.ms, 1)} ms at ${fmt(big.counts.courses)} courses`,
      `${fmt(s.ms, 1)} ms at ${fmt(small.counts.courses)}`,
      `${fmt(ratio, 2)}× growth`,
      '≤ 50 ms, ≤ 2× (or within 5 ms), no seq scan',
      met,
      [
        seq.length ? `seq scan of ${seq.join(', ')}` : '',
        b.ms > 50 ? 'over 50 ms' : '',
        b.range ? `Content-Range ${b.range}` : '',
        b.bytes > 100_000 ? `${fmt(b.bytes / 1e6, 1)} MB answer` : '',
      ]
        .filter(Boolean)
        .join('; '),
    );
  }
  const dir = join(ROOT, 'e2e/bench/results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `${new Date().toISOString().slice(0, 10)}-scale-plans${SCALE === 1 ? '' : `-${SCALE}`}.md`), lines.join('\n'));
}
