-- Queries of backend/src/repositories/system/courses.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- CourseEventTransaction.lockCourse
SELECT id, organization_id, generation_status, generation_progress, generation_run, machine_snapshot, version, webhook_url,
     (SELECT coalesce(sum(r.cost_usd), 0)::text FROM cost_daily_rollup r WHERE r.course_id = courses.id) AS cost_usd
FROM courses WHERE id = $1 FOR UPDATE

-- CourseEventTransaction.recordRefusedEvent
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
VALUES ('event_refused', 'warn', $1, $2, $3, $4)

-- CourseEventTransaction.writeTransition
WITH moved AS (
  UPDATE courses SET
     machine_snapshot = $3, generation_status = $4, status = $5, generation_progress = $6,
     generation_run = $7, error_message = $8, error_details = $9,
     generation_started_at = CASE WHEN $4 = 'queued' AND ($10 OR generation_started_at IS NULL) THEN $11::timestamptz ELSE generation_started_at END,
     generation_completed_at = CASE WHEN $4 = 'completed' THEN $11::timestamptz WHEN $4 = 'queued' THEN NULL ELSE generation_completed_at END,
     restarted_at = CASE WHEN $10 THEN $11::timestamptz ELSE restarted_at END,
     last_progress_update = $11,
     -- updated_at moves when what a list shows moves (status, stage, percentage, an
     -- error); a transition that only changes the progress message and the snapshot (a
     -- phase starting) leaves every indexed column as it was, so Postgres updates the row
     -- in place (HOT) instead of adding an entry to each of its indexes.
     updated_at = CASE WHEN generation_status IS DISTINCT FROM $4 OR status IS DISTINCT FROM $5 OR generation_run IS DISTINCT FROM $7
                         OR percentage IS DISTINCT FROM coalesce(($6::jsonb->>'percentage')::int, 0)
                         OR error_message IS DISTINCT FROM $8 OR $10 THEN $11::timestamptz ELSE updated_at END,
     version = version + 1
   WHERE id = $1 AND version = $2
   RETURNING id, organization_id
), history AS (
  INSERT INTO generation_status_history
    (course_id, organization_id, from_status, to_status, event, actor_type, actor_id, reason, stage, phase, percentage, run)
  SELECT id, organization_id, $12::text, $4::text, $13::text, $14::text, $15::text, $16::text, $17::text, $18::text, $19::int, $7::int FROM moved
)
INSERT INTO outbox (course_id, kind, payload)
SELECT moved.id, e.entry->>'kind', e.entry->'payload'
  FROM moved, jsonb_array_elements($20::jsonb) WITH ORDINALITY AS e(entry, n)
 ORDER BY e.n
RETURNING id

-- CoursesSystemRepository.organizationsOf
SELECT id, organization_id FROM courses WHERE id = ANY($1::uuid[])

-- CoursesSystemRepository.webhookTarget
SELECT webhook_url, organization_id FROM courses WHERE id = $1
