-- Queries of backend/src/repositories/month-spend.ts, written by `npm run sql:snapshots`; do not edit.

-- monthSpendSql
(SELECT coalesce(sum(r.cost_usd), 0)::float8 FROM cost_daily_org_rollup r
WHERE r.organization_id = ${organization} AND r.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date)
