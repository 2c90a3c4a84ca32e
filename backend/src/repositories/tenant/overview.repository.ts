// The overview page's aggregates: courses by state, cost and tokens, stage durations.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import { AWAITING_STATES } from './courses.repository';

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

  /**
   * Courses by state from course_status_counts (kept by a trigger on courses in each
   * change's own transaction); failed and completed in 24 h from their partial indexes.
   */
  async courseCounts(): Promise<CourseCountsRow> {
    const [counts] = await this.db.query<CourseCountsRow>(
      `SELECT coalesce(sum(n) FILTER (WHERE status = 'generating' AND generation_status <> ALL($2::text[])), 0)::int AS generating,
              coalesce(sum(n) FILTER (WHERE status = 'queued'), 0)::int AS queued,
              coalesce(sum(n) FILTER (WHERE generation_status = ANY($2::text[])), 0)::int AS "awaitingApproval",
              (SELECT count(*)::int FROM courses c WHERE c.organization_id = $1 AND c.status = 'failed' AND c.updated_at > now() - interval '24 hours') AS "failed24h",
              (SELECT count(*)::int FROM courses c WHERE c.organization_id = $1 AND c.status = 'completed' AND c.updated_at > now() - interval '24 hours') AS "completed24h",
              coalesce(sum(n), 0)::int AS total
         FROM course_status_counts WHERE organization_id = $1`,
      [this.organizationId, AWAITING_STATES],
    );
    return counts;
  }

  /** Cost today and this month (the per-organization rollup); the rollup's day is the trace's UTC day, and "today" and "this month" are UTC too. */
  async costTodayAndMonth(): Promise<CostTodayRow> {
    const [cost] = await this.db.query<CostTodayRow>(
      `SELECT coalesce(sum(cost_usd) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS "todayUsd",
              coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS "monthUsd"
         FROM cost_daily_org_rollup
        WHERE organization_id = $1 AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
      [this.organizationId],
    );
    return cost;
  }

  /** Cost per UTC day and model over the last `days` days. */
  costByDay(days: number): Promise<CostByDayRow[]> {
    return this.db.query<CostByDayRow>(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_org_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
        GROUP BY day, model ORDER BY day, model`,
      [this.organizationId, days],
    );
  }

  /** Tokens and calls per stage over the last `days` days. */
  tokensByStage(days: number): Promise<TokensByStageRow[]> {
    return this.db.query<TokensByStageRow>(
      `SELECT stage, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(calls)::int AS calls
         FROM cost_daily_org_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
        GROUP BY stage ORDER BY stage`,
      [this.organizationId, days],
    );
  }

  /**
   * Stage durations p50 / p95 of the runs whose stage ended in the last `days` days. A
   * stage's duration in one run is the time spent in the state stage_N (gate waits
   * excluded), recorded when the course leaves it (stage_durations); the percentiles come
   * from the daily histogram of those durations (stage_duration_daily, buckets 5 % wide:
   * each figure is its bucket's middle, within 2.5 % of the exact one).
   */
  stageDurations(days: number): Promise<StageDurationRow[]> {
    return this.db.query<StageDurationRow>(
      `WITH b AS (
         SELECT stage, bucket, sum(n) AS n FROM stage_duration_daily
          WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
          GROUP BY stage, bucket HAVING sum(n) > 0
       ), c AS (
         SELECT stage, bucket, exp((bucket + 0.5) * ln(1.05)) - 1 AS seconds,
                sum(n) OVER (PARTITION BY stage ORDER BY bucket) AS upto, sum(n) OVER (PARTITION BY stage) AS runs
           FROM b
       )
       SELECT stage, max(runs)::int AS runs,
              round(min(seconds) FILTER (WHERE upto >= 0.5 * runs)::numeric, 2)::float8 AS "p50Seconds",
              round(min(seconds) FILTER (WHERE upto >= 0.95 * runs)::numeric, 2)::float8 AS "p95Seconds"
         FROM c GROUP BY stage ORDER BY stage`,
      [this.organizationId, days],
    );
  }
}
