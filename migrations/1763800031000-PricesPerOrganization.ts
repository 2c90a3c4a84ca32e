// A shared model catalog, and prices per organization. `llm_models` is the catalog
// every organization shares (edited by the platform's operators only): the model, its
// provider name, context window, maximum output tokens, whether it supports structured
// outputs (json_schema) and JSON mode, and its default prices. `llm_model_prices` holds
// each organization's own price versions (its negotiated prices) under row-level
// security: the versions its traces are charged at. A model with no version for an
// organization is not priced there, and its calls are refused before they are made.
//
// The shared versions of before become every existing organization's versions (with
// their author kept only in the author's own organization), and each trace names its
// organization's copy. A new organization starts from the catalog's default prices.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { secureTable } from './tenant-rules';

export class PricesPerOrganization1763800031000 implements MigrationInterface {
  name = 'PricesPerOrganization1763800031000';

  async up(q: QueryRunner): Promise<void> {
    // The operating organization (its admins edit the catalog). Another migration may
    // add this column too; either order works.
    await q.query(`ALTER TABLE organizations ADD COLUMN IF NOT EXISTS is_platform boolean NOT NULL DEFAULT false`);

    // --- the catalog ----------------------------------------------------------------
    await q.query(`ALTER TABLE llm_models
      ADD COLUMN max_output_tokens int NOT NULL DEFAULT 32768 CHECK (max_output_tokens > 0),
      ADD COLUMN supports_json_schema boolean NOT NULL DEFAULT false,
      ADD COLUMN supports_json_mode boolean NOT NULL DEFAULT false`);
    await q.query(`COMMENT ON COLUMN llm_models.input_price_per_1m IS 'default input price per 1M tokens: a new organization starts from it'`);
    await q.query(`COMMENT ON COLUMN llm_models.output_price_per_1m IS 'default output price per 1M tokens: a new organization starts from it'`);
    await q.query(`UPDATE llm_models SET supports_json_schema = true, supports_json_mode = true
      WHERE id IN ('openai/gpt-oss-20b', 'openai/gpt-oss-120b', 'google/gemini-2.5-flash')`);
    await q.query(`UPDATE llm_models SET supports_json_mode = true WHERE id = 'qwen/qwen3-max'`);
    await q.query(`UPDATE llm_models SET max_output_tokens = 65536 WHERE id = 'google/gemini-2.5-flash'`);

    // --- versions per organization ----------------------------------------------------
    await q.query(`ALTER TABLE llm_model_prices ADD COLUMN organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE`);
    await q.query(`ALTER TABLE llm_model_prices DROP CONSTRAINT llm_model_prices_model_id_effective_from_key`);
    await q.query(`INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by, created_at)
      SELECT o.id, p.model_id, p.input_price_per_1m, p.output_price_per_1m, p.effective_from,
             (SELECT u.id FROM users u WHERE u.id = p.created_by AND u.organization_id = o.id), p.created_at
        FROM llm_model_prices p CROSS JOIN organizations o WHERE p.organization_id IS NULL`);
    // Each trace names its organization's copy of the version it was charged at (its
    // cost does not change, so a closed month's trace may take the new name too).
    await q.query(`ALTER TABLE generation_trace DISABLE TRIGGER generation_trace_closed_month`);
    await q.query(`UPDATE generation_trace t SET price_version_id = n.id
        FROM llm_model_prices p JOIN llm_model_prices n ON n.model_id = p.model_id AND n.effective_from = p.effective_from
       WHERE t.price_version_id = p.id AND p.organization_id IS NULL AND n.organization_id = t.organization_id`);
    await q.query(`ALTER TABLE generation_trace ENABLE TRIGGER generation_trace_closed_month`);
    await q.query(`DELETE FROM llm_model_prices WHERE organization_id IS NULL`);
    await q.query(`ALTER TABLE llm_model_prices ALTER COLUMN organization_id SET NOT NULL`);
    await q.query(`ALTER TABLE llm_model_prices ADD CONSTRAINT llm_model_prices_org_model_effective_key UNIQUE (organization_id, model_id, effective_from)`);
    await secureTable(q, 'llm_model_prices');

    // A catalog model is no longer priced for everyone when it is added: each
    // organization adds it to its own table. A new organization starts from the
    // catalog's defaults of the active models, since always.
    await q.query(`DROP TRIGGER llm_models_first_price ON llm_models`);
    await q.query(`DROP FUNCTION first_price_version()`);
    await q.query(`
      CREATE FUNCTION organization_first_prices() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
        SELECT NEW.id, m.id, m.input_price_per_1m, m.output_price_per_1m, '1970-01-01T00:00:00Z' FROM llm_models m WHERE m.active
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER organizations_first_prices AFTER INSERT ON organizations
      FOR EACH ROW EXECUTE FUNCTION organization_first_prices()`);
  }

  async down(): Promise<void> {
    // Folding every organization's prices back into one shared table would pick one
    // organization's prices for all traces: refused rather than done silently.
    throw new Error("PricesPerOrganization1763800031000 cannot be reverted: organizations' price versions cannot be folded into one table");
  }
}
