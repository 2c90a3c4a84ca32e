// The overview page's aggregates: courses by state, cost and tokens, stage durations.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';

export interface CourseCountsRow {
  generating: number;
  queued: number;
  awaitingApproval: number;
  failed24h: number;
  completed24h: number;
  total: number;
}

export interface CostTodayRow {
  todayUsd: string;
  monthUsd: string;
}

export interface CostByDayRow {
  day: string;
  model: string;
  costUsd: string;
}

export interface TokensByStageRow {
  stage: string;
  inputTokens: number;
  outputTokens: number;
  calls: number;
}

export interface StageDurationRow {
  stage: string;
  runs: number;
  p50Seconds: number;
  p95Seconds: number;
}

export class OverviewRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  async courseCounts(): Promise<CourseCountsRow> {
    const [counts] = await this.db.query<CourseCountsRow>(
      `SELECT count(*) FILTER (WHERE status = 'generating' AND generation_status NOT LIKE '%\\_awaiting\\_approval')::int AS generating,
              count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE generation_status LIKE '%\\_awaiting\\_approval')::int AS "awaitingApproval",
              count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '24 hours')::int AS "failed24h",
              count(*) FILTER (WHERE status = 'completed' AND updated_at > now() - interval '24 hours')::int AS "completed24h",
              count(*)::int AS total
         FROM courses WHERE organization_id = $1`,
      [this.organizationId],
    );
    return counts;
  }

  /** Cost today and this month; the rollup's day is the trace's UTC day, and "today" and "this month" are UTC too. */
  async costTodayAndMonth(): Promise<CostTodayRow> {
    const [cost] = await this.db.query<CostTodayRow>(
      `SELECT coalesce(sum(cost_usd) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS "todayUsd",
              coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS "monthUsd"
         FROM cost_daily_rollup
        WHERE organization_id = $1 AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
      [this.organizationId],
    );
    return cost;
  }

  /** Cost per UTC day and model over the last `days` days. */
  costByDay(days: number): Promise<CostByDayRow[]> {
    return this.db.query<CostByDayRow>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
        GROUP BY day, model ORDER BY day, model`,
      [this.organizationId, days],
    );
  }

  /** Tokens and calls per stage over the last `days` days. */
  tokensByStage(days: number): Promise<TokensByStageRow[]> {
    return this.db.query<TokensByStageRow>(
      `SELECT stage, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(calls)::int AS calls
         FROM cost_daily_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
        GROUP BY stage ORDER BY stage`,
      [this.organizationId, days],
    );
  }

  /**
   * Stage durations p50 / p95 over the last `days` days. A stage's duration in one run:
   * the time spent in the state stage_N (gate waits excluded), counted only once the
   * course has left that stage.
   */
  stageDurations(days: number): Promise<StageDurationRow[]> {
    return this.db.query<StageDurationRow>(
      `WITH h AS (
         SELECT course_id, run, to_status,
                extract(epoch FROM lead(created_at) OVER w - created_at) AS seconds,
                lead(to_status) OVER w AS next_status
           FROM generation_status_history
          WHERE organization_id = $1 AND created_at > now() - make_interval(days => $2::int)
         WINDOW w AS (PARTITION BY course_id ORDER BY id)
       ), per_run AS (
         SELECT course_id, run, to_status AS stage, sum(seconds) AS seconds
           FROM h WHERE to_status ~ '^stage_[2-6]$' AND seconds IS NOT NULL
          GROUP BY course_id, run, to_status
         HAVING bool_or(next_status IS DISTINCT FROM to_status)
       )
       SELECT stage, count(*)::int AS runs,
              round(percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds)::numeric, 2)::float8 AS "p50Seconds",
              round(percentile_cont(0.95) WITHIN GROUP (ORDER BY seconds)::numeric, 2)::float8 AS "p95Seconds"
         FROM per_run GROUP BY stage ORDER BY stage`,
      [this.organizationId, days],
    );
  }
}
