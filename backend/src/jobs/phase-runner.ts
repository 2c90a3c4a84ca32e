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
import type { DataSource, QueryRunner } from 'typeorm';
import { ModelCallFailedError, type ModelGateway } from '../gateway/model-gateway';
import type { CourseOrchestrator } from '../orchestrator/course-orchestrator';
import type { Actor } from '../pipeline/course.types';
import type { PhaseJobData } from './job.names';
import { isTransientInfrastructureError } from './transient-errors';
import { PhaseContext, PhaseCourse, PhaseError, PhaseHandler, phaseKey } from './phase.types';

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
      withinTransaction: async (qr) => {
        await qr.query(
          `INSERT INTO phase_claims (course_id, run, stage, phase_key, token) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (course_id, run, stage, phase_key) DO UPDATE SET token = EXCLUDED.token, claimed_at = now()`,
          claim,
        );
      },
    });
    if (!started.applied) return `skipped: ${started.reason}`;
    const holdsClaim = async (qr: Pick<QueryRunner, 'query'>, lockCourse: boolean): Promise<string | null> => {
      // Course row first, claim row second: the same order as PHASE_STARTED, so no deadlock.
      const current = await qr.query(`SELECT generation_run FROM courses WHERE id = $1 ${lockCourse ? 'FOR SHARE' : ''}`, [data.courseId]);
      if (current[0]?.generation_run !== data.run) return `run ${data.run} is no longer the current run`;
      const held = await qr.query(
        `SELECT 1 FROM phase_claims WHERE course_id = $1 AND run = $2 AND stage = $3 AND phase_key = $4 AND token = $5 FOR UPDATE`,
        claim,
      );
      return held.length ? null : `${key} was taken over by a newer attempt`;
    };
    try {
      const saved = await this.ds.query(`SELECT output FROM phase_outputs WHERE course_id = $1 AND stage = $2 AND phase_key = $3`, [data.courseId, data.stage, key]);
      let result = saved[0]?.output?.result;
      if (!saved[0]) {
        const ctx = await this.context(data, signal);
        const outcome = await handler.run(ctx);
        result = outcome.result;
        const stale = await this.ds.transaction(async (em) => {
          const lost = await holdsClaim(em, true);
          if (lost) return lost;
          const inserted = await em.query(
            `INSERT INTO phase_outputs (course_id, stage, phase_key, run, output) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (course_id, stage, phase_key) DO NOTHING RETURNING phase_key`,
            [data.courseId, data.stage, key, data.run, { value: outcome.output, result: outcome.result ?? null }],
          );
          // A twin of this job got there first: its writes stand, ours are dropped.
          if (inserted.length > 0 && outcome.persist) await outcome.persist(em);
          return null;
        });
        if (stale) {
          await this.refused(data, token, stale);
          return `stale: ${stale}`;
        }
      }
      const done = await this.orchestrator.apply(data.courseId, { type: 'PHASE_DONE', ...report, result: result ?? undefined }, {
        precondition: (qr) => holdsClaim(qr, false),
      });
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
          precondition: (qr) => holdsClaim(qr, false),
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

  private async context(job: PhaseJobData, signal: AbortSignal): Promise<PhaseContext> {
    const rows = await this.ds.query(
      `SELECT id, organization_id, title, description, language, content_style, machine_snapshot->'context'->'rejection' AS rejection
         FROM courses WHERE id = $1`,
      [job.courseId],
    );
    const course = rows[0] as PhaseCourse;
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
