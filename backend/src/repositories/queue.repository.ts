// The only code that talks to BullMQ queues (adding and removing jobs). Workers live
// in jobs/worker.host.ts and only in the worker process.
import { Queue, JobsOptions } from 'bullmq';
import IORedis from 'ioredis';
import { JOB_QUEUE, JobName, PHASE_QUEUES, PhaseJobData, QueueName, jobNameFor } from '../jobs/job.names';

export class QueueRepository {
  private readonly queues = new Map<QueueName, Queue>();

  constructor(
    private readonly connection: IORedis,
    private readonly prefix: string,
  ) {}

  queue(name: QueueName): Queue {
    let q = this.queues.get(name);
    if (!q) {
      q = new Queue(name, { connection: this.connection, prefix: this.prefix });
      this.queues.set(name, q);
    }
    return q;
  }

  allQueues(): Queue[] {
    return Object.values(QueueName).map((n) => this.queue(n));
  }

  /** Idempotent: a job id that exists already is not added twice. */
  async enqueuePhase(data: PhaseJobData, priority = 2): Promise<void> {
    const name: JobName = jobNameFor(data.stage, data.phase);
    const opts: JobsOptions = {
      jobId: data.jobId,
      priority,
      attempts: 3,
      backoff: { type: 'exponential', delay: 1000 },
      removeOnComplete: { age: 24 * 3600, count: 5000 },
      removeOnFail: { age: 7 * 24 * 3600 },
    };
    await this.queue(JOB_QUEUE[name]).add(name, data, opts);
  }

  /** Same delivery id on every attempt: BullMQ retries with exponential backoff and jitter. */
  async enqueueWebhook(deliveryId: string, attempts: number, backoffMs: number): Promise<void> {
    await this.queue(QueueName.Webhooks).add(JobName.DeliverWebhook, { deliveryId }, {
      jobId: deliveryId,
      attempts,
      backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
      removeOnComplete: { age: 7 * 24 * 3600 },
      removeOnFail: { age: 30 * 24 * 3600 },
    });
  }

  /** Removes the waiting jobs of a course's run; running ones see the run is over. */
  async removeRunJobs(courseId: string, run: number): Promise<number> {
    let removed = 0;
    const prefix = `${courseId}-r${run}-`;
    for (const q of PHASE_QUEUES.map((n) => this.queue(n))) {
      const jobs = await q.getJobs(['waiting', 'delayed', 'prioritized', 'paused']);
      for (const job of jobs) {
        if (job?.id?.startsWith(prefix)) {
          await job.remove().catch(() => undefined);
          removed++;
        }
      }
    }
    return removed;
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
