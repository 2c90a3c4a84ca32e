-- Queries of backend/src/repositories/system/demo-data.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- DemoDataSystemRepository.addModel
WITH m AS (
  INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window,
                          max_output_tokens, supports_json_schema, supports_json_mode, token_limit_param, supports_streaming)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'max_tokens'), coalesce($11, true)) ON CONFLICT (id) DO NOTHING
  RETURNING id, input_price_per_1m, output_price_per_1m)
INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
SELECT o.id, m.id, m.input_price_per_1m, m.output_price_per_1m, '1970-01-01T00:00:00Z' FROM m CROSS JOIN organizations o
ON CONFLICT DO NOTHING

-- DemoDataSystemRepository.addPriceVersion
INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
SELECT o.id, $2, $3, $4, $5::timestamptz FROM organizations o WHERE o.slug = $1
ON CONFLICT DO NOTHING

-- DemoDataSystemRepository.addOrganization
INSERT INTO organizations (name, slug, tier, max_concurrent_generations) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING

-- DemoDataSystemRepository.markPlatformUnlessAny
UPDATE organizations SET is_platform = true WHERE slug = $1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE is_platform)

-- DemoDataSystemRepository.addUser
INSERT INTO users (organization_id, email, name, role, password_hash)
SELECT id, $2, $3, $4, $5 FROM organizations WHERE slug = $1 ON CONFLICT (email) DO NOTHING
