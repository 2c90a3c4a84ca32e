// The demo organizations, users and model prices (DESIGN.md "Demo data"). Idempotent;
// refused in production, where the shared demo password must never exist.
import * as bcrypt from 'bcryptjs';
import type { DataSource } from 'typeorm';
import { DEFAULT_MODELS } from '../llm/model-catalog';

export const DEMO_PASSWORD = 'mission-control';

export const DEMO_ORGS = [
  { name: 'Acme Academy', slug: 'acme', tier: 'premium', max: 20 },
  { name: 'Globex University', slug: 'globex', tier: 'standard', max: 10 },
];

export const DEMO_USERS = [
  { email: 'admin@acme.test', name: 'Ada Admin', role: 'admin', org: 'acme' },
  { email: 'ops@acme.test', name: 'Oscar Ops', role: 'ops', org: 'acme' },
  { email: 'reviewer@acme.test', name: 'Rita Reviewer', role: 'reviewer', org: 'acme' },
  { email: 'finance@acme.test', name: 'Fiona Finance', role: 'finance', org: 'acme' },
  { email: 'ops@globex.test', name: 'Gustav Ops', role: 'ops', org: 'globex' },
];

export async function seedModels(ds: DataSource): Promise<void> {
  for (const m of DEFAULT_MODELS) {
    await ds.query(
      `INSERT INTO llm_models (id, provider_model, display_name, input_price_per_1m, output_price_per_1m, context_window)
       VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      [m.id, m.provider_model, m.id, m.input_price_per_1m, m.output_price_per_1m, m.context_window],
    );
  }
}

export async function seedDemo(ds: DataSource, env: string): Promise<void> {
  if (env === 'production') throw new Error('demo data is refused when NODE_ENV=production');
  await seedModels(ds);
  const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
  for (const o of DEMO_ORGS) {
    await ds.query(
      `INSERT INTO organizations (name, slug, tier, max_concurrent_generations) VALUES ($1, $2, $3, $4) ON CONFLICT (slug) DO NOTHING`,
      [o.name, o.slug, o.tier, o.max],
    );
  }
  for (const u of DEMO_USERS) {
    await ds.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash)
       SELECT id, $2, $3, $4, $5 FROM organizations WHERE slug = $1 ON CONFLICT (email) DO NOTHING`,
      [u.org, u.email, u.name, u.role, hash],
    );
  }
}
