// Surviving faults: the alerts the stall detectors raise and clear (one open alert per
// kind and subject, whichever process detects it), and the claim a worker takes on a
// phase item when it starts it — a phase's writes carry that claim, so the late result
// of a worker that lost the job to another one is refused.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class AlertsAndPhaseClaims1763800013000 implements MigrationInterface {
  name = 'AlertsAndPhaseClaims1763800013000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE alerts (
        id bigserial PRIMARY KEY,
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        course_id uuid REFERENCES courses(id) ON DELETE CASCADE,
        kind text NOT NULL CHECK (kind IN ('course_progress_stalled', 'job_without_heartbeat', 'queue_without_consumer')),
        subject text NOT NULL,
        details jsonb NOT NULL DEFAULT '{}',
        raised_at timestamptz NOT NULL DEFAULT now(),
        cleared_at timestamptz
      )`);
    await q.query(`CREATE UNIQUE INDEX uq_alerts_open ON alerts (kind, subject) WHERE cleared_at IS NULL`);
    await q.query(`CREATE INDEX idx_alerts_org_raised ON alerts (organization_id, raised_at DESC)`);
    await q.query(`
      CREATE TABLE phase_claims (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        run int NOT NULL,
        stage int NOT NULL,
        phase_key text NOT NULL,
        token text NOT NULL,
        claimed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (course_id, run, stage, phase_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE phase_claims`);
    await q.query(`DROP TABLE alerts`);
  }
}
