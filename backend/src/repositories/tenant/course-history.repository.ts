// A course's past: its status history (a list with the react-admin conventions) and the
// flight recorder's rows — transitions, model calls and cost by stage and model.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf } from '../list-query';

export interface HistoryEntryRow {
  id: string;
  fromStatus: string | null;
  toStatus: string;
  event: string;
  actorType: string;
  actorId: string | null;
  reason: string | null;
  stage: string | null;
  phase: string | null;
  percentage: number | null;
  run: number | null;
  createdAt: Date;
}

export interface TimelineTransitionRow {
  at: Date;
  kind: 'transition';
  label: string;
  stage: string | null;
  phase: string | null;
  from: string | null;
  to: string;
  percentage: number | null;
  run: number | null;
  reason: string | null;
}

export interface TimelineCallRow {
  /** the trace the flight recorder's bar opens */
  traceId: string;
  at: Date;
  kind: 'call';
  label: string;
  stage: string | null;
  phase: string | null;
  model: string | null;
  callLabel: string | null;
  durationMs: number | null;
  costUsd: string;
  error: boolean;
  run: number | null;
  attempt: number | null;
}

export interface CostByStageModelRow {
  stage: string;
  model: string;
  costUsd: string;
}

export const HISTORY_SPEC: ListSpec = {
  sortable: { id: 'h.id', createdAt: 'h.created_at' },
  filters: { event: eq('h.event'), actorType: eq('h.actor_type') },
  defaultSort: ['id', 'ASC'],
  maxPage: 1000,
};

export const TIMELINE_LIMIT = 5000;

export class CourseHistoryRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the course's status history. */
  async history(id: string, query: Record<string, unknown>): Promise<{ rows: HistoryEntryRow[]; range: string }> {
    const { rows, range } = await pageOf(this.db, query, HISTORY_SPEC, {
      resource: 'history',
      from: 'generation_status_history h',
      tiebreak: 'h.id',
      idType: 'integer',
      select: `h.id::text, h.from_status AS "fromStatus", h.to_status AS "toStatus", h.event, h.actor_type AS "actorType",
               h.actor_id AS "actorId", h.reason, h.stage, h.phase, h.percentage, h.run, h.created_at AS "createdAt"`,
      scope: { sql: 'h.course_id = $1', params: [id] },
    });
    return { rows: rows as HistoryEntryRow[], range };
  }

  /** When the course's generation started, or undefined when there is no such course. */
  async startedAt(id: string): Promise<{ generation_started_at: Date | null } | undefined> {
    const [course] = await this.db.query<{ generation_started_at: Date | null }>(
      `SELECT generation_started_at FROM courses WHERE id = $1 AND organization_id = $2`,
      [id, this.organizationId],
    );
    return course;
  }

  timelineTransitions(id: string): Promise<TimelineTransitionRow[]> {
    return this.db.query<TimelineTransitionRow>(
      `SELECT created_at AS at, 'transition' AS kind, event || ': ' || from_status || ' → ' || to_status AS label, stage, phase,
              from_status AS "from", to_status AS "to", percentage, run, reason
         FROM generation_status_history WHERE course_id = $1 ORDER BY id LIMIT ${TIMELINE_LIMIT}`,
      [id],
    );
  }

  timelineCalls(id: string): Promise<TimelineCallRow[]> {
    return this.db.query<TimelineCallRow>(
      `SELECT id::text AS "traceId", created_at AS at, 'call' AS kind, step_name AS label, stage, phase, model_used AS model, label AS "callLabel",
              duration_ms AS "durationMs", cost_usd::text AS "costUsd", error_data IS NOT NULL AS error, run, attempt
         FROM generation_trace WHERE course_id = $1 ORDER BY created_at, id LIMIT ${TIMELINE_LIMIT}`,
      [id],
    );
  }

  costByStageModel(id: string): Promise<CostByStageModelRow[]> {
    return this.db.query<CostByStageModelRow>(
      `SELECT stage, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_rollup WHERE course_id = $1 GROUP BY stage, model ORDER BY stage, model`,
      [id],
    );
  }
}
