// The stall detectors on real Postgres, Redis and BullMQ: each kind is raised once
// (whatever the number of sweeping processes), announced (system_metrics, live event,
// webhook for course alerts) and cleared when the condition goes away.
import { Worker } from 'bullmq';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import { heartbeatPrefix } from '../src/jobs/worker.host';
import { QueueName } from '../src/jobs/job.names';
import { CourseOrchestrator } from '../src/orchestrator/course-orchestrator';
import { StallDetector } from '../src/orchestrator/stall-detector';
import { LivePublisher } from '../src/repositories/live.publisher';
import { QueueRepository } from '../src/repositories/queue.repository';
import type { Actor } from '../src/pipeline/course.types';
import { makeCourse, testDataSource } from './helpers';
import { systemRepositories } from './system-repos';

const prefix = `${process.env.QUEUE_PREFIX}sd`;
const liveKey = `${prefix}-socket.io`;
const user: Actor = { type: 'user', id: 'tester' };
const worker: Actor = { type: 'worker', id: 'w' };

let ds: DataSource;
let redis: IORedis;
let sub: IORedis;
let queues: QueueRepository;
let orchestrator: CourseOrchestrator;
const liveEvents: string[] = [];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function detector(t: { progressMinutes?: number; jobSeconds?: number; queueSeconds?: number } = {}) {
  return new StallDetector(systemRepositories(ds), redis, queues, new LivePublisher(redis, liveKey), prefix,
    { progressMinutes: t.progressMinutes ?? 60, jobSeconds: t.jobSeconds ?? 3600, queueSeconds: t.queueSeconds ?? 3600, beatSlackMs: 0 },
    { attempts: 1, backoffMs: 10 });
}

async function alertsFor(subject: string) {
  return ds.query(`SELECT id, kind, organization_id, course_id, details, cleared_at FROM alerts WHERE subject = $1 ORDER BY id`, [subject]);
}

async function metricsFor(alertId: string) {
  const rows = await ds.query(`SELECT metric_type FROM system_metrics WHERE metadata->>'id' = $1 AND metric_type LIKE 'alert_%' ORDER BY id`, [String(alertId)]);
  return rows.map((r: { metric_type: string }) => r.metric_type);
}

async function beat(id: string, body: Record<string, unknown>) {
  await redis.set(`${heartbeatPrefix(prefix)}${id}`, JSON.stringify({ pid: 1, startedAt: new Date().toISOString(), running: 0, jobs: [], queues: [], draining: false, ...body }), 'EX', 60);
}

beforeAll(async () => {
  ds = await testDataSource();
  redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  sub = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
  await sub.psubscribe(`${liveKey}#/live#*`);
  sub.on('pmessageBuffer', (_p: Buffer, channel: Buffer, message: Buffer) => {
    const text = message.toString('latin1');
    for (const e of ['alert.raised', 'alert.cleared']) if (text.includes(e)) liveEvents.push(`${e}@${channel.toString()}`);
  });
  queues = new QueueRepository(redis, prefix);
  orchestrator = new CourseOrchestrator(systemRepositories(ds).courses, { drain: async () => 0 });
});

afterAll(async () => {
  await Promise.all(queues.allQueues().map((q) => q.obliterate({ force: true }).catch(() => undefined)));
  const keys = await redis.keys(`${heartbeatPrefix(prefix)}*`);
  if (keys.length) await redis.del(...keys);
  await queues.close();
  sub.disconnect();
  redis.disconnect();
  await ds.destroy();
});

describe('stall detectors', () => {
  it('raises a course whose percentage has not moved, once for two sweeping processes, and clears it when the bar moves', async () => {
    const id = await makeCourse(ds);
    await ds.query(`UPDATE courses SET webhook_url = 'https://hooks.example.com/mc' WHERE id = $1`, [id]);
    await orchestrator.apply(id, { type: 'START', actor: user, hasDocuments: false, documentCount: 0, gates: [] });
    const a = detector({ progressMinutes: 0.01 });
    const b = detector({ progressMinutes: 0.01 });
    expect((await alertsFor(`course-${id}`)).length).toBe(0);
    await sleep(1200);
    await Promise.all([a.sweep(), b.sweep()]);
    const [raised, ...more] = await alertsFor(`course-${id}`);
    expect(more).toEqual([]);
    expect(raised).toMatchObject({ kind: 'course_progress_stalled', course_id: id, cleared_at: null });
    expect(raised.details).toMatchObject({ percentage: 0, generationStatus: 'queued' });
    expect(await metricsFor(raised.id)).toEqual(['alert_raised']);
    const [hook] = await ds.query(`SELECT event, url FROM webhook_deliveries WHERE id = $1`, [`msg_alert_${raised.id}_raised`]);
    expect(hook).toEqual({ event: 'alert.raised', url: 'https://hooks.example.com/mc' });
    // A sweep that still sees the stall changes nothing.
    expect(await a.sweep()).toMatchObject({ raised: 0 });

    // The first phase finishes: the bar moves, the alert clears.
    const report = { actor: worker, run: 1, stage: 4 as const, phase: 'phase_1_classifier', index: 0 };
    await orchestrator.apply(id, { type: 'PHASE_STARTED', ...report });
    const done = await orchestrator.apply(id, { type: 'PHASE_DONE', ...report });
    expect(done).toMatchObject({ applied: true });
    await Promise.all([a.sweep(), b.sweep()]);
    const [after] = await alertsFor(`course-${id}`);
    expect(after.cleared_at).not.toBeNull();
    expect(await metricsFor(raised.id)).toEqual(['alert_raised', 'alert_cleared']);
    expect((await ds.query(`SELECT 1 FROM webhook_deliveries WHERE id = $1`, [`msg_alert_${raised.id}_cleared`])).length).toBe(1);
    const [{ organization_id: org }] = await ds.query(`SELECT organization_id FROM courses WHERE id = $1`, [id]);
    await sleep(200);
    expect(liveEvents).toEqual(expect.arrayContaining([`alert.raised@${liveKey}#/live#org-${org}:alerts.read#`, `alert.cleared@${liveKey}#/live#org-${org}:alerts.read#`]));
  });

  it('raises a queue with waiting jobs and no consuming worker as a system-wide alert, and clears it when a worker beats for it', async () => {
    const id = await makeCourse(ds);
    await queues.enqueuePhase({ jobId: `${id}-r1-s4-phase_1_classifier-0`, courseId: id, run: 1, stage: 4, phase: 'phase_1_classifier', index: 0 });
    const d = detector({ queueSeconds: 0.3 });
    // Held for less than the threshold: not yet.
    expect(await d.sweep()).toMatchObject({ raised: 0 });
    expect(await alertsFor('queue-analysis')).toEqual([]);
    await sleep(400);
    await d.sweep();
    const [raised] = await alertsFor('queue-analysis');
    expect(raised).toMatchObject({ kind: 'queue_without_consumer', organization_id: null, cleared_at: null });
    expect(raised.details).toMatchObject({ queue: 'analysis', waiting: 1, consumers: 0 });
    // A draining worker does not count as a consumer.
    await beat('draining', { queues: [QueueName.Analysis], draining: true });
    await d.sweep();
    expect((await alertsFor('queue-analysis'))[0].cleared_at).toBeNull();
    await beat('alive', { queues: [QueueName.Analysis] });
    await d.sweep();
    expect((await alertsFor('queue-analysis'))[0].cleared_at).not.toBeNull();
    expect(await metricsFor(raised.id)).toEqual(['alert_raised', 'alert_cleared']);
    await sleep(200);
    expect(liveEvents).toEqual(expect.arrayContaining([`alert.raised@${liveKey}#/live#all:alerts.read#`, `alert.cleared@${liveKey}#/live#all:alerts.read#`]));
    await redis.del(`${heartbeatPrefix(prefix)}alive`, `${heartbeatPrefix(prefix)}draining`);
    await queues.queue(QueueName.Analysis).obliterate({ force: true });
  });

  it('raises an active job that no live worker heartbeat lists, for its course organization, and clears it once a worker runs it', async () => {
    const id = await makeCourse(ds);
    const jobId = `${id}-r1-s5-metadata-0`;
    await queues.enqueuePhase({ jobId, courseId: id, run: 1, stage: 5, phase: 'metadata', index: 0 });
    // A worker takes the job and dies without a word: the job stays active.
    const connection = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null });
    const w = new Worker(QueueName.Structure, null, { connection, prefix, autorun: false, lockDuration: 60_000 });
    const job = await w.getNextJob('dead-worker-token');
    expect(job?.id).toBe(jobId);
    const d = detector({ jobSeconds: 0.2 });
    await d.sweep();
    await sleep(300);
    await d.sweep();
    const subject = `job-structure-${jobId}`;
    const [raised] = await alertsFor(subject);
    const [{ organization_id: org }] = await ds.query(`SELECT organization_id FROM courses WHERE id = $1`, [id]);
    expect(raised).toMatchObject({ kind: 'job_without_heartbeat', course_id: id, organization_id: org, cleared_at: null });
    // Another worker's heartbeat lists the job (it was handed over): cleared.
    await beat('taker', { queues: [QueueName.Structure], jobs: [jobId], running: 1 });
    await d.sweep();
    expect((await alertsFor(subject))[0].cleared_at).not.toBeNull();
    expect(await metricsFor(raised.id)).toEqual(['alert_raised', 'alert_cleared']);
    await w.close(true);
    connection.disconnect();
  });
});
