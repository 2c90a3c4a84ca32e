// Access control in the database: refresh tokens (rotated, reuse ends the family),
// invitations, the audit log, and row-level security on every table that holds an
// organization's data.
//
// Two roles, both without login:
// - `mc_app` is what the API becomes for a request (`set_config('role', 'mc_app', true)`
//   plus `app.org_id` in the same transaction). Policies let it see and change only the
//   rows of that organization; without `app.org_id` it sees nothing.
// - `mc_system` is granted to the schema's owner (the connecting user): the workers, the
//   orchestrator and migrations work across organizations through it. FORCE ROW LEVEL
//   SECURITY makes the owner obey the policies too, so only these two doors exist.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ORG_SETTING, secureTable, unsecureTable } from './tenant-rules';

/** Tables with an organization_id column, and how the others find their organization. */
const ORG_TABLES = [
  'users',
  'courses',
  'generation_trace',
  'generation_status_history',
  'approvals',
  'lessons',
  'system_metrics',
  'course_documents',
  'cost_daily_rollup',
  'webhook_deliveries',
  'audit_log',
  'refresh_tokens',
];
const VIA_PARENT: Record<string, string> = {
  lesson_contents: `EXISTS (SELECT 1 FROM lessons l WHERE l.id = lesson_id)`,
  generation_attempts: `EXISTS (SELECT 1 FROM lessons l WHERE l.id = lesson_id)`,
  phase_outputs: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)`,
  gate_deadlines: `EXISTS (SELECT 1 FROM courses c WHERE c.id = course_id)`,
  webhook_attempts: `EXISTS (SELECT 1 FROM webhook_deliveries d WHERE d.id = delivery_id)`,
};

async function ensureRole(q: QueryRunner, role: string): Promise<void> {
  // Roles belong to the cluster: several databases (tests) may create them at once.
  await q.query(`DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN CREATE ROLE ${role} NOLOGIN; END IF;
  EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$`);
}

export class AccessControl1763800012000 implements MigrationInterface {
  name = 'AccessControl1763800012000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE users
      ADD COLUMN invited_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN invite_token_hash text UNIQUE,
      ADD COLUMN invite_expires_at timestamptz,
      ADD COLUMN last_login_at timestamptz,
      ALTER COLUMN password_hash DROP NOT NULL`);
    await q.query(`ALTER TABLE users ADD CONSTRAINT users_password_or_invite CHECK (password_hash IS NOT NULL OR invite_token_hash IS NOT NULL)`);

    await q.query(`
      CREATE TABLE refresh_tokens (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        user_id uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
        family uuid NOT NULL,
        token_hash text NOT NULL UNIQUE,
        token_version int NOT NULL,
        expires_at timestamptz NOT NULL,
        used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_refresh_tokens_family ON refresh_tokens (family)`);
    await q.query(`CREATE INDEX idx_refresh_tokens_user ON refresh_tokens (user_id) WHERE revoked_at IS NULL`);

    await q.query(`
      CREATE TABLE audit_log (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        actor_id uuid REFERENCES users(id) ON DELETE SET NULL,
        actor_email text,
        actor_role text,
        action text NOT NULL,
        subject_type text NOT NULL,
        subject_id text,
        details jsonb NOT NULL DEFAULT '{}',
        ip inet,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_audit_log_org_time ON audit_log (organization_id, created_at DESC)`);
    // The audit log is append-only, whoever asks.
    await q.query(`CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege'; END $$`);
    await q.query(`CREATE TRIGGER trg_audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);

    await ensureRole(q, 'mc_app');
    await ensureRole(q, 'mc_system');
    await q.query(`GRANT mc_app TO CURRENT_USER`).catch(() => undefined);
    await q.query(`GRANT mc_system TO CURRENT_USER`).catch(() => undefined);
    await q.query(`GRANT USAGE ON SCHEMA public TO mc_app, mc_system`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO mc_app, mc_system`);
    await q.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO mc_app, mc_system`);
    await q.query(`GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO mc_app, mc_system`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO mc_app, mc_system`);
    await q.query(`ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO mc_app, mc_system`);

    await secureTable(q, 'organizations', `id = ${ORG_SETTING}`);
    for (const t of ORG_TABLES) await secureTable(q, t);
    for (const [t, rule] of Object.entries(VIA_PARENT)) await secureTable(q, t, rule);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['organizations', ...ORG_TABLES, ...Object.keys(VIA_PARENT)].reverse()) {
      if (t === 'audit_log' || t === 'refresh_tokens') continue;
      await unsecureTable(q, t);
    }
    await q.query(`DROP TABLE audit_log`);
    await q.query(`DROP FUNCTION audit_log_append_only()`);
    await q.query(`DROP TABLE refresh_tokens`);
    await q.query(`ALTER TABLE users DROP CONSTRAINT users_password_or_invite`);
    await q.query(
      `ALTER TABLE users DROP COLUMN last_login_at, DROP COLUMN invite_expires_at, DROP COLUMN invite_token_hash, DROP COLUMN invited_by, ALTER COLUMN password_hash SET NOT NULL`,
    );
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA public FROM mc_app, mc_system`);
    await q.query(`REVOKE ALL ON SCHEMA public FROM mc_app, mc_system`);
  }
}
