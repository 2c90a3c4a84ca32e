// The course row as the orchestrator changes it: one transaction per event (as mc_app
// for a person's event, as the owner for system work), the row locked, the refused
// event recorded, or the new state, its history row and its outbox rows written in one
// statement. Also the few course reads of the sweeps (stall detector).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
import { tenantSetup } from '../tenant/tenant-db';
import { TenantRepositories } from '../tenant/tenant-scope';
import { SystemDb } from './system-db';
import type { PersistedCourse } from '../../pipeline/course.runtime';
import type { GenerationProgress } from '../../orchestrator/progress';

export interface CourseRowLocked {
  id: string;
  organization_id: string;
  generation_status: string;
  generation_progress: GenerationProgress;
  generation_run: number;
  machine_snapshot: PersistedCourse | null;
  version: number;
  webhook_url: string | null;
  /** what the course's model calls cost so far (the cost rollup, kept by the trace triggers) */
  cost_usd: string;
}

export interface RefusedEvent {
  organizationId: string;
  courseId: string;
  message: string;
  metadata: Record<string, unknown>;
}

export interface TransitionWrite {
  courseId: string;
  /** the version read under the lock: nothing is written when another transaction moved it on */
  version: number;
  snapshot: PersistedCourse;
  generationStatus: string;
  status: string;
  progress: GenerationProgress;
  run: number;
  errorMessage: string | null;
  errorDetails: Record<string, unknown> | null;
  restart: boolean;
  now: Date;
  history: {
    from: string;
    event: string;
    actorType: string;
    actorId: string;
    reason: string | null;
    stage: string | null;
    phase: string | null;
    percentage: number;
  };
  /** the outbox rows, in order */
  outbox: { kind: string; payload: unknown }[];
}

/** One event's transaction. */
export class CourseEventTransaction {
  private tenantRepos: TenantRepositories | null = null;

  constructor(
    /** what system callbacks of the orchestrator get (SystemApplyOptions) */
    readonly db: Queryable,
    private readonly organizationId: string | undefined,
  ) {}

  /** The tenant repositories of this transaction (a person's event only). */
  get tenant(): TenantRepositories {
    if (this.organizationId === undefined) throw new Error('a system transaction has no tenant repositories');
    return (this.tenantRepos ??= new TenantRepositories(this.db, this.organizationId));
  }

  async lockCourse(courseId: string): Promise<CourseRowLocked | null> {
    const rows = await this.db.query<CourseRowLocked>(
      `SELECT id, organization_id, generation_status, generation_progress, generation_run, machine_snapshot, version, webhook_url,
              (SELECT coalesce(sum(r.cost_usd), 0)::text FROM cost_daily_rollup r WHERE r.course_id = courses.id) AS cost_usd
         FROM courses WHERE id = $1 FOR UPDATE`,
      [courseId],
    );
    return rows[0] ?? null;
  }

  async recordRefusedEvent(e: RefusedEvent): Promise<void> {
    await this.db.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
       VALUES ('event_refused', 'warn', $1, $2, $3, $4)`,
      [e.organizationId, e.courseId, e.message, e.metadata],
    );
  }

  /**
   * The new state, its history row and its effects in one statement (one round trip);
   * the version guard makes it write nothing when another transaction got there first.
   * Returns the ids of the outbox rows written (none when the version moved).
   */
  async writeTransition(t: TransitionWrite): Promise<string[]> {
    const written = await this.db.query<{ id: string }>(
      `WITH moved AS (
         UPDATE courses SET
            machine_snapshot = $3, generation_status = $4, status = $5, generation_progress = $6,
            generation_run = $7, error_message = $8, error_details = $9,
            generation_started_at = CASE WHEN $4 = 'queued' AND ($10 OR generation_started_at IS NULL) THEN $11::timestamptz ELSE generation_started_at END,
            generation_completed_at = CASE WHEN $4 = 'completed' THEN $11::timestamptz WHEN $4 = 'queued' THEN NULL ELSE generation_completed_at END,
            restarted_at = CASE WHEN $10 THEN $11::timestamptz ELSE restarted_at END,
            last_progress_update = $11,
            -- updated_at moves when what a list shows moves (status, stage, percentage, an
            -- error); a transition that only changes the progress message and the snapshot (a
            -- phase starting) leaves every indexed column as it was, so Postgres updates the row
            -- in place (HOT) instead of adding an entry to each of its indexes.
            updated_at = CASE WHEN generation_status IS DISTINCT FROM $4 OR status IS DISTINCT FROM $5 OR generation_run IS DISTINCT FROM $7
                                OR percentage IS DISTINCT FROM coalesce(($6::jsonb->>'percentage')::int, 0)
                                OR error_message IS DISTINCT FROM $8 OR $10 THEN $11::timestamptz ELSE updated_at END,
            version = version + 1
          WHERE id = $1 AND version = $2
          RETURNING id, organization_id
       ), history AS (
         INSERT INTO generation_status_history
           (course_id, organization_id, from_status, to_status, event, actor_type, actor_id, reason, stage, phase, percentage, run)
         SELECT id, organization_id, $12::text, $4::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::int, $7::int FROM moved
       )
       INSERT INTO outbox (course_id, kind, payload)
       SELECT moved.id, e.entry->>'kind', e.entry->'payload'
         FROM moved, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS e(entry, n)
        ORDER BY e.n
       RETURNING id`,
      [
        t.courseId,
        t.version,
        t.snapshot,
        t.generationStatus,
        t.status,
        t.progress,
        t.run,
        t.errorMessage,
        t.errorDetails,
        t.restart,
        t.now,
        t.history.from,
        t.history.event,
        t.history.actorType,
        t.history.actorId,
        t.history.reason,
        t.history.stage,
        t.history.phase,
        t.history.percentage,
        JSON.stringify(t.outbox),
      ],
    );
    return written.map((w) => String(w.id));
  }
}

@Injectable()
export class CoursesSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * One transaction for one event: as mc_app for `organizationId` when given (row-level
   * security: a course of another organization is not found), else as the owner.
   */
  inEventTransaction<T>(organizationId: string | undefined, fn: (tx: CourseEventTransaction) => Promise<T>): Promise<T> {
    const setup = organizationId !== undefined ? tenantSetup(organizationId) : undefined;
    return this.db.run((db) => fn(new CourseEventTransaction(db, organizationId)), { setup });
  }

  /** The organization of each course (courses that do not exist are left out). */
  async organizationsOf(courseIds: string[]): Promise<{ id: string; organization_id: string }[]> {
    return this.db.autocommit.query(`SELECT id, organization_id FROM courses WHERE id = ANY($1::uuid[])`, [courseIds]);
  }

  /** Where a course's webhooks go (null when the course is gone). */
  async webhookTarget(courseId: string): Promise<{ webhook_url: string | null; organization_id: string } | null> {
    const [course] = await this.db.autocommit.query<{ webhook_url: string | null; organization_id: string }>(
      `SELECT webhook_url, organization_id FROM courses WHERE id = $1`,
      [courseId],
    );
    return course ?? null;
  }
}
