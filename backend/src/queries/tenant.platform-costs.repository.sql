-- Queries of backend/src/repositories/tenant/platform-costs.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- PlatformCostsRepository.rowsSql
SELECT ${groups.map((g) => g.select).join(', ')}, ${MEASURES}
 FROM ${SOURCE}
GROUP BY ${groups.map((g) => g.group).join(', ')}
ORDER BY ${groups.map((g) => g.order).join(', ')}

-- PlatformCostsRepository.reportTotals
SELECT ${MEASURES} FROM ${SOURCE}
