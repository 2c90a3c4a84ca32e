// Redis may be lost at any time without losing a course: every so often (and at
// start-up) the reconciler compares what Postgres says is running with what the queues
// hold, and puts back each phase job that should exist and does not — after a Redis
// restart, a FLUSHALL, or an enqueue that never happened. Job ids are deterministic, so
// putting back a job that reappeared meanwhile is a no-op.
import { Logger } from '@nestjs/common';
import type { ReconcilerSystemRepository } from '../repositories/system/reconciler.system-repository';
import { TIER_PRIORITY } from '../jobs/job.names';
import { phaseJobId, STAGE_STEPS } from '../pipeline/stages';
import type { QueueRepository } from '../repositories/queue.repository';
import { JOB_QUEUE, jobNameFor } from '../jobs/job.names';

const LIVE_STATES = new Set(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'paused']);

export class Reconciler {
  private readonly logger = new Logger('Reconciler');
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly repo: ReconcilerSystemRepository,
    private readonly queues: QueueRepository,
  ) {}

  start(everyMs: number): void {
    // One pass at a time: with thousands of courses in flight a pass can outlast the
    // interval, and overlapping passes would only repeat each other's work.
    let running = false;
    const tick = () => {
      if (running) return;
      running = true;
      void this.reconcile()
        .catch((e) => this.logger.warn(`reconcile failed: ${e}`))
        .finally(() => {
          running = false;
        });
    };
    tick();
    this.timer = setInterval(tick, everyMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Returns how many jobs were put back. */
  async reconcile(): Promise<number> {
    // Courses whose state has not changed for a moment: a fresh transition's outbox may
    // simply not have been carried out yet.
    const rows = await this.repo.runningCourses();
    let restored = 0;
    for (const row of rows) {
      const ctx = row.context;
      if (!ctx?.stage || !ctx.step) continue;
      const phase = STAGE_STEPS[ctx.stage][ctx.step.index].phase;
      for (const index of ctx.step.inFlight) {
        const jobId = phaseJobId(row.id, ctx.run, ctx.stage, phase, index);
        const queue = this.queues.queue(JOB_QUEUE[jobNameFor(ctx.stage, phase)]);
        const job = await queue.getJob(jobId);
        const state = job ? await job.getState() : 'missing';
        if (LIVE_STATES.has(state)) continue;
        // A finished job whose report the machine still waits for ran into a refused
        // report (or lost Redis mid-way): run it again; every effect of it is keyed.
        if (job) await job.remove().catch(() => undefined);
        await this.queues.enqueuePhase({ jobId, courseId: row.id, run: ctx.run, stage: ctx.stage, phase, index }, TIER_PRIORITY[row.tier] ?? 2);
        await this.repo.recordReenqueued({
          organizationId: row.organization_id,
          courseId: row.id,
          jobId,
          message: `phase job was ${state} in the queue; put back`,
          metadata: { state, stage: ctx.stage, phase, index, run: ctx.run },
        });
        restored++;
      }
    }
    if (restored) this.logger.warn(`put back ${restored} phase job(s) missing from the queues`);
    return restored;
  }
}
