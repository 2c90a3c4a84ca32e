// The demo organizations (Acme Academy the platform one), users and model prices (DESIGN.md "Demo data"). Idempotent;
// refused in production, where the shared demo password must never exist.
import * as bcrypt from 'bcryptjs';
import type { DemoDataSystemRepository } from '../repositories/system/demo-data.system-repository';
import { DEFAULT_MODELS } from '../llm/model-catalog';

export const DEMO_PASSWORD = 'mission-control';

// Acme Academy operates the demo deployment: its admins are the operators.
export const DEMO_PLATFORM_ORG = 'acme';

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

/** Globex's negotiated prices (Acme keeps the catalog's defaults): the same course costs each organization its own price. */
export const DEMO_NEGOTIATED_PRICES = [
  { organizationSlug: 'globex', modelId: 'openai/gpt-oss-20b', inputPricePer1m: 0.06, outputPricePer1m: 0.09, effectiveFrom: '2025-01-01T00:00:00Z' },
];

export async function seedModels(repo: DemoDataSystemRepository): Promise<void> {
  for (const m of DEFAULT_MODELS) await repo.addModel(m);
}

export async function seedDemo(repo: DemoDataSystemRepository, env: string): Promise<void> {
  if (env === 'production') throw new Error('demo data is refused when NODE_ENV=production');
  await seedModels(repo);
  const hash = await bcrypt.hash(DEMO_PASSWORD, 10);
  for (const o of DEMO_ORGS) await repo.addOrganization({ name: o.name, slug: o.slug, tier: o.tier, maxConcurrentGenerations: o.max });
  await repo.markPlatformUnlessAny(DEMO_PLATFORM_ORG);
  for (const p of DEMO_NEGOTIATED_PRICES) await repo.addPriceVersion(p);
  for (const u of DEMO_USERS) await repo.addUser({ organizationSlug: u.org, email: u.email, name: u.name, role: u.role, passwordHash: hash });
}
