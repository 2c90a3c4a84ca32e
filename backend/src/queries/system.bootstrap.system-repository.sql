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
VALUES ($1, $2, $3, 'admin', $4, true) ON CONFLICT (email) DO NOTHING RETURNING id

-- BootstrapTransaction.insertModel
INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING RETURNING id
