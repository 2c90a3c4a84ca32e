// The dashboard's home in numbers, all SQL aggregates over the caller's organization:
// course counts, cost today and this month, cost by day × model and tokens by stage
// (from the daily cost rollup, never from generation_trace rows), and stage durations
// p50 / p95 from the status history.
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import { Queryable, TenantDb } from '../repositories/tenant/tenant-db';

export const OVERVIEW_DAYS = 30;

export interface Overview {
  counts: { generating: number; queued: number; awaitingApproval: number; failed24h: number; completed24h: number; total: number };
  cost: { todayUsd: string; monthUsd: string };
  costByDay: { day: string; model: string; costUsd: string }[];
  tokensByStage: { stage: string; inputTokens: number; outputTokens: number; calls: number }[];
  stageDurations: { stage: string; runs: number; p50Seconds: number; p95Seconds: number }[];
  days: number;
}

@Injectable()
export class OverviewService {
  constructor(private readonly tenant: TenantDb) {}

  /** One transaction in the organization's row-level-security scope (the SQL scopes it too). */
  overview(user: AuthUser): Promise<Overview> {
    return this.tenant.run(user.organizationId, (db) => this.read(db, user.organizationId));
  }

  private async read(db: Queryable, org: string): Promise<Overview> {
    const [counts] = await db.query(
      `SELECT count(*) FILTER (WHERE status = 'generating' AND generation_status NOT LIKE '%\\_awaiting\\_approval')::int AS generating,
              count(*) FILTER (WHERE status = 'queued')::int AS queued,
              count(*) FILTER (WHERE generation_status LIKE '%\\_awaiting\\_approval')::int AS "awaitingApproval",
              count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '24 hours')::int AS "failed24h",
              count(*) FILTER (WHERE status = 'completed' AND updated_at > now() - interval '24 hours')::int AS "completed24h",
              count(*)::int AS total
         FROM courses WHERE organization_id = $1`,
      [org],
    );
    // The rollup's day is the trace's UTC day; "today" and "this month" are UTC too.
    const [cost] = await db.query(
      `SELECT coalesce(sum(cost_usd) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS "todayUsd",
              coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS "monthUsd"
         FROM cost_daily_rollup
        WHERE organization_id = $1 AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date`,
      [org],
    );
    const since = `day > (now() AT TIME ZONE 'UTC')::date - ${OVERVIEW_DAYS}`;
    const costByDay = await db.query(
      `SELECT to_char(day, 'YYYY-MM-DD') AS day, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_rollup WHERE organization_id = $1 AND ${since}
        GROUP BY day, model ORDER BY day, model`,
      [org],
    );
    const tokensByStage = await db.query(
      `SELECT stage, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(calls)::int AS calls
         FROM cost_daily_rollup WHERE organization_id = $1 AND ${since}
        GROUP BY stage ORDER BY stage`,
      [org],
    );
    // A stage's duration in one run: the time spent in the state stage_N (gate waits
    // excluded), counted only once the course has left that stage.
    const stageDurations = await db.query(
      `WITH h AS (
         SELECT course_id, run, to_status,
                extract(epoch FROM lead(created_at) OVER w - created_at) AS seconds,
                lead(to_status) OVER w AS next_status
           FROM generation_status_history
          WHERE organization_id = $1 AND created_at > now() - interval '${OVERVIEW_DAYS} days'
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
      [org],
    );
    return { counts, cost, costByDay, tokensByStage, stageDurations, days: OVERVIEW_DAYS };
  }
}
