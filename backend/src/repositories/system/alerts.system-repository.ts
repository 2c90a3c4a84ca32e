// Alerts the stall detector raises and clears (one open per kind and subject, whichever
// process finds it), the courses it watches, and the system_metrics rows of system work.
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

export interface AlertRow {
  id: string;
  organization_id: string | null;
  course_id: string | null;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
  raised_at: Date;
  cleared_at: Date | null;
}

export interface NewAlert {
  organizationId: string | null;
  courseId: string | null;
  kind: string;
  subject: string;
  details: Record<string, unknown>;
}

export interface StalledCourseRow {
  id: string;
  organization_id: string;
  generation_status: string;
  percentage: number;
  /** when the bar reached its current value */
  since: Date;
  /** since is longer ago than the threshold */
  stalled: boolean;
}

export interface SystemMetric {
  metricType: string;
  severity: 'info' | 'warn' | 'error';
  organizationId: string | null;
  courseId: string | null;
  jobId: string | null;
  message: string;
  metadata: Record<string, unknown>;
}

@Injectable()
export class AlertsSystemRepository {
  constructor(private readonly db: SystemDb) {}

  openAlerts(): Promise<AlertRow[]> {
    return this.db.autocommit.query<AlertRow>(`SELECT * FROM alerts WHERE cleared_at IS NULL`);
  }

  /** The alert, or null when one is open for its kind and subject already. */
  async raise(a: NewAlert): Promise<AlertRow | null> {
    const rows = await this.db.autocommit.query<AlertRow>(
      `INSERT INTO alerts (organization_id, course_id, kind, subject, details) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (kind, subject) WHERE cleared_at IS NULL DO NOTHING RETURNING *`,
      [a.organizationId, a.courseId, a.kind, a.subject, a.details],
    );
    return rows[0] ?? null;
  }

  /** The cleared alert, or null when it was cleared already. */
  async clear(id: string): Promise<AlertRow | null> {
    const rows = await this.db.autocommit.query<AlertRow>(`UPDATE alerts SET cleared_at = now() WHERE id = $1 AND cleared_at IS NULL RETURNING *`, [id]);
    return rows[0] ?? null;
  }

  /**
   * Queued and generating courses (not awaiting approval) with when their bar reached
   * its current value: the first history row after the last row that showed another
   * value (no history at all: the course's last update).
   */
  coursesInProgress(thresholdSeconds: number): Promise<StalledCourseRow[]> {
    return this.db.autocommit.query<StalledCourseRow>(
      `SELECT c.id, c.organization_id, c.generation_status, c.percentage, c.since, c.since < now() - make_interval(secs => $1) AS stalled
         FROM (
           SELECT c.id, c.organization_id, c.generation_status, coalesce((c.machine_snapshot->'context'->>'percentage')::int, 0) AS percentage,
                  coalesce((SELECT min(h.created_at) FROM generation_status_history h
                             WHERE h.course_id = c.id
                               AND h.id > coalesce((SELECT max(h2.id) FROM generation_status_history h2
                                                     WHERE h2.course_id = c.id
                                                       AND h2.percentage <> coalesce((c.machine_snapshot->'context'->>'percentage')::int, 0)), 0)),
                           c.updated_at) AS since
             FROM courses c
            WHERE c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\\_awaiting\\_approval'
         ) c`,
      [thresholdSeconds],
    );
  }

  async recordMetric(m: SystemMetric): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [m.metricType, m.severity, m.organizationId, m.courseId, m.jobId, m.message, m.metadata],
    );
  }

  /** An approval_escalated row for the gate, unless the gate has one already. */
  async recordEscalationOnce(e: {
    organizationId: string;
    courseId: string | null;
    gateKey: string;
    message: string;
    metadata: Record<string, unknown>;
  }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
       SELECT 'approval_escalated', 'warn', $1, $2, $3, $4
        WHERE NOT EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'approval_escalated' AND course_id = $2 AND metadata->>'gateKey' = $5)`,
      [e.organizationId, e.courseId, e.message, e.metadata, e.gateKey],
    );
  }
}
