-- Queries of backend/src/repositories/tenant/metrics.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- MetricsRepository.coursesByStatus
SELECT status, sum(n)::int AS n FROM course_status_counts WHERE organization_id = $1 GROUP BY status HAVING sum(n) > 0 ORDER BY status

-- MetricsRepository.coursesAtGate
SELECT coalesce(sum(n), 0)::int AS n FROM course_status_counts WHERE organization_id = $1 AND generation_status = ANY($2::text[])

-- MetricsRepository.spendByModelAndLabel
SELECT model, label, sum(calls)::text AS calls, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cost_usd)::float8 AS cost
FROM cost_daily_org_rollup WHERE organization_id = $1 GROUP BY model, label ORDER BY model, label

-- MetricsRepository.monthSpend
SELECT o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent FROM organizations o WHERE o.id = $1

-- MetricsRepository.openAlertsByKind
SELECT kind, count(*)::int AS n FROM alerts WHERE cleared_at IS NULL GROUP BY kind
