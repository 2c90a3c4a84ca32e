// What a stage produced before a reviewer rejected it and asked for a rerun: the rerun
// overwrites the course's output, so the rejected one is kept here and the approvals
// inbox can show the difference between the attempts. Row-level security as on every
// tenant table.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { secureTable } from './tenant-rules';

export class CreateStageOutputAttempts1763800015000 implements MigrationInterface {
  name = 'CreateStageOutputAttempts1763800015000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE stage_output_attempts (
        id bigserial PRIMARY KEY,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        stage int NOT NULL CHECK (stage BETWEEN 2 AND 6),
        run int NOT NULL,
        output jsonb,
        rejected_by uuid REFERENCES users(id) ON DELETE SET NULL,
        reasons text[] NOT NULL DEFAULT '{}',
        comment text NOT NULL DEFAULT '',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_stage_output_attempts_course ON stage_output_attempts (course_id, stage, id)`);
    // The same two doors as every tenant table (migration 1763800012000).
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON stage_output_attempts TO mc_app, mc_system`);
    await q.query(`GRANT USAGE, SELECT ON SEQUENCE stage_output_attempts_id_seq TO mc_app, mc_system`);
    await secureTable(q, 'stage_output_attempts');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stage_output_attempts`);
  }
}
