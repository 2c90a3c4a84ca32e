// A stalled job can run on two workers at once (BullMQ hands it to another worker once
// the first one's lock lapsed). The newer attempt's claim wins: the stale worker's late
// result — its saved output, its writes, its PHASE_DONE — is refused, whichever of the
// two finishes first.
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { ModelGateway } from '../src/gateway/model-gateway';
import { PhaseRunner } from '../src/jobs/phase-runner';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../src/jobs/phase.types';
import { SimulatedProvider } from '../src/llm/simulated.provider';
import { CourseOrchestrator } from '../src/orchestrator/course-orchestrator';
import type { PhaseJobData } from '../src/jobs/job.names';
import { makeCourse, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

/** A phase whose work finishes when the test says so; it writes who did it. */
class HeldPhase implements PhaseHandler {
  private release!: () => void;
  readonly released = new Promise<void>((r) => (this.release = r));
  started = false;
  constructor(private readonly who: string) {}
  finish(): void {
    this.release();
  }
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    this.started = true;
    await this.released;
    return {
      output: { by: this.who },
      persist: (tx) => tx.setAnalysisResult(ctx.course.id, { by: this.who }),
    };
  }
}

let ds: DataSource;
let redis: IORedis;
let queue: Queue;
let orchestrator: CourseOrchestrator;
let gateway: ModelGateway;
let repos: ReturnType<typeof systemRepositories>;

beforeAll(async () => {
  ds = await testDataSource();
  redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queue = new Queue('fencing', { connection: redis, prefix: `${process.env.QUEUE_PREFIX}fx` });
  repos = systemRepositories(ds);
  orchestrator = new CourseOrchestrator(repos.courses, { drain: async () => 0 });
  gateway = new ModelGateway(repos.traces, new SimulatedProvider({ latency: 'instant' }), async () => undefined);
});
afterAll(async () => {
  await queue.obliterate({ force: true }).catch(() => undefined);
  await queue.close();
  redis.disconnect();
  await ds.destroy();
});

const until = async (cond: () => boolean) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
};

async function startedCourse() {
  const id = await makeCourse(ds);
  await orchestrator.apply(id, { type: 'START', actor: { type: 'user', id: 't' }, hasDocuments: false, documentCount: 0, gates: [] });
  const data: PhaseJobData = { jobId: `${id}-r1-s4-phase_1_classifier-0`, courseId: id, run: 1, stage: 4, phase: 'phase_1_classifier', index: 0 };
  const job = await queue.add('analysis-phase', data, { jobId: data.jobId, attempts: 3 });
  return { id, job };
}

async function outcome(id: string) {
  const [course] = await ds.query(`SELECT analysis_result, (machine_snapshot->'context'->'step'->>'index')::int AS step, machine_snapshot->'context'->>'phase' AS phase FROM courses WHERE id = $1`, [id]);
  const outputs = await ds.query(`SELECT output->'value'->>'by' AS by FROM phase_outputs WHERE course_id = $1`, [id]);
  const refused = await ds.query(`SELECT count(*)::int AS n FROM system_metrics WHERE course_id = $1 AND metric_type = 'stale_result_refused'`, [id]);
  const doneEvents = await ds.query(`SELECT actor_id FROM generation_status_history WHERE course_id = $1 AND event = 'PHASE_DONE'`, [id]);
  return { by: course.analysis_result?.by, step: course.step, phase: course.phase, outputs: outputs.map((o: { by: string }) => o.by), refused: refused[0].n, doneEvents: doneEvents.map((e: { actor_id: string }) => e.actor_id) };
}

describe('a job running on two workers at once', () => {
  it('refuses the stale worker when it finishes first', async () => {
    const { id, job } = await startedCourse();
    const stale = new HeldPhase('stale');
    const fresh = new HeldPhase('fresh');
    const a = new PhaseRunner(repos.phases, orchestrator, gateway, 'worker-a').run(stale, job, new AbortController().signal);
    await until(() => stale.started);
    // The lock lapsed; BullMQ gave the job to worker b, which starts it again.
    const b = new PhaseRunner(repos.phases, orchestrator, gateway, 'worker-b').run(fresh, job, new AbortController().signal);
    await until(() => fresh.started);
    stale.finish();
    expect(await a).toMatch(/^stale: .*taken over/);
    fresh.finish();
    expect(await b).toMatch(/^done: /);
    const o = await outcome(id);
    expect(o).toMatchObject({ by: 'fresh', step: 1, phase: 'phase_2_scope', outputs: ['fresh'], refused: 1 });
    expect(o.doneEvents).toHaveLength(1);
    expect(o.doneEvents[0]).toMatch(/^worker-b-/);
  });

  it('refuses the stale worker when it finishes last', async () => {
    const { id, job } = await startedCourse();
    const stale = new HeldPhase('stale');
    const fresh = new HeldPhase('fresh');
    const a = new PhaseRunner(repos.phases, orchestrator, gateway, 'worker-a').run(stale, job, new AbortController().signal);
    await until(() => stale.started);
    const b = new PhaseRunner(repos.phases, orchestrator, gateway, 'worker-b').run(fresh, job, new AbortController().signal);
    await until(() => fresh.started);
    fresh.finish();
    expect(await b).toMatch(/^done: /);
    stale.finish();
    expect(await a).toMatch(/^stale: /);
    expect(await outcome(id)).toMatchObject({ by: 'fresh', step: 1, phase: 'phase_2_scope', outputs: ['fresh'], refused: 1 });
  });

  it('refuses a late result for a run that is no longer current', async () => {
    const { id, job } = await startedCourse();
    const stale = new HeldPhase('stale');
    const a = new PhaseRunner(repos.phases, orchestrator, gateway, 'worker-a').run(stale, job, new AbortController().signal);
    await until(() => stale.started);
    // Meanwhile the run fails and is retried: run 2 owns the course now.
    await orchestrator.apply(id, { type: 'PHASE_FAILED', actor: { type: 'worker', id: 'x' }, run: 1, stage: 4, phase: 'phase_1_classifier', index: 0, error: 'boom', retryable: true });
    expect(await orchestrator.apply(id, { type: 'RETRY', actor: { type: 'user', id: 't' } })).toMatchObject({ applied: true });
    stale.finish();
    expect(await a).toMatch(/^stale: run 1 is no longer the current run/);
    expect(await outcome(id)).toMatchObject({ by: undefined, outputs: [], refused: 1 });
  });
});
