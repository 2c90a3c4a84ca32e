// The organization's side of its phase jobs: which of a set of course ids (read from the
// queues' job ids) are the organization's courses, and its courses that should have jobs
// running now. The BullMQ side is in repositories/queue.repository.ts.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import type { CourseContext } from '../../pipeline/course.types';

/** A course as the jobs view needs it: its title, state and the machine's step. */
export interface JobCourseRow {
  id: string;
  title: string;
  status: string;
  generation_status: string;
  generation_run: number;
  updated_at: Date;
  context: CourseContext | null;
  /** queued or generating, not at a gate, unchanged for a moment: its in-flight items should be in the queues */
  running: boolean;
}

export class JobsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /**
   * The organization's courses among `ids`, and every course of the organization that is
   * running (the reconciler's notion: queued or generating, not awaiting approval, its
   * state unchanged for `settledSeconds`).
   */
  coursesForJobs(ids: string[], settledSeconds: number): Promise<JobCourseRow[]> {
    return this.db.query<JobCourseRow>(
      `SELECT c.id, c.title, c.status, c.generation_status, c.generation_run, c.updated_at, c.machine_snapshot->'context' AS context,
              (c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\\_awaiting\\_approval'
                AND c.updated_at < now() - make_interval(secs => $3)) AS running
         FROM courses c
        WHERE c.organization_id = $1
          AND (c.id = ANY($2::uuid[]) OR (c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\\_awaiting\\_approval'))`,
      [this.organizationId, ids, settledSeconds],
    );
  }
}
