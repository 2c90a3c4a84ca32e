// Figure: database statements per minute caused by 500 open dashboards on an idle course
// (waiting at its stage-4 gate), beside the seed's 2-second polling of getStatus.
// Three windows of WINDOW_S seconds on the same stack, each after the system settled:
//   idle      — nobody watching (the system's own sweeps);
//   ours      — 500 dashboards on /live: each socket authenticated and subscribed to the
//               course, opened with GET /courses/:id and /status, then kept open;
//   baseline  — 500 pollers running the seed's getStatus query (seed 003 §4.1: one
//               SELECT on courses) every 2 s over a 10-connection pool.
// Postgres counts every statement the app sends outside an explicit transaction as a
// transaction, so `xact_commit + xact_rollback` of the stack's database counts them
// (pg_stat_statements is not loaded on a stock server). Each figure is the window's
// count minus the idle window's, scaled to a minute.
import pg from 'pg';
import { io } from 'socket.io-client';
import { Client, startStack, waitFor } from '../harness.mjs';
import { fmt, sleep, xacts } from './lib.mjs';

export const name = 'dashboards';
const DASHBOARDS = 500;
const WINDOW_S = Number(process.env.BENCH_DASHBOARD_SECONDS ?? 20);
const SETTLE_MS = 11_000; // idle backends report their counters within 10 s

async function windowCount(db, dbName) {
  await sleep(SETTLE_MS);
  const a = await xacts(db, dbName);
  const t0 = Date.now();
  await sleep(WINDOW_S * 1000);
  const b = await xacts(db, dbName);
  return ((b - a) / ((Date.now() - t0) / 1000)) * 60;
}

export async function measure({ record }) {
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  const dbName = new URL(stack.databaseUrl).pathname.slice(1);
  const sockets = [];
  let pollers = null;
  try {
    const db = await stack.sql();
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'A course waiting for its reviewer', approvalGates: [4] })).body;
    await ops.post(`/courses/${course.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.generationStatus === 'stage_4_awaiting_approval', {
      what: 'the gate',
      timeoutMs: 120_000,
      intervalMs: 250,
    });

    const idle = await windowCount(db, dbName);

    for (let i = 0; i < DASHBOARDS; i += 50) {
      sockets.push(
        ...(await Promise.all(
          Array.from({ length: Math.min(50, DASHBOARDS - i) }, async () => {
            const s = io(`${stack.baseUrl}/live`, { auth: { token: ops.token }, transports: ['websocket'], reconnection: false, forceNew: true });
            await new Promise((resolve, reject) => {
              s.once('connect', resolve);
              s.once('connect_error', reject);
            });
            const ack = await s.timeout(30_000).emitWithAck('course.subscribe', { courseId: course.id });
            if (!ack.ok) throw new Error(`course.subscribe: ${ack.error}`);
            for (const path of [`/courses/${course.id}`, `/courses/${course.id}/status`]) {
              const res = await ops.get(path);
              if (res.status !== 200) throw new Error(`${path} answered ${res.status}`);
            }
            return s;
          }),
        )),
      );
    }
    const withSockets = await windowCount(db, dbName);
    if (sockets.some((s) => !s.connected)) throw new Error('a dashboard socket dropped during the window');
    for (const s of sockets.splice(0)) s.disconnect();

    // The seed's polling, against the same database and course.
    const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 10 });
    let polls = 0;
    let stop = false;
    pollers = Promise.all(
      Array.from({ length: DASHBOARDS }, async (_, i) => {
        await sleep((i * 2000) / DASHBOARDS);
        while (!stop) {
          const started = Date.now();
          await pool.query(`SELECT id, status, generation_status, generation_metadata, created_at, updated_at FROM courses WHERE id = $1`, [course.id]);
          polls++;
          await sleep(Math.max(0, 2000 - (Date.now() - started)));
        }
      }),
    ).then(() => pool.end());
    const polling = await windowCount(db, dbName);
    stop = true;
    await pollers;

    const ours = Math.max(0, withSockets - idle);
    const base = polling - idle;
    const ratio = ours / base;
    record(
      `database statements/min from ${DASHBOARDS} open dashboards on an idle course`,
      `${fmt(ours)} /min (${fmt(withSockets)} /min with them open − ${fmt(idle)} /min idle)`,
      `seed's 2-s getStatus polling: ${fmt(base)} /min`,
      `${(ratio * 100).toFixed(2)} %`,
      '≤ 1 %',
      ratio <= 0.01,
      `${WINDOW_S}-s windows scaled to a minute; ${fmt(polls)} polls`,
    );
  } finally {
    for (const s of sockets) s.disconnect();
    await stack.stop();
  }
}
