-- Queries of backend/src/repositories/tenant/course-history.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- CourseHistoryRepository.startedAt
SELECT generation_started_at FROM courses WHERE id = $1 AND organization_id = $2

-- CourseHistoryRepository.timelineTransitions
SELECT created_at AS at, 'transition' AS kind, event || ': ' || from_status || ' → ' || to_status AS label, stage, phase,
     from_status AS "from", to_status AS "to", percentage, run, reason
FROM generation_status_history WHERE course_id = $1 ORDER BY id LIMIT ${TIMELINE_LIMIT}

-- CourseHistoryRepository.timelineCalls
SELECT id::text AS "traceId", created_at AS at, 'call' AS kind, step_name AS label, stage, phase, model_used AS model, label AS "callLabel",
     duration_ms AS "durationMs", cost_usd::text AS "costUsd", error_data IS NOT NULL AS error, run, attempt
FROM generation_trace WHERE course_id = $1 ORDER BY created_at, id LIMIT ${TIMELINE_LIMIT}

-- CourseHistoryRepository.costByStageModel
SELECT stage, model, sum(cost_usd)::numeric(18, 8)::text AS "costUsd"
FROM cost_daily_rollup WHERE course_id = $1 GROUP BY stage, model ORDER BY stage, model
