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
  display_name?: string;
}

@Injectable()
export class DemoDataSystemRepository {
  constructor(private readonly db: SystemDb) {}

  async addModel(m: CatalogModel): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [m.id, m.provider_model, m.display_name ?? m.id, m.input_price_per_1m, m.output_price_per_1m, m.context_window],
    );
  }

  async addOrganization(o: { name: string; slug: string; tier: string; maxConcurrentGenerations: number }): Promise<void> {
    await this.db.autocommit.query(
      `INSERT INTO organizations (name, slug, tier, max_concurrent_generations) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING`,
      [o.name, o.slug, o.tier, o.maxConcurrentGenerations],
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
