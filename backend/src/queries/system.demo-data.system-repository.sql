-- Queries of backend/src/repositories/system/demo-data.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- DemoDataSystemRepository.addModel
INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window)
VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING

-- DemoDataSystemRepository.addOrganization
INSERT INTO organizations (name, slug, tier, max_concurrent_generations) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING

-- DemoDataSystemRepository.markPlatformUnlessAny
UPDATE organizations SET is_platform = true WHERE slug = $1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE is_platform)

-- DemoDataSystemRepository.addUser
INSERT INTO users (organization_id, email, name, role, password_hash)
SELECT id, $2, $3, $4, $5 FROM organizations WHERE slug = $1 ON CONFLICT (email) DO NOTHING
