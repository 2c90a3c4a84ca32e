// A first day in production (cli/bootstrap.ts decides what to create): the operating
// organization, its first admin and the model catalog, in one transaction. Every insert
// keeps what exists already, so running it again changes nothing.
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
import { SystemDb } from './system-db';

export interface OrganizationRow {
  id: string;
  name: string;
  slug: string;
  is_platform: boolean;
}

export interface ExistingUserRow {
  id: string;
  organization_id: string;
  role: string;
  disabled: boolean;
}

export interface CatalogRow {
  id: string;
  provider_model: string;
  display_name: string;
  input_price_per_1m: number;
  output_price_per_1m: number;
  context_window: number;
  max_output_tokens: number;
  supports_json_schema: boolean;
  supports_json_mode: boolean;
  token_limit_param?: 'max_tokens' | 'max_completion_tokens';
  supports_streaming?: boolean;
}

export class BootstrapTransaction {
  constructor(private readonly db: Queryable) {}

  /** Creates the organization unless one has this slug or name; true when it was created. */
  async insertOrganization(slug: string, name: string): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO organizations (name, slug, is_platform) VALUES ($1, $2, true) ON CONFLICT DO NOTHING RETURNING id`,
      [name, slug],
    );
    return rows.length > 0;
  }

  async organizationBySlug(slug: string): Promise<OrganizationRow | undefined> {
    const rows = await this.db.query<OrganizationRow>(`SELECT id, name, slug, is_platform FROM organizations WHERE slug = $1 FOR UPDATE`, [slug]);
    return rows[0];
  }

  /** The organizations marked as the platform's, other than this one. */
  async otherPlatformOrganizations(id: string): Promise<string[]> {
    const rows = await this.db.query<{ slug: string }>(`SELECT slug FROM organizations WHERE is_platform AND id <> $1 ORDER BY slug`, [id]);
    return rows.map((r) => r.slug);
  }

  async markPlatform(id: string): Promise<void> {
    await this.db.query(`UPDATE organizations SET is_platform = true WHERE id = $1`, [id]);
  }

  async userByEmail(email: string): Promise<ExistingUserRow | undefined> {
    const rows = await this.db.query<ExistingUserRow>(`SELECT id, organization_id, role, (disabled_at IS NOT NULL) AS disabled FROM users WHERE email = $1`, [
      email,
    ]);
    return rows[0];
  }

  /** The organization's admin, who must change this password at first sign-in; true when inserted. */
  async insertAdmin(u: { organizationId: string; email: string; name: string; role: string; passwordHash: string }): Promise<boolean> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO users (organization_id, email, name, role, password_hash, must_change_password)
       VALUES ($1, $2, $3, $5, $4, true) ON CONFLICT (email) DO NOTHING RETURNING id`,
      [u.organizationId, u.email, u.name, u.passwordHash, u.role],
    );
    return rows.length > 0;
  }

  /** Adds a catalog model unless it is known (a known model's prices are finance's); true when added. */
  async insertModel(m: CatalogRow): Promise<boolean> {
    // A model new to the catalog gets its default price in every organization there is
    // (organizations created later start from the defaults by trigger, migration 1763800031000).
    const rows = await this.db.query<{ id: string }>(
      `WITH m AS (
         INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window,
                                 max_output_tokens, supports_json_schema, supports_json_mode, token_limit_param, supports_streaming)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, coalesce($10, 'max_tokens'), coalesce($11, true)) ON CONFLICT (id) DO NOTHING
         RETURNING id, input_price_per_1m, output_price_per_1m),
       priced AS (
         INSERT INTO llm_model_prices (organization_id, model_id, input_price_per_1m, output_price_per_1m, effective_from)
         SELECT o.id, m.id, m.input_price_per_1m, m.output_price_per_1m, '1970-01-01T00:00:00Z' FROM m CROSS JOIN organizations o
         ON CONFLICT DO NOTHING)
       SELECT id FROM m`,
      [
        m.id,
        m.provider_model,
        m.display_name,
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
    return rows.length > 0;
  }
}

@Injectable()
export class BootstrapSystemRepository {
  constructor(private readonly db: SystemDb) {}

  /** Everything the bootstrap does, in one transaction. */
  run<T>(fn: (tx: BootstrapTransaction) => Promise<T>): Promise<T> {
    return this.db.run((db) => fn(new BootstrapTransaction(db)));
  }
}
