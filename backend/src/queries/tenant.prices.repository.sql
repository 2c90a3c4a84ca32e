-- Queries of backend/src/repositories/tenant/prices.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- CURRENT
LEFT JOIN LATERAL (
SELECT p.id, p.input_price_per_1m, p.output_price_per_1m, p.effective_from FROM llm_model_prices p
 WHERE p.organization_id = $1::uuid AND p.model_id = m.id AND p.effective_from <= now() ORDER BY p.effective_from DESC LIMIT 1) cur ON true

-- HISTORY
SELECT p.id::text AS id, p.input_price_per_1m::text AS "inputPricePer1m", p.output_price_per_1m::text AS "outputPricePer1m",
  p.effective_from AS "effectiveFrom", p.created_at AS "createdAt", u.email AS "createdBy",
  (p.effective_from > now()) AS scheduled
FROM llm_model_prices p LEFT JOIN users u ON u.id = p.created_by AND u.organization_id = p.organization_id
WHERE p.organization_id = $1 AND p.model_id = $2 ORDER BY p.effective_from DESC

-- PricesRepository.model
SELECT ${COLUMNS} FROM llm_models m ${CURRENT} WHERE m.id = $2

-- PricesRepository.knownModelIds
SELECT id FROM llm_models WHERE id = ANY($1::text[])

-- PricesRepository.lockCatalogModel
SELECT id FROM llm_models WHERE id = $1 FOR KEY SHARE

-- PricesRepository.addPriceVersion
INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
VALUES ($1, $2, $3, $4, greatest(coalesce($5::timestamptz, now()), now()), $6)
ON CONFLICT (organization_id, model_id, effective_from) DO NOTHING RETURNING effective_from <= now() AS "inForce"
