// The tenant jobs view: an organization's phase jobs as its ops see them, built from
// Postgres (the organization's courses, under row-level security) joined with BullMQ
// (the states of their deterministic job ids). What Bull Board showed everyone, scoped
// to one organization:
//  - the queues' id sets are read whole, but a job's data is read only once its id's
//    course is known to be the caller's (ids start with the course id);
//  - a job is "stuck" in the stall detector's sense (orchestrator/stall-detector.ts):
//    active with no live worker's heartbeat listing it ("no_worker"), waiting in a queue
//    no live worker consumes ("no_consumer"), active for longer than a course may sit
//    without moving (STALL_PROGRESS_MINUTES, "over_time"); or in the reconciler's sense
//    (orchestrator/reconciler.ts): a running course's in-flight item that no queue holds
//    ("no_job", listed with state "missing").
// Retrying a failed job: when its course failed with it, the course's RETRY (exactly
// POST /api/courses/:id/retry); when the course is still running, BullMQ's own retry.
import { Inject, Injectable, NotFoundException } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { ConflictStateError } from '../common/errors.filter';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { CoursesService } from '../courses/courses.service';
import { phaseJobId, STAGE_STEPS, stageId } from '../pipeline/stages';
import { type PhaseJobView, QueueRepository } from '../repositories/queue.repository';
import type { JobCourseRow } from '../repositories/tenant/jobs.repository';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { contentRange } from '../repositories/list-query';
import { JobResponse, jobIdParam, matches, parseJobsQuery, parsePhaseJobId, PhaseJobParts, sortJobs, StuckReason, viewState } from './jobs.dto';

/** The reconciler's grace: a fresh transition's outbox may not have enqueued its jobs yet. */
const SETTLE_SECONDS = 2;
/** The stall detector's slack: a job picked up this recently may not be in a heartbeat yet. */
const BEAT_SLACK_MS = 10_000;

type WorkerBeats = Awaited<ReturnType<QueueRepository['workerBeats']>>;

@Injectable()
export class JobsService {
  constructor(
    private readonly scope: TenantScope,
    private readonly queues: QueueRepository,
    private readonly courses: CoursesService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async list(user: AuthUser, query: Record<string, unknown>): Promise<{ data: JobResponse[]; range: string }> {
    const q = parseJobsQuery(query);
    const queued = await this.queues.phaseJobIds();
    // One entry per job id: a job moving between states while the sets are read shows once.
    const byId = new Map<string, PhaseJobParts>();
    for (const j of queued) {
      const parts = parsePhaseJobId(j.id);
      if (parts && parts.queue === j.queue && (!q.filter.courseId || parts.courseId === q.filter.courseId) && (!q.filter.id || q.filter.id.includes(j.id)))
        byId.set(j.id, parts);
    }
    const courses = await this.ownCourses(user, [...new Set([...byId.values()].map((p) => p.courseId))]);
    const mine = [...byId.values()].filter((p) => courses.has(p.courseId) && (q.filter.stage === undefined || p.stage === q.filter.stage));
    const beats = await this.queues.workerBeats();
    const now = Date.now();
    const views = await Promise.all(mine.map((p) => this.queues.phaseJob(p.queue, p.id)));
    const rows: JobResponse[] = [];
    mine.forEach((p, i) => {
      const v = views[i];
      if (v && viewState(v.state) !== 'completed') rows.push(this.toResponse(p, courses.get(p.courseId)!, v, beats, now));
    });
    for (const course of courses.values()) {
      if (q.filter.courseId && course.id !== q.filter.courseId) continue;
      for (const p of this.inFlight(course)) if (!byId.has(p.id)) rows.push(this.toResponse(p, course, null, beats, now));
    }
    const found = sortJobs(
      rows.filter((r) => matches(r, q.filter)),
      q.sort,
    );
    const [start, end] = q.range;
    const data = found.slice(start, end + 1);
    return { data, range: contentRange('jobs', start, data.length, found.length) };
  }

  async get(user: AuthUser, id: string): Promise<JobResponse> {
    const parts = jobIdParam(id);
    const course = await this.ownCourse(user, parts);
    const view = await this.queues.phaseJob(parts.queue, parts.id);
    const beats = await this.queues.workerBeats();
    if (view) return this.toResponse(parts, course, view, beats, Date.now());
    // No such job in the queues: it is the missing job of a running course, or none.
    if (this.inFlight(course).some((p) => p.id === parts.id)) return this.toResponse(parts, course, null, beats, Date.now());
    throw new NotFoundException('job not found');
  }

  async retry(user: AuthUser, id: string) {
    const parts = jobIdParam(id);
    const course = await this.ownCourse(user, parts);
    const view = await this.queues.phaseJob(parts.queue, parts.id);
    if (!view) throw new NotFoundException('job not found');
    const state = viewState(view.state);
    if (state !== 'failed') throw new ConflictStateError(`job is ${state}; only a failed job can be retried`);
    if (parts.run !== course.generation_run) {
      throw new ConflictStateError(`job belongs to run ${parts.run}; the course has moved on to run ${course.generation_run}`);
    }
    if (course.status === 'failed') {
      // The course failed with this job: the course's RETRY resumes it at the failed
      // step, in a new run with new job ids, so this job is done with.
      const status = await this.courses.retry(user, parts.courseId);
      await this.queues.removeJob(parts.queue, parts.id);
      return { retriedBy: 'course' as const, course: status };
    }
    if (course.status === 'queued' || course.status === 'generating') {
      // The job failed but the course did not hear of it (its report was refused or never
      // sent): BullMQ runs it again (the reconciler would also put it back).
      if (!(await this.queues.retryFailed(parts.queue, parts.id))) throw new ConflictStateError('job is no longer failed');
      return { retriedBy: 'job' as const, job: await this.get(user, id) };
    }
    throw new ConflictStateError(`the job's course is ${course.status}; there is nothing to retry`);
  }

  /** The caller's courses among `ids`, and the caller's running courses. */
  private async ownCourses(user: AuthUser, ids: string[]): Promise<Map<string, JobCourseRow>> {
    const rows = await this.scope.run(user.organizationId, (repos) => repos.jobs.coursesForJobs(ids, SETTLE_SECONDS));
    return new Map(rows.map((r) => [r.id, r]));
  }

  /** The job's course when it is the caller's; another organization's job is a 404 before BullMQ is asked. */
  private async ownCourse(user: AuthUser, parts: PhaseJobParts): Promise<JobCourseRow> {
    const course = (await this.ownCourses(user, [parts.courseId])).get(parts.courseId);
    if (!course) throw new NotFoundException('job not found');
    return course;
  }

  /** The jobs a running course waits for: its current step's in-flight items. */
  private inFlight(course: JobCourseRow): PhaseJobParts[] {
    const ctx = course.context;
    if (!course.running || !ctx?.stage || !ctx.step) return [];
    const phase = STAGE_STEPS[ctx.stage][ctx.step.index]?.phase;
    if (!phase) return [];
    return ctx.step.inFlight.flatMap((index) => {
      const parts = parsePhaseJobId(phaseJobId(course.id, ctx.run, ctx.stage!, phase, index));
      return parts ? [parts] : [];
    });
  }

  private stuckReason(p: PhaseJobParts, v: PhaseJobView | null, beats: WorkerBeats, now: number): StuckReason | null {
    if (!v) return 'no_job';
    const state = viewState(v.state);
    if (state === 'active') {
      const started = v.processedOn ?? now;
      if (!beats.some((b) => (b.jobs ?? []).includes(p.id)) && started < now - BEAT_SLACK_MS) return 'no_worker';
      if (now - started > this.config.stall.progressMinutes * 60_000) return 'over_time';
    }
    if (
      state === 'waiting' &&
      !beats.some((b) => !b.draining && (b.queues ?? []).includes(p.queue)) &&
      v.createdAt < now - this.config.stall.queueSeconds * 1000
    ) {
      return 'no_consumer';
    }
    return null;
  }

  private toResponse(p: PhaseJobParts, course: JobCourseRow, v: PhaseJobView | null, beats: WorkerBeats, now: number): JobResponse {
    const state = v ? viewState(v.state) : 'missing';
    const created = v ? v.createdAt : new Date(course.updated_at).getTime();
    const stuckReason = this.stuckReason(p, v, beats, now);
    const superseded = p.run < course.generation_run;
    const iso = (ms: number | null | undefined) => (ms ? new Date(ms).toISOString() : null);
    return {
      id: p.id,
      queue: p.queue,
      name: v?.name ?? '',
      state,
      bullState: v?.state ?? null,
      courseId: p.courseId,
      courseTitle: course.title,
      courseStatus: course.status,
      run: p.run,
      superseded,
      stage: stageId(p.stage),
      stageNumber: p.stage,
      phase: p.phase,
      index: p.index,
      attempt: v ? Math.max(v.attemptsStarted, v.attemptsMade) : 0,
      maxAttempts: v?.maxAttempts ?? 0,
      createdAt: iso(created),
      ageSeconds: Math.max(0, Math.round((now - created) / 1000)),
      processedOn: iso(v?.processedOn),
      activeSeconds: state === 'active' && v?.processedOn ? Math.max(0, Math.round((now - v.processedOn) / 1000)) : null,
      runAt: iso(v?.runAt),
      finishedOn: iso(v?.finishedOn),
      error: v?.failedReason ?? null,
      worker: v?.processedBy ?? beats.find((b) => (b.jobs ?? []).includes(p.id))?.worker ?? null,
      stuck: stuckReason !== null,
      stuckReason,
      retryable: state === 'failed' && !superseded && ['failed', 'queued', 'generating'].includes(course.status),
    };
  }
}
