// What the reconciler compares with the queues: courses Postgres says are running, and
// the record of each phase job it put back.
import { Injectable } from '@nestjs/common';
import type { CourseContext } from '../../pipeline/course.types';
import { SystemDb } from './system-db';

export interface RunningCourseRow {
  id: string;
  organization_id: string;
  tier: string;
  context: CourseContext | null;
}

export interface ReenqueuedJob {
  organizationId: string;
  courseId: string;
  jobId: string;
  message: string;
  metadata: Record<string, unknown>;
}

@Injectable()
export class ReconcilerSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * Queued and generating courses (not awaiting approval) whose state has not changed for
   * a moment: a fresh transition's outbox may simply not have been carried out yet.
   */
  runningCourses(): Promise<RunningCourseRow[]> {
    return this.db.autocommit.query<RunningCourseRow>(
      `SELECT c.id, c.organization_id, o.tier, c.machine_snapshot->'context' AS context
         FROM courses c JOIN organizations o ON o.id = c.organization_id
        WHERE c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\\_awaiting\\_approval'
          AND coalesce(c.last_progress_update, c.updated_at) < now() - interval '2 seconds'`,
    );
  }

  async recordReenqueued(j: ReenqueuedJob): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata)
       VALUES ('job_reenqueued', 'warn', $1, $2, $3, $4, $5)`,
      [j.organizationId, j.courseId, j.jobId, j.message, j.metadata],
    );
  }
}
