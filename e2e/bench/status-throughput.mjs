// Figure: authenticated GET /api/courses/:id/status under 50 connections (autocannon),
// beside a bare NestJS + fastify hello route in the same run. The course waits at its
// stage-5 approval gate, so the route answers for a course in flight (ETA, model,
// metadata) and nothing else moves meanwhile. Figures: the median of three rounds.
import { Client, startStack, waitFor } from '../harness.mjs';
import { cannon, fmt, startBaseline } from './lib.mjs';

export const name = 'status';
const DURATION_S = Number(process.env.BENCH_STATUS_SECONDS ?? 12);
const ROUNDS = 3;

export async function measure({ record }) {
  const stack = await startStack({ env: { LOG_LEVEL: 'warn' } });
  const hello = await startBaseline('hello-nest.mjs');
  try {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'Status benchmark course', approvalGates: [5] })).body;
    await ops.post(`/courses/${course.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${course.id}`)).body.generationStatus === 'stage_5_awaiting_approval', {
      what: 'the course at its gate',
      timeoutMs: 120_000,
      intervalMs: 250,
    });
    const url = `${stack.baseUrl}/api/courses/${course.id}/status`;
    const check = await ops.get(`/courses/${course.id}/status`);
    if (check.status !== 200 || check.body.courseId !== course.id) throw new Error(`status answered ${check.status}`);
    const headers = { authorization: `Bearer ${ops.token}` };
    // Warm both (JIT, connection pools, caches), then alternate short rounds so that the
    // load other processes put on the machine falls on both alike.
    await cannon(url, { duration: 2, headers });
    await cannon(hello.info.url, { duration: 2 });
    const rounds = { ours: [], bare: [] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.ours.push(await cannon(url, { duration: DURATION_S / ROUNDS, headers }));
      rounds.bare.push(await cannon(hello.info.url, { duration: DURATION_S / ROUNDS }));
    }
    const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
    const sum = (rs) => ({ rps: median(rs.map((r) => r.rps)), p99: median(rs.map((r) => r.p99)), errors: rs.reduce((n, r) => n + r.errors, 0) });
    const ours = sum(rounds.ours);
    const bare = sum(rounds.bare);
    if (ours.errors || bare.errors) throw new Error(`errors during the run: ours ${ours.errors}, baseline ${bare.errors}`);
    const ratio = ours.rps / bare.rps;
    record(
      'authenticated GET /api/courses/:id/status, 50 connections',
      `${fmt(ours.rps)} req/s, p99 ${ours.p99} ms`,
      `bare Nest+fastify hello: ${fmt(bare.rps)} req/s, p99 ${bare.p99} ms`,
      `${ratio.toFixed(2)}×`,
      '≥ 0.5× req/s, p99 ≤ 5 ms',
      ratio >= 0.5 && ours.p99 <= 5,
    );
  } finally {
    await hello.stop();
    await stack.stop();
  }
}
