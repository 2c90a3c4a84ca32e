// Applies one event to one course in one transaction: lock the row, restore the
// machine, transition(), store the new snapshot, status, progress, a history row and
// the effects to carry out (the outbox) — then, after commit, publish the live event and
// hand the outbox rows to the relay. The row lock plus a version check make events for a course apply one at
// a time, whichever process sends them.
import type { Queryable } from '../repositories/db';
import type { TenantRepositories } from '../repositories/tenant/tenant-scope';
import { CourseRowLocked, CoursesSystemRepository } from '../repositories/system/courses.system-repository';
import { applyCourseEvent, initialCourse, RefusalReason } from '../pipeline/course.runtime';
import type { CourseEffect, CourseEvent } from '../pipeline/course.types';
import { escalationHistoryReason, escalationOf } from '../pipeline/escalation';
import { orgRoom } from '../repositories/live.publisher';
import type { LiveMessage } from './outbox.types';
import { buildProgress, coarseStatus, GenerationProgress } from './progress';
import { estimateRemainingSeconds } from '../courses/status.contract';
import type { CourseContext } from '../pipeline/course.types';

/** Seconds left for a course (EtaService.estimate, the status route's ETA); null: no estimate from past runs. */
/**
 * Seconds left from the medians already in hand, or null. Synchronous on purpose: it runs
 * inside the transition's transaction, which may hold the organization's start lock, and
 * a read on another pooled connection there could wait for a connection that only the
 * lock's waiters hold (every START of a burst queued behind the first one's lock).
 */
export type EtaEstimator = (ctx: CourseContext, organizationId: string) => number | null;

export class CourseNotFoundError extends Error {
  constructor(readonly courseId: string) {
    super(`course ${courseId} not found`);
  }
}

export class ConcurrentUpdateError extends Error {}

/** How long dashboards' news of a phase start waits for the phase's own end (see LiveMessage.deferMs). */
export const PHASE_STARTED_DEFER_MS = 50;

export type { CourseRowLocked };

export type ApplyOutcome =
  | { applied: true; from: string; to: string; percentage: number; outboxIds: string[]; effects: CourseEffect[]; live: { id: string; message: LiveMessage } }
  | { applied: false; from: string; reason: RefusalReason; detail: string };

type Applied = Extract<ApplyOutcome, { applied: true }>;

interface ApplyOptionsBase<Tx> {
  /** runs inside the transaction after the event was applied (e.g. to record a decision) */
  withinTransaction?: (tx: Tx, outcome: Applied, row: CourseRowLocked) => Promise<void>;
  /** stamps restarted_at, the only way the database lets the bar go back to 0 */
  restart?: boolean;
  /** runs under the row lock before the event; a returned reason refuses the event as a stale attempt (it may also throw) */
  precondition?: (tx: Tx, row: CourseRowLocked) => Promise<string | null>;
  /**
   * completes the event under the row lock, after the precondition, from what the
   * transaction reads (e.g. START's document count, which an upload may not change meanwhile)
   */
  complete?: (tx: Tx, event: CourseEvent, row: CourseRowLocked) => Promise<CourseEvent>;
}

/**
 * An event a person sent, through the API: the whole transaction runs as mc_app for the
 * caller's organization (row-level security), so a course of another organization is
 * not found, and the callbacks get that transaction's tenant repositories.
 */
export interface TenantApplyOptions extends ApplyOptionsBase<TenantRepositories> {
  organizationId: string;
}

/** An event of system work (workers, sweeps): the owner connection; callbacks get its transaction. */
export interface SystemApplyOptions extends ApplyOptionsBase<Queryable> {
  organizationId?: undefined;
}

export type ApplyOptions = TenantApplyOptions | SystemApplyOptions;

export interface OutboxSink {
  /** carries out the given rows (or every pending one); `published`: live rows already published by publishNow */
  drain(ids?: string[], published?: string[]): Promise<number>;
  /** publishes a live event at once (its outbox row is then only marked done) */
  publishNow?(message: LiveMessage): void;
  /** marks rows whose effect publishNow carried out as done */
  markPublished?(ids: string[]): Promise<void>;
}

/** Drill (never in production): exit right after a commit, before the relay enqueues the jobs it asked for. */
export type CrashDrill = { probability: number } | { count: number };

export class CourseOrchestrator {
  private committedWithJobs = 0;

  constructor(
    private readonly courses: CoursesSystemRepository,
    private readonly sink: OutboxSink,
    private readonly now: () => Date = () => new Date(),
    private readonly crashDrill?: CrashDrill,
    private readonly eta?: EtaEstimator,
  ) {}

  /**
   * generation_progress.estimated_completion (seed 000), from the same estimate as the
   * status route's estimatedRemainingSeconds: the phase medians of past runs, else seed
   * 003's extrapolation; null when nothing is running (a gate, the end, a failure).
   */
  private estimatedCompletion(state: string, ctx: CourseContext, progress: GenerationProgress, organizationId: string, now: Date): string | null {
    const status = coarseStatus(state);
    if ((status !== 'generating' && status !== 'queued') || state.endsWith('_awaiting_approval')) return null;
    const fromMedians = this.eta?.(ctx, organizationId) ?? null;
    const startedAt = progress.started_at ? new Date(progress.started_at) : null;
    const seconds = fromMedians ?? estimateRemainingSeconds(ctx.percentage, startedAt, now);
    return new Date(now.getTime() + seconds * 1000).toISOString();
  }

  async apply(courseId: string, sent: CourseEvent, options: ApplyOptions = {}): Promise<ApplyOutcome> {
    let event = sent;
    const org = options.organizationId;
    const outcome = await this.courses.inEventTransaction(org, async (etx) => {
      // What the callbacks see: the tenant's repositories for a person's event, the transaction for system work.
      const tx = org !== undefined ? etx.tenant : etx.db;
      const row = await etx.lockCourse(courseId);
      if (!row) throw new CourseNotFoundError(courseId);
      const persisted = row.machine_snapshot ?? initialCourse({ courseId });
      const fenced = options.precondition ? await (options.precondition as (t: unknown, r: CourseRowLocked) => Promise<string | null>)(tx, row) : null;
      if (!fenced && options.complete)
        event = await (options.complete as (t: unknown, e: CourseEvent, r: CourseRowLocked) => Promise<CourseEvent>)(tx, sent, row);
      const result: ReturnType<typeof applyCourseEvent> = fenced
        ? { applied: false, from: persisted.value, reason: 'stale_attempt', detail: fenced }
        : applyCourseEvent(persisted, event);
      if (!result.applied) {
        await etx.recordRefusedEvent({
          organizationId: row.organization_id,
          courseId,
          message: `${event.type} refused (${result.reason}): ${result.detail}`,
          metadata: { event: event.type, reason: result.reason, actor: event.actor, state: result.from, ...workerFields(event) },
        });
        return { applied: false as const, from: result.from, reason: result.reason, detail: result.detail };
      }
      const now = this.now();
      const ctx = result.persisted.context;
      const status = coarseStatus(result.to);
      const progress = buildProgress(result.to, ctx, row.generation_progress, now);
      progress.estimated_completion = this.estimatedCompletion(result.to, ctx, progress, row.organization_id, now);
      const actor = event.actor;
      const live: LiveMessage = {
        room: orgRoom(row.organization_id, 'course.updated'),
        event: 'course.updated',
        payload: {
          id: courseId,
          status,
          generationStatus: result.to,
          stage: progress.current_stage,
          phase: ctx.phase,
          percentage: ctx.percentage,
          message: progress.message,
          run: ctx.run,
          at: now.toISOString(),
          // so the list and the course page show what it has cost while it runs (not only on reload)
          costUsd: Number(row.cost_usd ?? 0),
          // the course's version after this transition: live publishers never send an older one after a newer
          seq: row.version + 1,
        },
        // A phase starting is news only if it is still running a moment later.
        ...(event.type === 'PHASE_STARTED' ? { deferMs: PHASE_STARTED_DEFER_MS } : {}),
      };
      // The live event goes last: it is published first, right after commit (see below).
      const entries: { kind: string; payload: unknown }[] = [
        ...result.effects.map((e) => ({ kind: e.type, payload: { ...e, organizationId: row.organization_id } })),
        ...qualityAlert(event, row.organization_id, courseId),
        { kind: 'publishLive', payload: live },
      ];
      const written = await etx.writeTransition({
        courseId,
        version: row.version,
        snapshot: result.persisted,
        generationStatus: result.to,
        status,
        progress,
        run: ctx.run,
        errorMessage: ctx.error?.message ?? null,
        errorDetails: ctx.error ? { ...ctx.error } : null,
        restart: options.restart === true,
        now,
        history: {
          from: result.from,
          event: event.type,
          actorType: actor.type,
          actorId: actor.id,
          reason: reasonOf(event),
          // A worker's report is recorded under the stage it reported, even when it moved the course on.
          stage: 'run' in event ? `stage_${event.stage}` : ctx.stage ? `stage_${ctx.stage}` : null,
          phase: 'phase' in event ? event.phase : ctx.phase,
          percentage: ctx.percentage,
        },
        outbox: entries,
      });
      if (written.length !== entries.length) throw new ConcurrentUpdateError(`course ${courseId} changed under version ${row.version}`);
      const outboxIds = [...written].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1));
      const applied = {
        applied: true as const,
        from: result.from,
        to: result.to,
        percentage: ctx.percentage,
        outboxIds,
        effects: result.effects,
        live: { id: outboxIds[outboxIds.length - 1], message: live },
      };
      if (options.withinTransaction) await (options.withinTransaction as (t: unknown, o: Applied, r: CourseRowLocked) => Promise<void>)(tx, applied, row);
      return applied;
    });
    if (outcome.applied) {
      this.maybeCrash(courseId, outcome);
      // After commit only. Dashboards hear of the change first; then the effects are
      // carried out. If this process dies here, the relay's sweep finds the rows.
      if (this.sink.publishNow && this.sink.markPublished) {
        this.sink.publishNow(outcome.live.message);
        // Nothing but the live event (a phase started, most items done): no relay pass needed.
        if (outcome.outboxIds.length === 1) await this.sink.markPublished([outcome.live.id]).catch(() => undefined);
        else await this.sink.drain(outcome.outboxIds, [outcome.live.id]).catch(() => undefined);
      } else {
        await this.sink.drain(outcome.outboxIds).catch(() => undefined);
      }
    }
    return outcome;
  }

  private maybeCrash(courseId: string, outcome: Extract<ApplyOutcome, { applied: true }>): void {
    const drill = this.crashDrill;
    if (!drill || !outcome.effects.some((e) => e.type === 'enqueuePhases')) return;
    this.committedWithJobs++;
    const hit = 'probability' in drill ? Math.random() < drill.probability : this.committedWithJobs === drill.count;
    if (!hit) return;
    process.stderr.write(`FAULT_CRASH_AFTER_COMMIT: exiting after committing ${courseId} ${outcome.from} -> ${outcome.to}, before its jobs are enqueued\n`);
    process.exit(86);
  }
}

/** Stage 5's score below the organization's threshold: dashboards hear it as an alert (the quality_low event, seed 004). */
function qualityAlert(event: CourseEvent, organizationId: string, courseId: string): { kind: string; payload: LiveMessage }[] {
  const q = event.type === 'PHASE_DONE' ? event.result?.quality : undefined;
  if (!q?.low) return [];
  const message = `quality ${q.overall} below the threshold ${q.threshold} (${q.method}${q.model ? ` ${q.model}` : ''})${q.gate ? ': waiting at a review gate' : ''}`;
  return [
    {
      kind: 'publishLive',
      payload: {
        room: orgRoom(organizationId, 'alert.raised'),
        event: 'alert.raised',
        payload: { kind: 'quality_low', courseId, organizationId, ...q, message },
      },
    },
  ];
}

function workerFields(event: CourseEvent): Record<string, unknown> {
  return 'run' in event ? { run: event.run, stage: event.stage, phase: event.phase, index: event.index } : {};
}

function reasonOf(event: CourseEvent): string | null {
  switch (event.type) {
    case 'PHASE_FAILED':
      return event.error;
    case 'APPROVE':
      return event.comment ?? null;
    case 'REJECT':
      return [event.action, ...(event.reasons ?? []), event.comment ?? ''].filter(Boolean).join('; ');
    case 'CANCEL':
      return event.reason ?? null;
    case 'ESCALATE':
      return escalationHistoryReason(escalationOf(event.actor, event.byName));
    case 'PHASE_DONE': {
      const q = event.result?.quality;
      return q?.low
        ? `${event.phase}#${event.index}; quality_low ${q.overall} < ${q.threshold} (${q.method})${q.gate ? '; quality gate' : ''}`
        : `${event.phase}#${event.index}`;
    }
    case 'PHASE_STARTED':
      return `${event.phase}#${event.index}`;
    default:
      return null;
  }
}
