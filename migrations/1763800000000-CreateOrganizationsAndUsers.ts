// Tenants and the people who use Mission Control. Every tenant table hangs off
// organizations; a user's role decides what the API lets them do.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganizationsAndUsers1763800000000 implements MigrationInterface {
  name = 'CreateOrganizationsAndUsers1763800000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE organizations (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name text NOT NULL UNIQUE CHECK (length(name) BETWEEN 1 AND 200),
        slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9-]{1,60}$'),
        tier text NOT NULL DEFAULT 'standard' CHECK (tier IN ('trial', 'free', 'basic', 'standard', 'premium')),
        max_concurrent_generations int NOT NULL DEFAULT 10 CHECK (max_concurrent_generations > 0),
        default_approval_gates int[] NOT NULL DEFAULT '{4,5}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        email text NOT NULL UNIQUE CHECK (email = lower(email)),
        name text NOT NULL,
        role text NOT NULL CHECK (role IN ('admin', 'ops', 'reviewer', 'finance')),
        password_hash text NOT NULL,
        token_version int NOT NULL DEFAULT 0,
        disabled_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_users_organization ON users (organization_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE users`);
    await q.query(`DROP TABLE organizations`);
  }
}
