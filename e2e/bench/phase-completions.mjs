// Figure: phase completions per second with the instant model — PHASE_DONE events the
// orchestrator applied (one transaction each, with history, progress and outbox) while
// 200 courses generate at once — beside bare `pg` BEGIN; INSERT; COMMIT loops on 8
// connections to the same database, in the same run.
import pg from 'pg';
import { Client, startStack, waitFor } from '../harness.mjs';
import { cpuMs, fmt, sleep } from './lib.mjs';

export const name = 'phases';
const COURSES = Number(process.env.BENCH_PHASE_COURSES ?? 200);
const WINDOW_S = Number(process.env.BENCH_PHASE_SECONDS ?? 15);
const BARE_S = 8;

async function bareTransactions(databaseUrl) {
  const setup = new pg.Client({ connectionString: databaseUrl });
  await setup.connect();
  await setup.query('CREATE TABLE bench_bare_tx (id bigserial PRIMARY KEY, course_id uuid, payload jsonb, at timestamptz NOT NULL DEFAULT now())');
  const clients = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      return c;
    }),
  );
  let count = 0;
  const end = Date.now() + BARE_S * 1000;
  const t0 = Date.now();
  await Promise.all(
    clients.map(async (c) => {
      while (Date.now() < end) {
        await c.query('BEGIN');
        await c.query('INSERT INTO bench_bare_tx (course_id, payload) VALUES (gen_random_uuid(), $1)', [{ phase: 'bench' }]);
        await c.query('COMMIT');
        count++;
      }
    }),
  );
  const rate = count / ((Date.now() - t0) / 1000);
  await Promise.all(clients.map((c) => c.end()));
  await setup.query('DROP TABLE bench_bare_tx');
  await setup.end();
  return rate;
}

export async function measure({ record }) {
  // Rate limits off: the benchmark creates and starts its courses as fast as the API takes them.
  const stack = await startStack({ env: { LOG_LEVEL: 'warn', RATE_LIMIT_FACTOR: '0' } });
  try {
    const db = await stack.sql();
    const bare = await bareTransactions(stack.databaseUrl);
    // The demo organization allows 10 generations at once; the benchmark wants more.
    await db.query(`UPDATE organizations SET max_concurrent_generations = 1000`);
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const ids = [];
    for (let i = 0; i < COURSES; i++) {
      const created = await ops.post('/courses', { title: `Throughput course ${i + 1}`, approvalGates: [] });
      if (created.status !== 201) throw new Error(`course ${i + 1}: ${created.status} ${JSON.stringify(created.body)}`);
      ids.push(created.body.id);
    }
    const started = await Promise.all(ids.map((id) => ops.post(`/courses/${id}/generation`)));
    const refused = started.filter((r) => r.status !== 202);
    if (refused.length) throw new Error(`${refused.length} courses did not start: ${refused[0].status} ${JSON.stringify(refused[0].body)}`);
    // Skip the ramp-up (every course starts with its stage-4 phases), then count a window.
    await sleep(3000);
    // Where the time goes: CPU of the worker, the API and the database's backends over the window.
    const { rows: backends } = await db.query(`SELECT pid FROM pg_stat_activity WHERE datname = current_database()`);
    const pids = {
      worker: stack.children.filter((c) => c.spawnargs.some((a) => a.includes('main-worker'))).map((c) => c.pid),
      api: stack.children.filter((c) => c.spawnargs.some((a) => a.includes('main-api'))).map((c) => c.pid),
      postgres: backends.map((r) => r.pid),
    };
    const cpu = () => Object.fromEntries(Object.entries(pids).map(([k, ps]) => [k, ps.reduce((n, p) => n + cpuMs(p), 0)]));
    // How many course row updates Postgres made in place (HOT, no index entries), as its statistics say (they lag by up to a second).
    const updates = async () =>
      (await db.query(`SELECT n_tup_upd::bigint AS upd, n_tup_hot_upd::bigint AS hot FROM pg_stat_user_tables WHERE relname = 'courses'`)).rows[0];
    const updA = await updates();
    const {
      rows: [a],
    } = await db.query(`SELECT now() AS at, count(*)::int AS n FROM generation_status_history WHERE event = 'PHASE_DONE'`);
    const cpuA = cpu();
    await sleep(WINDOW_S * 1000);
    const {
      rows: [b],
    } = await db.query(`SELECT now() AS at, count(*)::int AS n FROM generation_status_history WHERE event = 'PHASE_DONE'`);
    const cpuB = cpu();
    const updB = await updates();
    const hotShare = (Number(updB.hot) - Number(updA.hot)) / Math.max(1, Number(updB.upd) - Number(updA.upd));
    const perPhase = (k) => fmt((cpuB[k] - cpuA[k]) / Math.max(1, b.n - a.n), 1);
    const {
      rows: [done],
    } = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*) FILTER (WHERE status = 'failed')::int AS failed FROM courses WHERE id = ANY($1)`,
      [ids],
    );
    const rate = (b.n - a.n) / ((b.at - a.at) / 1000);
    const ratio = rate / bare;
    if (done.failed) throw new Error(`${done.failed} courses failed`);
    if (done.completed === ids.length) throw new Error('every course finished inside the window: raise BENCH_PHASE_COURSES');
    record(
      'phase completions/s, instant model',
      `${fmt(rate, 1)} /s (${COURSES} courses at once; CPU per phase: worker ${perPhase('worker')} ms, api ${perPhase('api')} ms, postgres ${perPhase('postgres')} ms)`,
      `bare pg BEGIN; INSERT; COMMIT ×8: ${fmt(bare)} /s`,
      `${ratio.toFixed(3)}×`,
      '≥ 0.4×',
      ratio >= 0.4,
      `${fmt(hotShare * 100)} % of the course row updates in place (HOT)`,
    );
    // Leave nothing running for the next figure.
    await Promise.all(ids.map((id) => ops.post(`/courses/${id}/cancel`, {})));
    await waitFor(
      async () => (await db.query(`SELECT count(*)::int AS n FROM courses WHERE id = ANY($1) AND status IN ('queued', 'generating')`, [ids])).rows[0].n === 0,
      { what: 'the courses to stop', timeoutMs: 60_000, intervalMs: 500 },
    ).catch(() => undefined);
  } finally {
    await stack.stop();
  }
}
