// Figure: from a model call done (its trace row) to `course.updated` on 1,000 connected
// sockets, p99 — beside a bare Socket.IO server broadcasting to a room of 1,000 clients.
// Ours: one course with the `fast` latency profile; for each single-item phase
// (stage 4's five, stage 5's metadata and validation) the latency of a socket is
// the time it received the first course.updated of that course stamped after the
// trace, minus the trace's created_at. Baseline: broadcasts at the rate at which our
// sockets received events (every kind) during the course, 40 of them at least; latency
// = receive time − send time. Both: every sample of every socket, warm (ours after a
// first course, the baseline after its first 10 broadcasts).
import { io } from 'socket.io-client';
import { Client, startStack, waitFor } from '../harness.mjs';
import { fmt, percentile, sleep, startBaseline } from './lib.mjs';

export const name = 'live';
const SOCKETS = Number(process.env.BENCH_LIVE_SOCKETS ?? 1000);
const WARM = 10;

async function connectAll(url, auth, onEvent) {
  const sockets = [];
  for (let i = 0; i < SOCKETS; i += 50) {
    const batch = await Promise.all(
      Array.from(
        { length: Math.min(50, SOCKETS - i) },
        (_, j) =>
          new Promise((resolve, reject) => {
            const s = io(url, { auth, transports: ['websocket'], reconnection: false, forceNew: true });
            s.onAny((event, payload) => onEvent(i + j, event, payload, Date.now()));
            s.once('connect', () => resolve(s));
            s.once('connect_error', reject);
          }),
      ),
    );
    sockets.push(...batch);
  }
  return sockets;
}

async function bare(perSecond) {
  const server = await startBaseline('socket-room.mjs');
  const latencies = [];
  const sockets = await connectAll(server.info.url, {}, (_i, event, payload, at) => {
    if (event === 'tick') latencies.push({ seq: payload.seq, ms: at - payload.at });
  });
  try {
    await sleep(1000);
    const intervalMs = Math.max(5, Math.round(1000 / Math.max(perSecond, 5)));
    // The first WARM broadcasts warm the server up and are not counted.
    await new Promise((resolve) => sockets[0].emit('go', { count: WARM + Math.max(40, Math.round(8000 / intervalMs)), intervalMs }, resolve));
    const counted = latencies.filter((l) => l.seq >= WARM).map((l) => l.ms);
    return { p99: percentile(counted, 99), p50: percentile(counted, 50), n: counted.length };
  } finally {
    for (const s of sockets) s.disconnect();
    await server.stop();
  }
}

async function ours() {
  const stack = await startStack({ env: { LOG_LEVEL: 'warn', SIMULATED_LATENCY: 'fast' } });
  const received = []; // [socket, courseId, payload.at ms, received ms]
  const seen = []; // when socket 0 received any event
  let sockets = [];
  try {
    const db = await stack.sql();
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    sockets = await connectAll(`${stack.baseUrl}/live`, { token: ops.token }, (i, event, payload, at) => {
      if (i === 0) seen.push(at);
      if (event === 'course.updated') received.push([i, payload.id, Date.parse(payload.at), at]);
    });
    await sleep(1000);
    // A warm-up course first (JIT, pools, the adapter's paths), cancelled, then the measured one.
    const runCourse = async (title) => {
      const course = (await ops.post('/courses', { title, approvalGates: [] })).body;
      await ops.post(`/courses/${course.id}/generation`);
      await waitFor(
        async () =>
          (await db.query(`SELECT count(*)::int AS n FROM generation_trace WHERE course_id = $1 AND stage = 'stage_5' AND phase = 'validation'`, [course.id]))
            .rows[0].n > 0,
        { what: 'stage 5 validation', timeoutMs: 180_000, intervalMs: 250 },
      );
      await sleep(2000);
      return course;
    };
    const warm = await runCourse('Live latency warm-up');
    // Its lessons would otherwise broadcast beside the measured course.
    await ops.post(`/courses/${warm.id}/cancel`, {});
    await sleep(1000);
    seen.length = 0;
    const course = await runCourse('Live latency course');
    const { rows: traces } = await db.query(
      `SELECT phase, (extract(epoch FROM created_at) * 1000)::float8 AS done_ms FROM generation_trace
        WHERE course_id = $1 AND error_data IS NULL AND (stage = 'stage_4' OR phase IN ('metadata', 'validation'))
        ORDER BY created_at`,
      [course.id],
    );
    const latencies = [];
    const toTransition = [];
    const mine = received.filter((r) => r[1] === course.id);
    for (const t of traces) {
      // The first update stamped after the model call finished is that phase's PHASE_DONE.
      const first = mine.filter((r) => r[2] >= t.done_ms).reduce((m, r) => Math.min(m, r[2]), Infinity);
      if (first === Infinity) throw new Error(`no course.updated after ${t.phase}`);
      const perSocket = mine.filter((r) => r[2] === first);
      if (perSocket.length < SOCKETS) throw new Error(`${t.phase}: only ${perSocket.length} of ${SOCKETS} sockets got the update`);
      toTransition.push(first - t.done_ms);
      for (const r of perSocket) latencies.push(r[3] - t.done_ms);
    }
    return {
      p99: percentile(latencies, 99),
      p50: percentile(latencies, 50),
      n: latencies.length,
      phases: traces.length,
      toTransition: percentile(toTransition, 50),
      perSecond: seen.length > 1 ? (seen.length - 1) / ((seen[seen.length - 1] - seen[0]) / 1000) : 5,
    };
  } finally {
    for (const s of sockets) s.disconnect();
    await stack.stop();
  }
}

export async function measure({ record }) {
  const our = await ours();
  const base = await bare(our.perSecond);
  const ratio = our.p99 / base.p99;
  record(
    `model call done → course.updated at ${fmt(SOCKETS)} sockets, p99`,
    `${fmt(our.p99, 0)} ms (p50 ${fmt(our.p50, 0)} ms, of which ${fmt(our.toTransition, 0)} ms until the transition; ${our.phases} phases × ${fmt(SOCKETS)} sockets)`,
    `bare Socket.IO room broadcast, ${fmt(our.perSecond, 0)} events/s: p99 ${fmt(base.p99, 0)} ms (p50 ${fmt(base.p50, 0)} ms)`,
    `${ratio.toFixed(2)}×`,
    '≤ 2×',
    ratio <= 2,
  );
}
