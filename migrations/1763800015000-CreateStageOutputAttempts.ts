// What a stage produced before a reviewer rejected it and asked for a rerun: the rerun
// overwrites the course's output, so the rejected one is kept here and the approvals
// inbox can show the difference between the attempts.
import { MigrationInterface, QueryRunner } from 'typeorm';

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
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE stage_output_attempts`);
  }
}
