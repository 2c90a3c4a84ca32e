-- Queries of backend/src/repositories/tenant/reconciliation.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- ReconciliationRepository.recordedByModelDay
SELECT r.model, to_char(r.day, 'YYYY-MM-DD') AS day, sum(r.calls)::int AS calls,
      sum(r.input_tokens)::bigint::float8 AS "inputTokens", sum(r.output_tokens)::bigint::float8 AS "outputTokens",
      sum(r.cost_usd)::numeric(18, 8)::text AS "costUsd"
 FROM cost_daily_rollup r
WHERE r.organization_id = $1 AND r.day >= to_date($2, 'YYYY-MM') AND r.day < (to_date($2, 'YYYY-MM') + interval '1 month')
GROUP BY r.model, r.day
ORDER BY r.day, r.model

-- ReconciliationRepository.catalogNames
SELECT id, provider_model AS "providerModel" FROM llm_models ORDER BY id
