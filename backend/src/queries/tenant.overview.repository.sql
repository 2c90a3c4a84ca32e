-- Queries of backend/src/repositories/tenant/overview.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- OverviewRepository.courseCounts
SELECT count(*) FILTER (WHERE status = 'generating' AND generation_status NOT LIKE '%\_awaiting\_approval')::int AS generating,
     count(*) FILTER (WHERE status = 'queued')::int AS queued,
     count(*) FILTER (WHERE generation_status LIKE '%\_awaiting\_approval')::int AS "awaitingApproval",
     count(*) FILTER (WHERE status = 'failed' AND updated_at > now() - interval '24 hours')::int AS "failed24h",
     count(*) FILTER (WHERE status = 'completed' AND updated_at > now() - interval '24 hours')::int AS "completed24h",
     count(*)::int AS total
FROM courses WHERE organization_id = $1

-- OverviewRepository.costTodayAndMonth
SELECT coalesce(sum(cost_usd) FILTER (WHERE day = (now() AT TIME ZONE 'UTC')::date), 0)::numeric(18, 8)::text AS "todayUsd",
      coalesce(sum(cost_usd), 0)::numeric(18, 8)::text AS "monthUsd"
 FROM cost_daily_rollup
WHERE organization_id = $1 AND day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date

-- OverviewRepository.costByDay
SELECT to_char(day, 'YYYY-MM-DD') AS day, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
 FROM cost_daily_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
GROUP BY day, model ORDER BY day, model

-- OverviewRepository.tokensByStage
SELECT stage, sum(input_tokens)::float8 AS "inputTokens", sum(output_tokens)::float8 AS "outputTokens", sum(calls)::int AS calls
 FROM cost_daily_rollup WHERE organization_id = $1 AND day > (now() AT TIME ZONE 'UTC')::date - $2::int
GROUP BY stage ORDER BY stage

-- OverviewRepository.stageDurations
WITH h AS (
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
  FROM per_run GROUP BY stage ORDER BY stage
