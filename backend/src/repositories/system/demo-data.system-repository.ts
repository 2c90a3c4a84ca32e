// The demo organizations, users and model catalog (cli/demo-data.ts decides what they
// are and refuses them in production). Every insert keeps what exists already.
import { Injectable } from '@nestjs/common';
import { SystemDb } from './system-db';

export interface CatalogModel {
  id: string;
  provider_model: string;
  input_price_per_1m: number | string;
  output_price_per_1m: number | string;
  context_window: number;
  max_output_tokens: number;
  supports_json_schema: boolean;
  supports_json_mode: boolean;
  display_name?: string;
  token_limit_param?: 'max_tokens' | 'max_completion_tokens';
  supports_streaming?: boolean;
}

@Injectable()
export class DemoDataSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /**
   * A catalog model; when it is new, every existing organization gets its default
   * prices as its first version (organizations created later get them by trigger), so
   * organizations and catalog may be seeded in either order.
   */
  async addModel(m: CatalogModel): Promise<void> {
    await this.db.autocommit.query(
      `WITH m AS (
         INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window,
                                 max_output_tokens, supports_json_schema, supports_json_mode, token_limit_param, supports_streaming)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'max_tokens'), coalesce($11, true)) ON CONFLICT (id) DO NOTHING
         RETURNING id, input_price_per_1m, output_price_per_1m)
       INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
       SELECT o.id, m.id, m.input_price_per_1m, m.output_price_per_1m, '1970-01-01T00:00:00Z' FROM m CROSS JOIN organizations o
       ON CONFLICT DO NOTHING`,
      [
        m.id,
        m.provider_model,
        m.display_name ?? m.id,
        m.input_price_per_1m,
        m.output_price_per_1m,
        m.context_window,
        m.max_output_tokens,
        m.supports_json_schema,
        m.supports_json_mode,
        m.token_limit_param ?? null,
        m.supports_streaming ?? null,
      ],
    );
  }

  /**
   * A negotiated price of the organization with this slug, from a fixed moment (so the
   * seed adds it once): a second version after the default one.
   */
  async addPriceVersion(v: {
    organizationSlug: string;
    modelId: string;
    inputPricePer1m: number;
    outputPricePer1m: number;
    effectiveFrom: string;
  }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
       SELECT o.id, $2, $3, $4, $5::timestamptz FROM organizations o WHERE o.slug = $1
       ON CONFLICT DO NOTHING`,
      [v.organizationSlug, v.modelId, v.inputPricePer1m, v.outputPricePer1m, v.effectiveFrom],
    );
  }

  async addOrganization(o: { name: string; slug: string; tier: string; maxConcurrentGenerations: number }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO organizations (name, slug, tier, max_concurrent_generations) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING`,
      [o.name, o.slug, o.tier, o.maxConcurrentGenerations],
    );
  }

  /** Marks the organization with this slug as the platform organization, unless one is marked already. */
  async markPlatformUnlessAny(slug: string): Promise<void> {
    await this.db.autocommit.query(
      `UPDATE organizations SET is_platform = true WHERE slug = $1 AND NOT EXISTS (SELECT 1 FROM organizations WHERE is_platform)`,
      [slug],
    );
  }

  /** A user of the organization with this slug (nothing when there is no such organization). */
  async addUser(u: { organizationSlug: string; email: string; name: string; role: string; passwordHash: string }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash)
       SELECT id, $2, $3, $4, $5 FROM organizations WHERE slug = $1 ON CONFLICT (email) DO NOTHING`,
      [u.organizationSlug, u.email, u.name, u.role, u.passwordHash],
    );
  }
}
