-- Queries of backend/src/repositories/system/deadlines.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- DeadlinesSystemRepository.setDeadline
INSERT INTO gate_deadlines (course_id, gate_key, stage, due_at) VALUES ($1, $2, $3, now() + make_interval(mins => $4))
ON CONFLICT DO NOTHING

-- DeadlinesSystemRepository.claimDue
UPDATE gate_deadlines SET escalated_at = now()
WHERE (course_id, gate_key) IN (
  SELECT course_id, gate_key FROM gate_deadlines WHERE escalated_at IS NULL AND due_at <= now()
  ORDER BY due_at LIMIT 100 FOR UPDATE SKIP LOCKED)
RETURNING course_id, gate_key
