-- Queries of backend/src/repositories/tenant/overview.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- OverviewRepository.courseCounts
SELECT coalesce(sum(n) FILTER (WHERE status = 'generating' AND generation_status <> ALL($2::text[])), 0)::int AS generating,
     coalesce(sum(n) FILTER (WHERE status = 'queued'), 0)::int AS queued,
     coalesce(sum(n) FILTER (WHERE generation_status = ANY($2::text[])), 0)::int AS "awaitingApproval",
     (SELECT count(*)::int FROM courses c WHERE c.organization_id = $1 AND c.status = 'failed' AND c.updated_at > now() - interval '24 hours') AS "failed24h",
     (SELECT count(*)::int FROM courses c WHERE c.organization_id = $1 AND c.status = 'completed' AND c.updated_at > now() - interval '24 hours') AS "completed24h",
     coalesce(sum(n), 0)::int AS total
FROM course_status_counts WHERE organization_id = $1

-- OverviewRepository.costTodayAndMonth
SELECT coalesce(sum(cost_usd) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS "todayUsd",
      coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS "monthUsd"
 FROM cost_daily_org_rollup
WHERE organization_id = $1 AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date

-- OverviewRepository.costByDay
SELECT to_char(day, 'YYYY-MM-DD') AS day, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
 FROM cost_daily_org_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
GROUP BY day, model ORDER BY day, model

-- OverviewRepository.tokensByStage
SELECT stage, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(calls)::int AS calls
 FROM cost_daily_org_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
GROUP BY stage ORDER BY stage

-- OverviewRepository.stageDurations
WITH b AS (
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
  FROM c GROUP BY stage ORDER BY stage
