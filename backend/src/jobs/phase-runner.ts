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
import type { Job } from 'bullmq';
import type { DataSource } from 'typeorm';
import { ModelCallFailedError, type ModelGateway } from '../gateway/model-gateway';
import type { CourseOrchestrator, CourseRowLocked } from '../orchestrator/course-orchestrator';
import type { Actor } from '../pipeline/course.types';
import type { PhaseJobData } from './job.names';
import { isTransientInfrastructureError } from './transient-errors';
import { PhaseContext, PhaseCourse, PhaseError, PhaseHandler, PhaseOutcome, Queryable, phaseKey } from './phase.types';

export class PhaseRunner {
  private readonly logger = new Logger('PhaseRunner');

  constructor(
    private readonly ds: DataSource,
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
    const claim = [data.courseId, data.run, data.stage, key, token];
    const started = await this.orchestrator.apply(data.courseId, { type: 'PHASE_STARTED', ...report }, {
      // The newest starter of an item owns it: BullMQ only hands a job to another worker
      // once the first one's lock has lapsed.
      withinTransaction: async (qr: Queryable) => {
        await qr.query(
          `INSERT INTO phase_claims (course_id, run, stage, phase_key, token) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (course_id, run, stage, phase_key) DO UPDATE SET token = EXCLUDED.token, claimed_at = now()`,
          claim,
        );
      },
    });
    if (!started.applied) return `skipped: ${started.reason}`;
    /** Under the course row's lock (taken by the orchestrator, or FOR SHARE here): is this attempt still the item's owner? */
    const holdsClaim = async (qr: Queryable, generationRun: number): Promise<string | null> => {
      if (generationRun !== data.run) return `run ${data.run} is no longer the current run`;
      // Every claim change locks the course row first, so the claim cannot move under us.
      const held = await qr.query(
        `SELECT 1 FROM phase_claims WHERE course_id = $1 AND run = $2 AND stage = $3 AND phase_key = $4 AND token = $5`,
        claim,
      );
      return held.length ? null : `${key} was taken over by a newer attempt`;
    };
    const saveOutput = async (qr: Queryable, outcome: PhaseOutcome): Promise<void> => {
      const inserted = await qr.query(
        `INSERT INTO phase_outputs (course_id, stage, phase_key, run, output) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (course_id, stage, phase_key) DO NOTHING RETURNING phase_key`,
        [data.courseId, data.stage, key, data.run, { value: outcome.output, result: outcome.result ?? null }],
      );
      // A twin of this job got there first: its writes stand, ours are dropped.
      if (inserted.length > 0 && outcome.persist) await outcome.persist(qr);
    };
    try {
      // The course and the item's saved output (of this or an earlier run) in one read.
      const [course] = await this.ds.query(
        `SELECT c.id, c.organization_id, c.title, c.description, c.language, c.content_style,
                c.machine_snapshot->'context'->'rejection' AS rejection,
                (SELECT o.output FROM phase_outputs o WHERE o.course_id = c.id AND o.stage = $2 AND o.phase_key = $3) AS saved_output
           FROM courses c WHERE c.id = $1`,
        [data.courseId, data.stage, key],
      );
      let result = course?.saved_output?.result;
      let produced: PhaseOutcome | null = null;
      if (!course?.saved_output) {
        const { saved_output: _, ...row } = course as PhaseCourse & { saved_output: unknown };
        produced = await handler.run(this.context(data, row as PhaseCourse, signal));
        result = produced.result;
      }
      // The output is saved in the transaction that reports it done, under the claim.
      const outcome = produced;
      const done = await this.orchestrator.apply(data.courseId, { type: 'PHASE_DONE', ...report, result: result ?? undefined }, {
        precondition: (qr: Queryable, row: CourseRowLocked) => holdsClaim(qr, row.generation_run),
        withinTransaction: outcome ? (qr: Queryable) => saveOutput(qr, outcome) : undefined,
      });
      if (!done.applied && outcome) {
        if (done.reason === 'stale_attempt') {
          await this.refused(data, token, done.detail);
          return `stale: ${done.detail}`;
        }
        // Refused for another reason (the course failed or was cancelled meanwhile): the
        // output is still kept, so a retry does not pay for it again.
        await this.ds.transaction(async (em) => {
          const [current] = await em.query(`SELECT generation_run FROM courses WHERE id = $1 FOR SHARE`, [data.courseId]);
          const lost = current ? await holdsClaim(em, current.generation_run) : 'the course is gone';
          if (!lost) await saveOutput(em, outcome);
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
        await this.orchestrator.apply(data.courseId, { type: 'PHASE_FAILED', ...report, error: (err as Error).message.slice(0, 500), retryable: true }, {
          precondition: (qr: Queryable, row: CourseRowLocked) => holdsClaim(qr, row.generation_run),
        });
        return `failed: ${(err as Error).message}`;
      }
      throw err;
    }
  }

  private async refused(data: PhaseJobData, token: string, why: string): Promise<void> {
    this.logger.warn(`${data.jobId}: late result refused (${why})`);
    await this.ds.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata)
       SELECT 'stale_result_refused', 'warn', organization_id, id, $2, $3, $4 FROM courses WHERE id = $1`,
      [data.courseId, data.jobId, `late result refused: ${why}`, { run: data.run, stage: data.stage, phase: data.phase, index: data.index, token }],
    ).catch(() => undefined);
  }

  private context(job: PhaseJobData, course: PhaseCourse, signal: AbortSignal): PhaseContext {
    const rerun = !!course.rejection && course.rejection.stage === job.stage;
    return {
      job,
      course,
      ds: this.ds,
      gateway: this.gateway,
      rerun,
      signal,
      savedOutput: async <T>(stage: number, key: string): Promise<T | null> => {
        const r = await this.ds.query(`SELECT output FROM phase_outputs WHERE course_id = $1 AND stage = $2 AND phase_key = $3`, [job.courseId, stage, key]);
        return (r[0]?.output?.value ?? null) as T | null;
      },
    };
  }
}
