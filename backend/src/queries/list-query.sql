-- Queries of backend/src/repositories/list-query.ts, written by `npm run sql:snapshots`; do not edit.

-- pageOf
SELECT ${src.select} FROM ${src.from} WHERE ${where} ORDER BY ${q.orderBy}, ${src.tiebreak} ${q.direction} LIMIT ${q.limit} OFFSET ${q.offset}

-- pageOf
SELECT count(*)::int AS total FROM (SELECT 1 FROM ${src.from} WHERE ${where} LIMIT ${COUNT_CAP + 1}) capped
