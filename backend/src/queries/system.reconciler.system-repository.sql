-- Queries of backend/src/repositories/system/reconciler.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- ReconcilerSystemRepository.runningCourses
SELECT c.id, c.organization_id, o.tier, c.machine_snapshot->'context' AS context
 FROM courses c JOIN organizations o ON o.id = c.organization_id
WHERE c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\_awaiting\_approval'
  AND coalesce(c.last_progress_update, c.updated_at) < now() - interval '2 seconds'

-- ReconcilerSystemRepository.recordReenqueued
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata)
VALUES ('job_reenqueued', 'warn', $1, $2, $3, $4, $5)
