// Starts one BullMQ worker per queue, only in the worker process. A job's handler is
// looked up by the job's name; the PhaseRunner does the rest. On shutdown the workers
// stop taking jobs, let the running ones finish within a grace period, and hand the
// rest back to the queue (to wait, without spending an attempt) for another worker;
// whatever a hard kill cuts off is recovered by BullMQ's stall check when its lock lapses.
import { Logger } from '@nestjs/common';
import { DelayedError, Job, WaitingError, Worker } from 'bullmq';
import { isTransientInfrastructureError } from './transient-errors';
import IORedis from 'ioredis';
import { PHASE_QUEUES, PhaseJobData, PhaseJobName } from './job.names';
import { currentLogger, withLogContext } from '../observability/logger';
import { phaseDuration, phaseOutcome, queueWait } from '../observability/metrics';
import { inPhaseSpan } from '../observability/telemetry';
import type { PhaseRunner } from './phase-runner';
import type { PhaseHandler } from './phase.types';

export const heartbeatPrefix = (prefix: string) => `${prefix}-worker-heartbeat-`;

/** How many worker processes have a live heartbeat (health and metrics). */
export async function liveWorkers(redis: IORedis, prefix: string): Promise<number> {
  return (await redis.keys(`${heartbeatPrefix(prefix)}*`)).length;
}

/** What a worker's heartbeat says: the queues it consumes and the jobs it runs. */
export interface WorkerBeat {
  pid: number;
  startedAt: string;
  running: number;
  jobs: string[];
  queues: string[];
  draining: boolean;
}

/** The abort reason of a job handed back at shutdown (as opposed to a cancelled run). */
export class HandBack extends Error {
  constructor() {
    super('worker shutting down: job handed back');
    this.name = 'HandBack';
  }
}

export interface WorkerHostOptions {
  /** how long running jobs may take to finish at shutdown before they are handed back */
  shutdownGraceMs: number;
  /** BullMQ lock: a job whose worker stops renewing it is taken back after this long */
  lockMs: number;
}

export class WorkerHost {
  private readonly logger = new Logger('WorkerHost');
  private readonly workers: Worker[] = [];
  private readonly running = new Map<string, { courseId: string; run: number; abort: AbortController }>();
  private subscriber: IORedis | null = null;
  private heartbeat: NodeJS.Timeout | null = null;
  private readonly startedAt = new Date().toISOString();

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly concurrency: number,
    private readonly runner: PhaseRunner,
    private readonly handlers: Record<PhaseJobName, PhaseHandler>,
    private readonly cancelChannel: string,
    private readonly workerId: string,
    private readonly options: WorkerHostOptions = { shutdownGraceMs: 25_000, lockMs: 60_000 },
  ) {}

  private draining = false;

  /** Each worker process announces itself every 5 s (key expires after 15 s), so health can tell whether anyone consumes. */
  private beat(): void {
    const redis = this.beatConnection ?? (this.beatConnection = new IORedis(this.redisUrl, { maxRetriesPerRequest: null }));
    const key = `${heartbeatPrefix(this.prefix)}${this.workerId}`;
    const beat: WorkerBeat = {
      pid: process.pid,
      startedAt: this.startedAt,
      running: this.running.size,
      jobs: [...this.running.keys()],
      queues: PHASE_QUEUES,
      draining: this.draining,
    };
    void redis.set(key, JSON.stringify(beat), 'EX', 15).catch(() => undefined);
  }

  private beatConnection: IORedis | null = null;

  start(): void {
    this.beat();
    this.heartbeat = setInterval(() => this.beat(), 5000);
    this.heartbeat.unref();
    // A cancelled run's running jobs are told to stop: their model calls are aborted.
    this.subscriber = new IORedis(this.redisUrl, { maxRetriesPerRequest: null });
    void this.subscriber.subscribe(this.cancelChannel);
    this.subscriber.on('message', (_channel, message) => {
      try {
        const { courseId, run } = JSON.parse(message);
        for (const job of this.running.values()) {
          if (job.courseId === courseId && job.run <= run) job.abort.abort();
        }
      } catch {
        this.logger.warn(`bad cancel message: ${message}`);
      }
    });
    for (const queue of PHASE_QUEUES) {
      const connection = new IORedis(this.redisUrl, { maxRetriesPerRequest: null });
      const worker = new Worker<PhaseJobData>(queue, (job, token) => this.process(job, token), {
        connection,
        prefix: this.prefix,
        // Stored on every job it takes (`processedBy`): the tenant jobs view names the worker.
        name: this.workerId,
        concurrency: this.concurrency,
        lockDuration: this.options.lockMs,
        stalledInterval: Math.max(500, Math.floor(this.options.lockMs / 2)),
        // Killed workers are expected (deploys, crashes); every effect is keyed, so a job
        // may stall a few times before BullMQ gives up on it (the reconciler then puts it back).
        maxStalledCount: 5,
        autorun: true,
      });
      worker.on('error', (err) => this.logger.warn(`${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`consuming ${this.workers.length} queues, concurrency ${this.concurrency} each`);
  }

  /**
   * One phase job, in its own trace (telemetry.ts) and log context: every line logged
   * while it runs names the course, job, attempt and trace; its queue wait and duration
   * are observed (observability/metrics.ts).
   */
  private async process(job: Job<PhaseJobData>, token?: string): Promise<string> {
    const d = job.data;
    const attempt = job.attemptsMade + 1;
    const readyAt = job.timestamp + (job.opts.delay ?? 0);
    queueWait.observe({ queue: job.queueName }, Math.max(0, (job.processedOn ?? Date.now()) - readyAt) / 1000);
    const started = process.hrtime.bigint();
    let outcome = 'failed';
    const labels = { stage: String(d.stage), phase: d.phase };
    const attrs = {
      courseId: d.courseId,
      stage: d.stage,
      phase: d.phase,
      index: d.index,
      run: d.run,
      jobId: String(job.id),
      queue: job.queueName,
      attempt,
      worker: this.workerId,
    };
    try {
      return await inPhaseSpan(
        attrs,
        (trace) =>
          withLogContext({ courseId: d.courseId, jobId: String(job.id), attempt, stage: d.stage, phase: d.phase, traceId: trace.traceId }, async () => {
            const log = currentLogger();
            log.info({ queue: job.queueName, index: d.index, run: d.run }, 'phase started');
            try {
              const answer = await this.processInContext(job, token);
              outcome = phaseOutcome(answer);
              log.info({ outcome, durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n), result: answer }, 'phase finished');
              return answer;
            } catch (err) {
              outcome = err instanceof WaitingError ? 'handed_back' : err instanceof DelayedError ? 'retry' : 'failed';
              log.warn(
                {
                  outcome,
                  durationMs: Number((process.hrtime.bigint() - started) / 1_000_000n),
                  err: { message: (err as Error).message, name: (err as Error).name },
                },
                'phase ended without a result',
              );
              throw err;
            }
          }),
        phaseOutcome,
      );
    } finally {
      phaseDuration.observe({ ...labels, outcome }, Number(process.hrtime.bigint() - started) / 1e9);
    }
  }

  private async processInContext(job: Job<PhaseJobData>, token?: string): Promise<string> {
    const handler = this.handlers[job.name as PhaseJobName];
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const abort = new AbortController();
    const key = String(job.id);
    this.running.set(key, { courseId: job.data.courseId, run: job.data.run, abort });
    try {
      return await this.runner.run(handler, job, abort.signal);
    } catch (err) {
      if (abort.signal.reason instanceof HandBack) {
        // Back to waiting, attempts untouched: another worker picks it up at once.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (isTransientInfrastructureError(err)) {
        // Try again in a moment without spending an attempt; if Redis itself is gone,
        // this throws and the stall check gives the job back once Redis returns.
        this.logger.warn(`${job.id}: infrastructure error, trying again shortly: ${(err as Error).message}`);
        await job.moveToDelayed(Date.now() + 2000, token);
        throw new DelayedError();
      }
      throw err;
    } finally {
      this.running.delete(key);
    }
  }

  /**
   * Whether this process consumes every phase queue now (the readiness probe): started,
   * each BullMQ worker running, and not draining for shutdown.
   */
  consuming(): { ok: boolean; reason?: string } {
    if (this.draining) return { ok: false, reason: 'draining for shutdown' };
    if (this.workers.length !== PHASE_QUEUES.length) return { ok: false, reason: `${this.workers.length} of ${PHASE_QUEUES.length} queue workers started` };
    const stopped = this.workers.filter((w) => !w.isRunning() || w.closing).map((w) => w.name);
    if (stopped.length) return { ok: false, reason: `not running: ${stopped.join(', ')}` };
    return { ok: true };
  }

  /** Jobs this process runs right now (their ids). */
  runningJobs(): string[] {
    return [...this.running.keys()];
  }

  /**
   * Graceful stop: take no new jobs, give the running ones the grace period to finish,
   * then abort and hand back the rest. Returns how many were handed back.
   */
  async stop(): Promise<number> {
    this.draining = true;
    this.beat();
    const closing = Promise.all(this.workers.map((w) => w.close()));
    let handedBack = 0;
    const graceOver = await Promise.race([
      closing.then(() => false),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(true), this.options.shutdownGraceMs).unref()),
    ]);
    if (graceOver && this.running.size > 0) {
      handedBack = this.running.size;
      this.logger.warn(`grace period over: handing ${handedBack} running job(s) back to the queue`);
      for (const job of this.running.values()) job.abort.abort(new HandBack());
    }
    await closing;
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.beatConnection?.del(`${heartbeatPrefix(this.prefix)}${this.workerId}`).catch(() => undefined);
    this.beatConnection?.disconnect();
    this.subscriber?.disconnect();
    await Promise.all(this.workers.map((w) => w.disconnect().catch(() => undefined)));
    return handedBack;
  }
}
