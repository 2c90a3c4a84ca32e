// The only code that talks to BullMQ queues (adding, reading, retrying and removing
// jobs). Workers live in jobs/worker.host.ts and only in the worker process.
import { Queue, JobsOptions } from 'bullmq';
import IORedis from 'ioredis';
import { JOB_QUEUE, JobName, PHASE_QUEUES, PhaseJobData, QueueName, jobNameFor } from '../jobs/job.names';
import { heartbeatPrefix, type WorkerBeat } from '../jobs/worker.host';

/** The states a phase job is listed under (BullMQ's own names). */
export const LISTED_JOB_STATES = ['waiting', 'prioritized', 'paused', 'active', 'delayed', 'failed'] as const;
export type ListedJobState = (typeof LISTED_JOB_STATES)[number];

/** A job id held in one of the listed states of a phase queue (nothing of its data read). */
export interface QueuedJobId {
  queue: QueueName;
  id: string;
  state: ListedJobState;
}

/** What the tenant jobs view shows of one BullMQ phase job. */
export interface PhaseJobView {
  queue: QueueName;
  id: string;
  name: string;
  state: string;
  data: PhaseJobData;
  attemptsMade: number;
  attemptsStarted: number;
  maxAttempts: number;
  createdAt: number;
  processedOn: number | null;
  finishedOn: number | null;
  /** when a delayed job runs next */
  runAt: number | null;
  failedReason: string | null;
  /** the name of the worker that took it (BullMQ `processedBy`) */
  processedBy: string | null;
  /** an active job's lock is held (its worker renews it) */
  locked: boolean;
}

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
    await this.queue(QueueName.Webhooks).add(
      JobName.DeliverWebhook,
      { deliveryId },
      {
        jobId: deliveryId,
        attempts,
        backoff: { type: 'exponential', delay: backoffMs, jitter: 0.5 },
        removeOnComplete: { age: 7 * 24 * 3600 },
        removeOnFail: { age: 30 * 24 * 3600 },
      },
    );
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

  /**
   * The ids of every phase job in a listed state, by queue and state. Reads only the
   * queues' id sets, never a job's data: callers keep the ids of their own courses.
   */
  async phaseJobIds(): Promise<QueuedJobId[]> {
    const out: QueuedJobId[] = [];
    for (const name of PHASE_QUEUES) {
      const q = this.queue(name);
      for (const state of LISTED_JOB_STATES) {
        for (const id of await q.getRanges([state], 0, -1, true)) out.push({ queue: name, id, state });
      }
    }
    return out;
  }

  /** One phase job by queue and id, or null when BullMQ holds no such job. */
  async phaseJob(queue: QueueName, id: string): Promise<PhaseJobView | null> {
    const q = this.queue(queue);
    const job = await q.getJob(id);
    if (!job) return null;
    const state = await job.getState();
    const locked = state === 'active' ? (await this.connection.exists(`${this.prefix}:${queue}:${id}:lock`)) === 1 : false;
    return {
      queue,
      id,
      name: job.name,
      state,
      data: job.data as PhaseJobData,
      attemptsMade: job.attemptsMade ?? 0,
      attemptsStarted: job.attemptsStarted ?? job.attemptsMade ?? 0,
      maxAttempts: job.opts.attempts ?? 1,
      createdAt: job.timestamp,
      processedOn: job.processedOn ?? null,
      finishedOn: job.finishedOn ?? null,
      runAt: state === 'delayed' ? job.timestamp + (job.delay ?? 0) : null,
      failedReason: job.failedReason || null,
      processedBy: job.processedBy ?? null,
      locked,
    };
  }

  /**
   * Puts a failed job back to wait with its attempts counted afresh. False when the
   * job is not failed (BullMQ refuses to retry it).
   */
  async retryFailed(queue: QueueName, id: string): Promise<boolean> {
    const job = await this.queue(queue).getJob(id);
    if (!job || (await job.getState()) !== 'failed') return false;
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return true;
  }

  /** Removes a finished job (a failed job that a course retry has replaced). */
  async removeJob(queue: QueueName, id: string): Promise<void> {
    const job = await this.queue(queue).getJob(id);
    await job?.remove().catch(() => undefined);
  }

  /** What each live worker process says it runs (the heartbeats of jobs/worker.host.ts). */
  async workerBeats(): Promise<(WorkerBeat & { worker: string })[]> {
    const prefix = heartbeatPrefix(this.prefix);
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await this.connection.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
      cursor = next;
      keys.push(...batch);
    } while (cursor !== '0');
    if (!keys.length) return [];
    const values = await this.connection.mget(...keys);
    return values.flatMap((v, i) => {
      try {
        return v ? [{ ...(JSON.parse(v) as WorkerBeat), worker: keys[i].slice(prefix.length) }] : [];
      } catch {
        return [];
      }
    });
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((q) => q.close()));
  }
}
