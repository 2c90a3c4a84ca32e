-- Queries of backend/src/repositories/system/medians.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- ITEMS
SELECT organization_id, coalesce(provider, '') AS provider, stage, phase, extract(epoch FROM done_at - started_at) * 1000 AS ms
 FROM phase_durations
WHERE started_at IS NOT NULL AND done_at IS NOT NULL AND done_at >= started_at
  AND done_at > now() - make_interval(days => ${MEDIAN_WINDOW_DAYS})

-- MediansSystemRepository.refresh
DELETE FROM phase_durations WHERE done_at < now() - make_interval(days => ${MEDIAN_WINDOW_DAYS + 1})

-- MediansSystemRepository.refresh
DELETE FROM phase_duration_medians_org

-- MediansSystemRepository.refresh
WITH i AS (${ITEMS})
INSERT INTO phase_duration_medians_org (organization_id, provider, stage, phase, median_ms, samples)
SELECT organization_id, provider, stage, phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), count(*) FROM i
 GROUP BY 1, 2, 3, 4
RETURNING 1 AS n

-- MediansSystemRepository.refresh
DELETE FROM phase_duration_medians_all

-- MediansSystemRepository.refresh
WITH i AS (${ITEMS})
INSERT INTO phase_duration_medians_all (provider, stage, phase, median_ms, samples)
SELECT provider, stage, phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY ms), count(*) FROM i GROUP BY 1, 2, 3
