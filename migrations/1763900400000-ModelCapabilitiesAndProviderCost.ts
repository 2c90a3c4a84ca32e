// What a real OpenAI-compatible endpoint needs to know about a model beyond its window
// and output cap: which parameter carries the output limit (`max_tokens`, or
// `max_completion_tokens` for reasoning models) and whether it streams. And the cost the
// provider itself reported for a call (OpenRouter's `usage.cost`), kept beside the cost
// we compute from the organization's prices so the two can be compared.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ModelCapabilitiesAndProviderCost1763900400000 implements MigrationInterface {
  name = 'ModelCapabilitiesAndProviderCost1763900400000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE llm_models
      ADD COLUMN token_limit_param text NOT NULL DEFAULT 'max_tokens'
        CONSTRAINT llm_models_token_limit_param_check CHECK (token_limit_param IN ('max_tokens', 'max_completion_tokens')),
      ADD COLUMN supports_streaming boolean NOT NULL DEFAULT true`);
    await q.query(`ALTER TABLE generation_trace ADD COLUMN provider_cost_usd numeric(14, 8)
      CONSTRAINT generation_trace_provider_cost_check CHECK (provider_cost_usd >= 0)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE generation_trace DROP COLUMN provider_cost_usd`);
    await q.query(`ALTER TABLE llm_models DROP COLUMN supports_streaming, DROP COLUMN token_limit_param`);
  }
}
