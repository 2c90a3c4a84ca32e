-- Queries of backend/src/repositories/tenant/catalog.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- CatalogRepository.catalogModel
SELECT ${COLUMNS} FROM llm_models m WHERE m.id = $1

-- CatalogRepository.updateCatalogModel
UPDATE llm_models SET
  provider_model = coalesce($2, provider_model), display_name = coalesce($3, display_name),
  context_window = coalesce($4, context_window), max_output_tokens = coalesce($5, max_output_tokens),
  supports_json_schema = coalesce($6, supports_json_schema), supports_json_mode = coalesce($7, supports_json_mode),
  input_price_per_1m = coalesce($8, input_price_per_1m), output_price_per_1m = coalesce($9, output_price_per_1m),
  active = coalesce($10, active), updated_by = $11, updated_at = now(),
  token_limit_param = coalesce($12, token_limit_param), supports_streaming = coalesce($13, supports_streaming)
WHERE id = $1 RETURNING id

-- CatalogRepository.addCatalogModel
INSERT INTO llm_models (id, provider_model, display_name, context_window, max_output_tokens, supports_json_schema, supports_json_mode,
                        input_price_per_1m, output_price_per_1m, active, updated_by, token_limit_param, supports_streaming)
VALUES ($1, coalesce($2, $1), coalesce($3, $1), $4, coalesce($5, 32768), coalesce($6, false), coalesce($7, false), $8, $9, coalesce($10, true), $11,
        coalesce($12, 'max_tokens'), coalesce($13, false))
ON CONFLICT (id) DO NOTHING RETURNING id
