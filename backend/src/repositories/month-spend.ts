// An organization's spend this calendar month (UTC), from the per-organization rollup —
// kept in the same transaction as every trace, so it is exact at any moment. A SQL
// fragment shared by the repositories that need it: the gateway's budget stop (system
// side) and the metrics (tenant side).

/** SQL for the spend in USD (float8); `organization` is the SQL naming the organization's id. */
export const monthSpendSql = (organization: string) =>
  `(SELECT coalesce(sum(r.cost_usd), 0)::float8 FROM cost_daily_org_rollup r
     WHERE r.organization_id = ${organization} AND r.day >= date_trunc('month', now() AT TIME ZONE 'UTC')::date)`;
