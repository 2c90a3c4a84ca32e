-- Queries of backend/src/repositories/tenant/courses.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- COST
(SELECT coalesce(sum(r.cost_usd), 0) FROM cost_daily_rollup r WHERE r.course_id = c.id) AS cost_usd

-- CoursesRepository.find
SELECT ${COURSE_COLUMNS}, ${COST}${withContext ? `, c.machine_snapshot->'context' AS context` : ''}
FROM courses c WHERE c.id = $1 AND c.organization_id = $2

-- CoursesRepository.outputs
SELECT analysis_result, course_structure, generation_metadata FROM courses WHERE id = $1

-- CoursesRepository.statusExtras
SELECT c.generation_metadata, c.course_structure,
     (SELECT model_used FROM generation_trace t WHERE t.course_id = c.id ORDER BY t.created_at DESC LIMIT 1) AS current_model
FROM courses c WHERE c.id = $1

-- CoursesRepository.defaultApprovalGates
SELECT default_approval_gates FROM organizations WHERE id = $1

-- CoursesRepository.requiresDistinctApprover
SELECT require_distinct_approver FROM organizations WHERE id = $1

-- CoursesRepository.insert
INSERT INTO courses (organization_id, created_by, title, description, language, content_style, approval_gates, webhook_url, approval_sla_minutes, budget_usd, generation_progress)
VALUES ($1, $2, $3, $4, $5, $6, $7, $10, $11, $12, jsonb_build_object(
  'percentage', 0, 'message', '', 'current_step', 0, 'current_stage', NULL, 'steps', '[]'::jsonb,
  'has_documents', $8::boolean, 'document_size', $9::int, 'lessons_completed', 0, 'lessons_total', 0,
  'started_at', NULL, 'estimated_completion', NULL))
RETURNING id

-- CoursesRepository.deleteNeverRun
SELECT generation_status, (generation_status <> 'idle' OR generation_started_at IS NOT NULL OR generation_run > 0) AS ran
FROM courses WHERE id = $1 AND organization_id = $2 FOR UPDATE

-- CoursesRepository.deleteNeverRun
DELETE FROM courses WHERE id = $1 AND organization_id = $2

-- CoursesRepository.update
UPDATE courses SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND organization_id = $2

-- CoursesRepository.lockStartLimit
SELECT max_concurrent_generations AS limit FROM organizations WHERE id = $1 FOR NO KEY UPDATE

-- CoursesRepository.countActive
SELECT count(*)::int AS active FROM courses WHERE organization_id = $1 AND status IN ('queued', 'generating')

-- CoursesRepository.startFacts
SELECT c.approval_gates, (SELECT count(*)::int FROM course_documents d WHERE d.course_id = c.id) AS documents
FROM courses c WHERE c.id = $1

-- CoursesRepository.recordConcurrencyLimitHit
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata) VALUES ('concurrency_limit_hit', 'warn', $1, $2, $3, $4)

-- CoursesRepository.setStartedBy
UPDATE courses SET started_by = $2 WHERE id = $1

-- CoursesRepository.clearGeneratedWork
DELETE FROM phase_outputs WHERE course_id = $1

-- CoursesRepository.clearGeneratedWork
DELETE FROM lessons WHERE course_id = $1

-- CoursesRepository.clearGeneratedWork
UPDATE courses SET analysis_result = NULL, course_structure = NULL, generation_metadata = NULL WHERE id = $1

-- CoursesRepository.deleteStageOutputs
DELETE FROM phase_outputs WHERE course_id = $1 AND stage = $2

-- CoursesRepository.averageItemCost
SELECT avg(per_item)::float8 AS avg FROM (
SELECT sum(cost_usd) AS per_item FROM generation_trace
 WHERE organization_id = $1 AND stage = $2 AND phase = $3
 GROUP BY course_id, run, ${TRACE_ITEM_SQL}) x

-- CoursesRepository.phaseDurationMedians
SELECT DISTINCT ON (stage, phase) stage, phase, median FROM (
  SELECT stage, phase, median_ms AS median, CASE WHEN provider = $2 THEN 1 ELSE 2 END AS rank
    FROM phase_duration_medians_org WHERE organization_id = $1 AND provider = ANY(ARRAY[$2, '']) AND samples >= ${MIN_OWN_SAMPLES}
  UNION ALL
  SELECT stage, phase, median_ms, CASE WHEN provider = $2 THEN 3 ELSE 4 END
    FROM phase_duration_medians_all WHERE provider = ANY(ARRAY[$2, ''])) m
ORDER BY stage, phase, rank
