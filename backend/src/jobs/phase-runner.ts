// Runs one phase job: report PHASE_STARTED (a refused report means the job is stale or
// the course moved on, and the job ends without work), reuse the saved output of an
// earlier run or call the handler, save the output, then report PHASE_DONE. The last
// failed attempt reports PHASE_FAILED. Every write is keyed, so a job that runs twice
// applies once. Starting an item claims it with a token of this attempt; the saved
// output and the PHASE_DONE report are accepted only under that claim and the current
// run, so when a stalled job was handed to another worker (or the stage was rerun), the
// stale worker's late result is refused instead of overwriting the newer attempt's.
import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { UnrecoverableError, type Job } from 'bullmq';
import { ModelCallFailedError, type ModelGateway } from '../gateway/model-gateway';
import type { CourseOrchestrator, CourseRowLocked, SystemApplyOptions } from '../orchestrator/course-orchestrator';
import type { Actor, PhaseResult } from '../pipeline/course.types';
import type { PhaseJobData } from './job.names';
import { isTransientInfrastructureError } from './transient-errors';
import type { PhaseClaim, PhasesSystemRepository, PhaseTransaction } from '../repositories/system/phases.system-repository';
import { PhaseContext, PhaseCourse, PhaseError, PhaseHandler, PhaseOutcome, phaseKey } from './phase.types';

/** A course's bar moves at most this often from one worker while answers stream in. */
const PROGRESS_INTERVAL_MS = 300;

/** A worker's events are system work: their callbacks get the orchestrator's transaction, which the phases repository binds to. */
const system = (options: SystemApplyOptions): SystemApplyOptions => options;

export class PhaseRunner {
  private readonly logger = new Logger('PhaseRunner');

  constructor(
    private readonly phases: PhasesSystemRepository,
    private readonly orchestrator: CourseOrchestrator,
    private readonly gateway: ModelGateway,
    private readonly workerId: string,
  ) {}

  async run(handler: PhaseHandler, job: Job<PhaseJobData>, signal: AbortSignal): Promise<string> {
    const data = job.data;
    const actor: Actor = { type: 'worker', id: `${this.workerId}-${job.id}-a${job.attemptsMade + 1}` };
    const report = { actor, run: data.run, stage: data.stage, phase: data.phase, index: data.index };
    const key = phaseKey(data);
    const token = `${actor.id}-${randomUUID().slice(0, 8)}`;
    const claim: PhaseClaim = { courseId: data.courseId, run: data.run, stage: data.stage, phaseKey: key, token };
    const started = await this.orchestrator.apply(
      data.courseId,
      { type: 'PHASE_STARTED', ...report },
      system({
        // The newest starter of an item owns it: BullMQ only hands a job to another worker
        // once the first one's lock has lapsed.
        withinTransaction: (qr) => this.phases.within(qr).claim(claim),
      }),
    );
    if (!started.applied) return `skipped: ${started.reason}`;
    /** Under the course row's lock (taken by the orchestrator, or FOR SHARE here): is this attempt still the item's owner? */
    const holdsClaim = async (tx: PhaseTransaction, generationRun: number): Promise<string | null> => {
      if (generationRun !== data.run) return `run ${data.run} is no longer the current run`;
      // Every claim change locks the course row first, so the claim cannot move under us.
      return (await tx.holdsClaim(claim)) ? null : `${key} was taken over by a newer attempt`;
    };
    const saveOutput = async (tx: PhaseTransaction, outcome: PhaseOutcome): Promise<void> => {
      const inserted = await tx.saveOutput({
        courseId: data.courseId,
        stage: data.stage,
        phaseKey: key,
        run: data.run,
        output: { value: outcome.output, result: outcome.result ?? null },
      });
      // A twin of this job got there first: its writes stand, ours are dropped.
      if (inserted && outcome.persist) await outcome.persist(tx);
    };
    try {
      // The course and the item's saved output (of this or an earlier run) in one read.
      const course = await this.phases.courseWithSavedOutput(data.courseId, data.stage, key);
      let result = course?.saved_output?.result as PhaseResult | null | undefined;
      let produced: PhaseOutcome | null = null;
      if (!course?.saved_output) {
        const { saved_output: _, ...row } = course as NonNullable<typeof course>;
        produced = await handler.run(this.context(data, row as PhaseCourse, signal));
        result = produced.result;
      }
      // The output is saved in the transaction that reports it done, under the claim.
      const outcome = produced;
      const done = await this.orchestrator.apply(
        data.courseId,
        { type: 'PHASE_DONE', ...report, result: result ?? undefined },
        system({
          precondition: (qr, row: CourseRowLocked) => holdsClaim(this.phases.within(qr), row.generation_run),
          withinTransaction: outcome ? (qr) => saveOutput(this.phases.within(qr), outcome) : undefined,
        }),
      );
      if (!done.applied && outcome) {
        if (done.reason === 'stale_attempt') {
          await this.refused(data, token, done.detail);
          return `stale: ${done.detail}`;
        }
        // Refused for another reason (the course failed or was cancelled meanwhile): the
        // output is still kept, so a retry does not pay for it again.
        await this.phases.run(async (tx) => {
          const run = await tx.lockRunShared(data.courseId);
          const lost = run !== null ? await holdsClaim(tx, run) : 'the course is gone';
          if (!lost) await saveOutput(tx, outcome);
        });
      }
      return done.applied ? `done: ${done.to} ${done.percentage}%` : `done, report refused: ${done.reason}`;
    } catch (err) {
      // Handed back at shutdown: the worker host puts the job back to wait.
      if (signal.aborted && signal.reason instanceof Error && signal.reason.name === 'HandBack') throw signal.reason;
      // The run was cancelled while this job ran: nothing to report, nothing to retry.
      if (signal.aborted) return 'cancelled';
      // Postgres or Redis blinked: not the phase's fault; the worker host runs it again later.
      if (isTransientInfrastructureError(err)) throw err;
      const retryable = err instanceof PhaseError || err instanceof ModelCallFailedError ? err.retryable : true;
      const last = !retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.logger.warn(`${job.id} failed (attempt ${job.attemptsMade + 1}${last ? ', last' : ''}): ${(err as Error).message}`);
      if (last) {
        const failed = await this.orchestrator.apply(
          data.courseId,
          { type: 'PHASE_FAILED', ...report, error: (err as Error).message.slice(0, 500), retryable: true },
          system({
            precondition: (qr, row: CourseRowLocked) => holdsClaim(this.phases.within(qr), row.generation_run),
          }),
        );
        // The course failed with this job: BullMQ keeps it as failed, with the reason (what
        // the tenant jobs view and Bull Board show), and attempts no more of it.
        if (failed.applied) throw new UnrecoverableError((err as Error).message.slice(0, 500));
        return `failed, report refused: ${failed.reason}`;
      }
      throw err;
    }
  }

  private async refused(data: PhaseJobData, token: string, why: string): Promise<void> {
    this.logger.warn(`${data.jobId}: late result refused (${why})`);
    await this.phases
      .recordStaleResult(data.courseId, data.jobId, `late result refused: ${why}`, {
        run: data.run,
        stage: data.stage,
        phase: data.phase,
        index: data.index,
        token,
      })
      .catch(() => undefined);
  }

  /** When each course last had a PROGRESS report sent from this process (PROGRESS_INTERVAL_MS apart at most). */
  private readonly lastProgress = new Map<string, number>();

  /**
   * A streamed answer's progress as PROGRESS events through the orchestrator (the live
   * course.updated path, with its `seq`): at most one per PROGRESS_INTERVAL_MS per
   * course from this worker, only when the item moved by at least 2 %, one at a time.
   * The machine keeps the larger value, so the bar never moves back.
   */
  private progressReporter(job: PhaseJobData, signal: AbortSignal): (fraction: number) => void {
    let sent = 0;
    let busy = false;
    return (fraction: number) => {
      const now = Date.now();
      if (busy || signal.aborted || fraction - sent < 0.02 || now - (this.lastProgress.get(job.courseId) ?? 0) < PROGRESS_INTERVAL_MS) return;
      busy = true;
      sent = fraction;
      this.lastProgress.set(job.courseId, now);
      if (this.lastProgress.size > 10_000) this.lastProgress.clear();
      const actor: Actor = { type: 'worker', id: `${this.workerId}-${job.jobId}-progress` };
      void this.orchestrator
        .apply(job.courseId, {
          type: 'PROGRESS',
          actor,
          run: job.run,
          stage: job.stage,
          phase: job.phase,
          index: job.index,
          fraction: Math.round(fraction * 1000) / 1000,
        })
        .catch((err) => this.logger.debug(`progress of ${job.jobId} not recorded: ${(err as Error).message}`))
        .finally(() => {
          busy = false;
        });
    };
  }

  private context(job: PhaseJobData, course: PhaseCourse, signal: AbortSignal): PhaseContext {
    const rerun = !!course.rejection && course.rejection.stage === job.stage;
    return {
      progress: this.progressReporter(job, signal),
      job,
      course,
      phases: this.phases,
      gateway: this.gateway,
      rerun,
      signal,
      savedOutput: async <T>(stage: number, key: string): Promise<T | null> => {
        return (await this.phases.savedOutput(job.courseId, stage, key)) as T | null;
      },
    };
  }
}
