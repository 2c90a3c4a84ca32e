-- Queries of backend/src/repositories/tenant/jobs.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- JobsRepository.coursesForJobs
SELECT c.id, c.title, c.status, c.generation_status, c.generation_run, c.updated_at, c.machine_snapshot->'context' AS context,
      (c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\_awaiting\_approval'
        AND c.updated_at < now() - make_interval(secs => $3)) AS running
 FROM courses c
WHERE c.organization_id = $1
  AND (c.id = ANY($2::uuid[]) OR (c.status IN ('queued', 'generating') AND c.generation_status NOT LIKE '%\_awaiting\_approval'))
