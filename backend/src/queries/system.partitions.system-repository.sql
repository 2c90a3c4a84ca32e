-- Queries of backend/src/repositories/system/partitions.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- PartitionsSystemRepository.ensureAhead
SELECT pg_advisory_xact_lock($1)

-- PartitionsSystemRepository.dropBefore
SELECT pg_advisory_xact_lock($1)

-- PartitionsSystemRepository.dropBefore
DELETE FROM generation_trace_keys WHERE created_at < $1::timestamptz

-- PartitionsSystemRepository.list
SELECT p.relname AS "table", c.relname AS partition,
      coalesce((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'FROM \(''([^'']+)''\)'))[1], '') AS "from",
      coalesce((regexp_match(pg_get_expr(c.relpartbound, c.oid), 'TO \(''([^'']+)''\)'))[1], '') AS "to",
      greatest(c.reltuples, 0)::int AS rows
 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_class p ON p.oid = i.inhparent
WHERE p.relname = ANY($1::text[])
ORDER BY p.relname, c.relname
