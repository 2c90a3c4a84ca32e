// The orchestrator on real Postgres and Redis: one transaction per event, events for
// one course applied one at a time from many connections, refused events recorded,
// and the outbox carried out after commit — or later, by a fresh process.
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { Queue } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { CourseOrchestrator, OutboxSink } from '../src/orchestrator/course-orchestrator';
import { OutboxRelay } from '../src/orchestrator/outbox-relay';
import { LivePublisher } from '../src/repositories/live.publisher';
import { QueueRepository } from '../src/repositories/queue.repository';
import { QueueName } from '../src/jobs/job.names';
import { ANALYSIS_PHASES } from '../src/pipeline/stages';
import type { Actor } from '../src/pipeline/course.types';
import { makeCourse, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

const user: Actor = { type: 'user', id: 'tester' };
const worker: Actor = { type: 'worker', id: 'w' };
const prefix = process.env.QUEUE_PREFIX!;

let ds: DataSource;
let redis: IORedis;
let queues: QueueRepository;
let relay: OutboxRelay;
let orchestrator: CourseOrchestrator;
let repos: ReturnType<typeof systemRepositories>;

beforeAll(async () => {
  ds = await testDataSource();
  redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  queues = new QueueRepository(redis, prefix);
  repos = systemRepositories(ds);
  relay = new OutboxRelay(repos, queues, new LivePublisher(redis, `${prefix}-socket.io`), {
    webhookAttempts: 3,
    webhookBackoffMs: 10,
    publicUrl: 'http://localhost:3000',
    signalCancel: async () => undefined,
  });
  orchestrator = new CourseOrchestrator(repos.courses, relay);
});
afterAll(async () => {
  await queues.close();
  redis.disconnect();
  await ds.destroy();
});

const start = { type: 'START' as const, actor: user, hasDocuments: false, documentCount: 0, gates: [] };

describe('course orchestrator', () => {
  it('applies START in one transaction: state, progress, history, outbox, then enqueues the job', async () => {
    const id = await makeCourse(ds);
    const outcome = await orchestrator.apply(id, start);
    expect(outcome).toMatchObject({ applied: true, from: 'idle', to: 'queued' });
    const [row] = await ds.query(`SELECT status, generation_status, version, generation_progress, machine_snapshot FROM courses WHERE id = $1`, [id]);
    expect(row).toMatchObject({ status: 'queued', generation_status: 'queued', version: 1 });
    expect(row.machine_snapshot.value).toBe('queued');
    const history = await ds.query(`SELECT event, from_status, to_status, actor_type FROM generation_status_history WHERE course_id = $1`, [id]);
    expect(history).toEqual([{ event: 'START', from_status: 'idle', to_status: 'queued', actor_type: 'user' }]);
    const pending = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE course_id = $1 AND processed_at IS NULL`, [id]);
    expect(pending[0].n).toBe(0);
    const job = await queues.queue(QueueName.Analysis).getJob(`${id}-r1-s4-phase_1_classifier-0`);
    expect(job?.data).toMatchObject({ courseId: id, stage: 4, phase: 'phase_1_classifier', run: 1 });
  });

  it('records a refused event in system_metrics and changes nothing', async () => {
    const id = await makeCourse(ds);
    await orchestrator.apply(id, start);
    const outcome = await orchestrator.apply(id, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 5, phase: 'metadata', index: 0 });
    expect(outcome).toMatchObject({ applied: false, reason: 'wrong_stage' });
    const [m] = await ds.query(`SELECT metric_type, metadata FROM system_metrics WHERE course_id = $1`, [id]);
    expect(m.metric_type).toBe('event_refused');
    expect(m.metadata).toMatchObject({ event: 'PHASE_DONE', stage: 5 });
    const [row] = await ds.query(`SELECT version FROM courses WHERE id = $1`, [id]);
    expect(row.version).toBe(1);
  });

  it('applies concurrent reports for one course one at a time: each exactly once', async () => {
    const id = await makeCourse(ds);
    await orchestrator.apply(id, { ...start, hasDocuments: true, documentCount: 12 });
    await orchestrator.apply(id, { type: 'PHASE_STARTED', actor: worker, run: 1, stage: 2, phase: 'document', index: 0 });
    // 8 run at once (the step's parallelism); each reported done twice, from many connections.
    const reports = [];
    for (let i = 0; i < 8; i++) {
      for (let k = 0; k < 2; k++) reports.push(orchestrator.apply(id, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 2, phase: 'document', index: i }));
    }
    const outcomes = await Promise.all(reports);
    expect(outcomes.filter((o) => o.applied)).toHaveLength(8);
    expect(outcomes.filter((o) => !o.applied && o.reason === 'duplicate')).toHaveLength(8);
    const [row] = await ds.query(`SELECT version, machine_snapshot FROM courses WHERE id = $1`, [id]);
    expect(row.version).toBe(2 + 8);
    expect(row.machine_snapshot.context.step.done.sort((a: number, b: number) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it('leaves updatedAt alone when a phase starts (nothing indexed changes, so the row can update in place) and moves it when the percentage moves', async () => {
    const id = await makeCourse(ds);
    await orchestrator.apply(id, start);
    const read = async () =>
      (await ds.query(`SELECT updated_at, last_progress_update, percentage, version FROM courses WHERE id = $1`, [id]))[0] as {
        updated_at: Date;
        last_progress_update: Date;
        percentage: number;
        version: number;
      };
    const queued = await read();
    await new Promise((r) => setTimeout(r, 20));
    await orchestrator.apply(id, { type: 'PHASE_STARTED', actor: worker, run: 1, stage: 4, phase: ANALYSIS_PHASES[0], index: 0 });
    const started = await read();
    expect(started.version).toBe(queued.version + 1);
    expect(started.percentage).toBe(queued.percentage);
    // A status move (queued → generating) is a visible change.
    expect(started.updated_at.getTime()).toBeGreaterThan(queued.updated_at.getTime());
    await orchestrator.apply(id, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 4, phase: ANALYSIS_PHASES[0], index: 0 });
    const done = await read();
    expect(done.percentage).toBeGreaterThan(started.percentage);
    expect(done.updated_at.getTime()).toBeGreaterThan(started.updated_at.getTime());
    await new Promise((r) => setTimeout(r, 20));
    // The next phase starting changes the snapshot, the progress message and the version only.
    await orchestrator.apply(id, { type: 'PHASE_STARTED', actor: worker, run: 1, stage: 4, phase: ANALYSIS_PHASES[1], index: 0 });
    const next = await read();
    expect(next.version).toBe(done.version + 1);
    expect(next.percentage).toBe(done.percentage);
    expect(next.updated_at.getTime()).toBe(done.updated_at.getTime());
    expect(next.last_progress_update.getTime()).toBeGreaterThan(done.last_progress_update.getTime());
  });

  it('leaves committed effects in the outbox when the process dies before carrying them out; a fresh process carries them out', async () => {
    const crashed: OutboxSink = { drain: async () => 0 };
    const dying = new CourseOrchestrator(repos.courses, crashed);
    const id = await makeCourse(ds);
    await dying.apply(id, start);
    await dying.apply(id, { type: 'PHASE_STARTED', actor: worker, run: 1, stage: 4, phase: ANALYSIS_PHASES[0], index: 0 });
    await dying.apply(id, { type: 'PHASE_DONE', actor: worker, run: 1, stage: 4, phase: ANALYSIS_PHASES[0], index: 0 });
    const jobId = `${id}-r1-s4-${ANALYSIS_PHASES[1]}-0`;
    const analysis = new Queue(QueueName.Analysis, { connection: redis, prefix });
    expect(await analysis.getJob(jobId)).toBeUndefined();
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE course_id = $1 AND processed_at IS NULL AND kind = 'enqueuePhases'`, [id]);
    expect(n).toBe(2);
    // A new API process starts, sweeps the outbox at start-up, and enqueues the job.
    const api = spawn(process.execPath, [join(__dirname, '../dist/backend/src/main-api.js')], {
      env: { ...process.env, PORT: '0', NODE_ENV: 'test', RUN_MIGRATIONS: 'false', OUTBOX_POLL_MS: '200' },
      stdio: 'ignore',
    });
    try {
      // The relay enqueues the job, then marks its rows done: wait for both.
      let job;
      let left = -1;
      for (let i = 0; i < 250 && (!job || left !== 0); i++) {
        await new Promise((r) => setTimeout(r, 100));
        job = await analysis.getJob(jobId);
        [{ left }] = await ds.query(`SELECT count(*)::int AS left FROM outbox WHERE course_id = $1 AND processed_at IS NULL`, [id]);
      }
      expect(job?.data).toMatchObject({ courseId: id, phase: ANALYSIS_PHASES[1], run: 1 });
      expect(left).toBe(0);
    } finally {
      api.kill('SIGKILL');
      await analysis.close();
    }
  }, 40_000);
});
