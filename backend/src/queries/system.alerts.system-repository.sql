-- Queries of backend/src/repositories/system/alerts.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- AlertsSystemRepository.openAlerts
SELECT * FROM alerts WHERE cleared_at IS NULL

-- AlertsSystemRepository.raise
INSERT INTO alerts (organization_id, course_id, kind, subject, details) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (kind, subject) WHERE cleared_at IS NULL DO NOTHING RETURNING *

-- AlertsSystemRepository.clear
UPDATE alerts SET cleared_at = now() WHERE id = $1 AND cleared_at IS NULL RETURNING *

-- AlertsSystemRepository.coursesInProgress
SELECT c.id, c.organization_id, c.generation_status, c.percentage, c.since, c.since < now() - make_interval(secs => $1) AS stalled
FROM (
  SELECT c.id, c.organization_id, c.generation_status, coalesce((c.machine_snapshot->'context'->>'percentage')::int, 0) AS percentage,
         coalesce((SELECT min(h.created_at) FROM generation_status_history h
                    WHERE h.course_id = c.id
                      AND h.id > coalesce((SELECT max(h2.id) FROM generation_status_history h2
                                            WHERE h2.course_id = c.id
                                              AND h2.percentage <> coalesce((c.machine_snapshot->'context'->>'percentage')::int, 0)), 0)),
                  c.updated_at) AS since
    FROM courses c
   WHERE c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\_awaiting\_approval'
) c

-- AlertsSystemRepository.recordMetric
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7)

-- AlertsSystemRepository.recordEscalationOnce
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
SELECT 'approval_escalated', 'warn', $1, $2, $3, $4
 WHERE NOT EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'approval_escalated' AND course_id = $2 AND metadata->>'gateKey' = $5)
