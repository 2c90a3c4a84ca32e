-- Queries of backend/src/repositories/system/outbox.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- OutboxTransaction.claimPending
SELECT o.id, o.course_id, o.kind, o.payload, org.tier, c.webhook_url, c.organization_id,
      coalesce(c.approval_sla_minutes, org.approval_sla_minutes) AS sla_minutes, org.default_language,
      (o.kind = 'publishLive' AND o.payload->>'event' = 'course.updated' AND EXISTS (
         SELECT 1 FROM outbox n WHERE n.course_id = o.course_id AND n.kind = 'publishLive' AND n.payload->>'event' = 'course.updated' AND n.id > o.id)) AS superseded
 FROM outbox o
 LEFT JOIN courses c ON c.id = o.course_id
 LEFT JOIN organizations org ON org.id = c.organization_id
WHERE o.processed_at IS NULL AND o.attempts < 20
  ${f.ids ? 'AND o.id = ANY($1::bigint[])' : f.fresh ? '' : `AND (o.kind <> 'publishLive' OR o.created_at < now() - make_interval(secs => ${grace}))`}
ORDER BY o.id
LIMIT 500
FOR UPDATE OF o SKIP LOCKED

-- OutboxTransaction.recordFailure
UPDATE outbox SET attempts = attempts + 1, last_error = $2 WHERE id = $1

-- OutboxTransaction.markDone
UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[])

-- OutboxSystemRepository.markPublished
UPDATE outbox SET processed_at = now(), attempts = attempts + 1 WHERE id = ANY($1::bigint[]) AND processed_at IS NULL
