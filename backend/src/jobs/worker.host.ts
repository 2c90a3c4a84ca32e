// Starts one BullMQ worker per queue, only in the worker process. A job's handler is
// looked up by the job's name; the PhaseRunner does the rest. On shutdown the workers
// stop taking jobs and wait for the running ones.
import { Logger } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { PHASE_QUEUES, PhaseJobData, PhaseJobName } from './job.names';
import type { PhaseRunner } from './phase-runner';
import type { PhaseHandler } from './phase.types';

export const heartbeatPrefix = (prefix: string) => `${prefix}-worker-heartbeat-`;

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
  ) {}

  /** Each worker process announces itself every 5 s (key expires after 15 s), so health can tell whether anyone consumes. */
  private beat(): void {
    const redis = this.beatConnection ?? (this.beatConnection = new IORedis(this.redisUrl, { maxRetriesPerRequest: null }));
    const key = `${heartbeatPrefix(this.prefix)}${this.workerId}`;
    void redis.set(key, JSON.stringify({ pid: process.pid, startedAt: this.startedAt, running: this.running.size, queues: PHASE_QUEUES }), 'EX', 15).catch(() => undefined);
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
      const worker = new Worker<PhaseJobData>(queue, (job) => this.process(job), {
        connection,
        prefix: this.prefix,
        concurrency: this.concurrency,
        lockDuration: 60_000,
        autorun: true,
      });
      worker.on('error', (err) => this.logger.warn(`${queue}: ${err.message}`));
      this.workers.push(worker);
    }
    this.logger.log(`consuming ${this.workers.length} queues, concurrency ${this.concurrency} each`);
  }

  private async process(job: Job<PhaseJobData>): Promise<string> {
    const handler = this.handlers[job.name as PhaseJobName];
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const abort = new AbortController();
    const key = String(job.id);
    this.running.set(key, { courseId: job.data.courseId, run: job.data.run, abort });
    try {
      return await this.runner.run(handler, job, abort.signal);
    } finally {
      this.running.delete(key);
    }
  }

  async stop(): Promise<void> {
    if (this.heartbeat) clearInterval(this.heartbeat);
    await this.beatConnection?.del(`${heartbeatPrefix(this.prefix)}${this.workerId}`).catch(() => undefined);
    this.beatConnection?.disconnect();
    this.subscriber?.disconnect();
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.workers.map((w) => w.disconnect().catch(() => undefined)));
  }
}
