-- Queries of backend/src/repositories/tenant/metrics.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- MetricsRepository.coursesByStatus
SELECT status, count(*)::int AS n FROM courses WHERE organization_id = $1 GROUP BY status

-- MetricsRepository.coursesAtGate
SELECT count(*)::int AS n FROM courses WHERE organization_id = $1 AND generation_status LIKE '%\_awaiting\_approval'

-- MetricsRepository.spendByModelAndLabel
SELECT model, label, sum(calls)::text AS calls, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cost_usd)::float8 AS cost
FROM cost_daily_org_rollup WHERE organization_id = $1 GROUP BY model, label ORDER BY model, label

-- MetricsRepository.monthSpend
SELECT o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent FROM organizations o WHERE o.id = $1

-- MetricsRepository.openAlertsByKind
SELECT kind, count(*)::int AS n FROM alerts WHERE cleared_at IS NULL GROUP BY kind
