// The audit trail of every applied machine event, and the decisions taken at gates.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateStatusHistoryAndApprovals1763800003000 implements MigrationInterface {
  name = 'CreateStatusHistoryAndApprovals1763800003000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE generation_status_history (
        id bigserial PRIMARY KEY,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        from_status text NOT NULL,
        to_status text NOT NULL,
        event text NOT NULL,
        actor_type text NOT NULL CHECK (actor_type IN ('user', 'worker', 'system')),
        actor_id text NOT NULL,
        reason text,
        stage text,
        phase text,
        percentage int NOT NULL DEFAULT 0,
        run int NOT NULL DEFAULT 0,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_status_history_course ON generation_status_history (course_id, id)`);
    await q.query(`
      CREATE TABLE approvals (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        stage int NOT NULL CHECK (stage BETWEEN 2 AND 6),
        gate_key text NOT NULL,
        decision text NOT NULL CHECK (decision IN ('approved', 'rejected')),
        action text NOT NULL CHECK (action IN ('continue', 'rerun', 'cancel')),
        decided_by uuid REFERENCES users(id) ON DELETE SET NULL,
        decided_role text NOT NULL,
        comment text NOT NULL DEFAULT '',
        reasons text[] NOT NULL DEFAULT '{}',
        requested_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, gate_key)
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE approvals`);
    await q.query(`DROP TABLE generation_status_history`);
  }
}
