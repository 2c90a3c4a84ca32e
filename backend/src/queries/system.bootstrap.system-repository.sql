-- Queries of backend/src/repositories/system/bootstrap.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- BootstrapTransaction.insertOrganization
INSERT INTO organizations (name, slug, is_platform) VALUES ($1, $2, true) ON CONFLICT DO NOTHING RETURNING id

-- BootstrapTransaction.organizationBySlug
SELECT id, name, slug, is_platform FROM organizations WHERE slug = $1 FOR UPDATE

-- BootstrapTransaction.otherPlatformOrganizations
SELECT slug FROM organizations WHERE is_platform AND id <> $1 ORDER BY slug

-- BootstrapTransaction.markPlatform
UPDATE organizations SET is_platform = true WHERE id = $1

-- BootstrapTransaction.userByEmail
SELECT id, organization_id, role, (disabled_at IS NOT NULL) AS disabled FROM users WHERE email = $1

-- BootstrapTransaction.insertAdmin
INSERT INTO users (organization_id, email, name, role, password_hash, must_change_password)
VALUES ($1, $2, $3, $5, $4, true) ON CONFLICT (email) DO NOTHING RETURNING id

-- BootstrapTransaction.insertModel
WITH m AS (
  INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window,
                          max_output_tokens, supports_json_schema, supports_json_mode, token_limit_param, supports_streaming)
  VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'max_tokens'), coalesce($11, true)) ON CONFLICT (id) DO NOTHING
  RETURNING id, input_price_per_1m, output_price_per_1m),
priced AS (
  INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
  SELECT o.id, m.id, m.input_price_per_1m, m.output_price_per_1m, '1970-01-01T00:00:00Z' FROM m CROSS JOIN organizations o
  ON CONFLICT DO NOTHING)
SELECT id FROM m
