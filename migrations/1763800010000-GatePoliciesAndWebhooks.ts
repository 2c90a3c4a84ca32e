// Human gates and outbound notifications: who may approve (no self-approval when the
// organization asks for it), how long a gate may wait before it is escalated, and the
// signed webhook deliveries with every attempt recorded.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class GatePoliciesAndWebhooks1763800010000 implements MigrationInterface {
  name = 'GatePoliciesAndWebhooks1763800010000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations
      ADD COLUMN require_distinct_approver boolean NOT NULL DEFAULT false,
      ADD COLUMN approval_sla_minutes int CHECK (approval_sla_minutes > 0),
      ADD COLUMN webhook_secret text NOT NULL DEFAULT ('whsec_' || encode(decode(md5(gen_random_uuid()::text) || md5(gen_random_uuid()::text), 'hex'), 'base64'))`);
    await q.query(`ALTER TABLE courses
      ADD COLUMN started_by uuid REFERENCES users(id) ON DELETE SET NULL,
      ADD COLUMN approval_sla_minutes int CHECK (approval_sla_minutes > 0)`);
    await q.query(`
      CREATE TABLE gate_deadlines (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        gate_key text NOT NULL,
        stage int NOT NULL,
        due_at timestamptz NOT NULL,
        escalated_at timestamptz,
        PRIMARY KEY (course_id, gate_key)
      )`);
    await q.query(`CREATE INDEX idx_gate_deadlines_due ON gate_deadlines (due_at) WHERE escalated_at IS NULL`);
    await q.query(`
      CREATE TABLE webhook_deliveries (
        id text PRIMARY KEY,
        course_id uuid REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        event text NOT NULL,
        url text NOT NULL,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed', 'refused')),
        attempts int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now(),
        delivered_at timestamptz
      )`);
    await q.query(`
      CREATE TABLE webhook_attempts (
        id bigserial PRIMARY KEY,
        delivery_id text NOT NULL REFERENCES webhook_deliveries(id) ON DELETE CASCADE,
        attempt int NOT NULL,
        status_code int,
        error text,
        duration_ms int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_webhook_attempts_delivery ON webhook_attempts (delivery_id, attempt)`);
    await q.query(`CREATE INDEX idx_cost_rollup_course ON cost_daily_rollup (course_id)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP INDEX idx_cost_rollup_course`);
    await q.query(`DROP TABLE webhook_attempts`);
    await q.query(`DROP TABLE webhook_deliveries`);
    await q.query(`DROP TABLE gate_deadlines`);
    await q.query(`ALTER TABLE courses DROP COLUMN approval_sla_minutes, DROP COLUMN started_by`);
    await q.query(`ALTER TABLE organizations DROP COLUMN webhook_secret, DROP COLUMN approval_sla_minutes, DROP COLUMN require_distinct_approver`);
  }
}
