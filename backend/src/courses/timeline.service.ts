// A course's flight recorder: on one time axis the machine's transitions (status
// history), every model call (with its label: first try, retry, fallback, repair,
// rerun), the reviewers' decisions, and the running cost; plus the cost by stage and
// model for the course page's chart. Never prompts or answers: every role may read it.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { Queryable, TenantDb } from '../repositories/tenant/tenant-db';
import { CourseNotFoundError } from '../orchestrator/course-orchestrator';

export const TIMELINE_LIMIT = 5000;

@Injectable()
export class TimelineService {
  constructor(private readonly tenant: TenantDb) {}

  timeline(user: AuthUser, id: string) {
    return this.tenant.run(user.organizationId, (db) => this.read(db, user.organizationId, id));
  }

  private async read(db: Queryable, organizationId: string, id: string) {
    const [course] = await db.query(`SELECT generation_started_at FROM courses WHERE id = $1 AND organization_id = $2`, [id, organizationId]);
    if (!course) throw new CourseNotFoundError(id);
    const transitions = await db.query(
      `SELECT created_at AS at, 'transition' AS kind, event || ': ' || from_status || ' → ' || to_status AS label, stage, phase,
              from_status AS "from", to_status AS "to", percentage, run, reason
         FROM generation_status_history WHERE course_id = $1 ORDER BY id LIMIT ${TIMELINE_LIMIT}`,
      [id],
    );
    const calls = await db.query(
      `SELECT created_at AS at, 'call' AS kind, step_name AS label, stage, phase, model_used AS model, label AS "callLabel",
              duration_ms AS "durationMs", cost_usd::text AS "costUsd", error_data IS NOT NULL AS error, run, attempt
         FROM generation_trace WHERE course_id = $1 ORDER BY created_at, id LIMIT ${TIMELINE_LIMIT}`,
      [id],
    );
    const approvals = await db.query(
      `SELECT a.created_at AS at, 'approval' AS kind, a.decision || ' stage ' || a.stage || ' (' || a.action || ')' AS label,
              'stage_' || a.stage AS stage, NULL AS phase, a.comment, a.reasons, a.decided_role AS role
         FROM approvals a WHERE a.course_id = $1 ORDER BY a.created_at LIMIT ${TIMELINE_LIMIT}`,
      [id],
    );
    const costByStageModel = await db.query(
      `SELECT stage, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_rollup WHERE course_id = $1 GROUP BY stage, model ORDER BY stage, model`,
      [id],
    );
    const iso = (d: Date | string) => new Date(d).toISOString();
    const events = [...transitions, ...calls, ...approvals]
      .map((e) => ({ ...e, at: iso(e.at) }))
      .sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
    let total = 0;
    const cost = calls.map((c: { at: Date; costUsd: string }) => {
      total += Number(c.costUsd);
      return { at: iso(c.at), totalUsd: Number(total.toFixed(8)) };
    });
    return { startedAt: course.generation_started_at ? iso(course.generation_started_at) : null, events, cost, costByStageModel };
  }
}
