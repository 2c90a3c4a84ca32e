-- Queries of backend/src/repositories/system/traces.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- TracesSystemRepository.callState
SELECT (SELECT to_jsonb(t) FROM (SELECT output_data, model_used, input_tokens, output_tokens, cost_usd, duration_ms
                                 FROM generation_trace_keys k JOIN generation_trace g ON g.id = k.trace_id AND g.created_at = k.created_at
                                WHERE k.idempotency_key = $1) t) AS stored,
     o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent, o.name AS "organizationName",
     (SELECT coalesce(array_agg(x.model ORDER BY x.ord), '{}') FROM unnest($3::text[]) WITH ORDINALITY x(model, ord)
       WHERE NOT EXISTS (SELECT 1 FROM llm_model_prices p
                          WHERE p.organization_id = o.id AND p.model_id = x.model AND p.effective_from <= now())) AS unpriced
FROM organizations o WHERE o.id = $2

-- TracesSystemRepository.recordPriceMissing
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
SELECT 'price_missing', 'error', $1, $2, $3, jsonb_build_object('models', $4::text[], 'model', ($4::text[])[1], 'run', $5::int)
 WHERE NOT EXISTS (SELECT 1 FROM system_metrics
                    WHERE metric_type = 'price_missing' AND course_id = $2 AND metadata->>'run' = $5::text AND metadata->'models' = to_jsonb($4::text[]))

-- TracesSystemRepository.recordAttempt
WITH price AS (
  SELECT p.id, p.input_price_per_1m, p.output_price_per_1m FROM llm_model_prices p
   WHERE p.organization_id = $2::uuid AND p.model_id = $8::text AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1),
-- The key is claimed first: a twin attempt claims nothing and so records nothing.
key AS (
  INSERT INTO generation_trace_keys (idempotency_key, trace_id) VALUES ($19::text, gen_random_uuid())
  ON CONFLICT (idempotency_key) DO NOTHING RETURNING trace_id, created_at)
INSERT INTO generation_trace
  (id, created_at, course_id, organization_id, lesson_id, run, stage, phase, step_name, model_used, provider, tokens_used,
   input_tokens, output_tokens, cost_usd, price_version_id, duration_ms, attempt, label, input_data, output_data, error_data, idempotency_key,
   otel_trace_id, otel_span_id, provider_cost_usd)
SELECT key.trace_id, key.created_at, $1::uuid, $2::uuid, $3::uuid, $4::int, $5::text, $6::text, $7::text, $8::text, $9::text, $10::int, $11::int, $12::int,
       coalesce(round(($11::int::numeric * price.input_price_per_1m + $12::int::numeric * price.output_price_per_1m) / 1000000, 8), 0),
       price.id, $13::int, $14::int, $15::text, $16::jsonb, $17::jsonb, $18::jsonb, $19::text, $20::text, $21::text, round($22::numeric, 8)
  FROM key LEFT JOIN price ON true
RETURNING id::text, cost_usd, price_version_id

-- TracesSystemRepository.modelCapabilities
SELECT id, context_window AS "contextWindow", max_output_tokens AS "maxOutputTokens", supports_json_schema AS "jsonSchema",
     supports_json_mode AS "jsonMode", token_limit_param AS "tokenLimitParam", supports_streaming AS "streaming"
FROM llm_models WHERE id = ANY($1::text[])

-- TracesSystemRepository.storedCost
SELECT t.cost_usd FROM generation_trace_keys k JOIN generation_trace t ON t.id = k.trace_id AND t.created_at = k.created_at
WHERE k.idempotency_key = $1
