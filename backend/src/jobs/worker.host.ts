// Starts one BullMQ worker per queue, only in the worker process. A job's handler is
// looked up by the job's name; the PhaseRunner does the rest. On shutdown the workers
// stop taking jobs and wait for the running ones.
import { Logger } from '@nestjs/common';
import { Job, Worker } from 'bullmq';
import IORedis from 'ioredis';
import { JobName, PhaseJobData, QueueName } from './job.names';
import type { PhaseRunner } from './phase-runner';
import type { PhaseHandler } from './phase.types';

export class WorkerHost {
  private readonly logger = new Logger('WorkerHost');
  private readonly workers: Worker[] = [];

  constructor(
    private readonly redisUrl: string,
    private readonly prefix: string,
    private readonly concurrency: number,
    private readonly runner: PhaseRunner,
    private readonly handlers: Record<JobName, PhaseHandler>,
  ) {}

  start(): void {
    for (const queue of Object.values(QueueName)) {
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
    const handler = this.handlers[job.name as JobName];
    if (!handler) throw new Error(`no handler for job ${job.name}`);
    const abort = new AbortController();
    return this.runner.run(handler, job, abort.signal);
  }

  async stop(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.close()));
    await Promise.all(this.workers.map((w) => w.disconnect().catch(() => undefined)));
  }
}
