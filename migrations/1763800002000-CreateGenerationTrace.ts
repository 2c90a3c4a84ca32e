// One row per model call (seed 000 GenerationTrace), with the split token counts,
// the provider that answered, the attempt label and an idempotency key so that a job
// that runs twice records its calls once.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateGenerationTrace1763800002000 implements MigrationInterface {
  name = 'CreateGenerationTrace1763800002000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE generation_trace (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        lesson_id uuid,
        run int NOT NULL DEFAULT 1,
        stage text NOT NULL CHECK (stage ~ '^stage_[2-6]$'),
        phase text NOT NULL,
        step_name text NOT NULL,
        model_used text NOT NULL,
        provider text NOT NULL,
        tokens_used int NOT NULL DEFAULT 0 CHECK (tokens_used >= 0),
        input_tokens int NOT NULL DEFAULT 0 CHECK (input_tokens >= 0),
        output_tokens int NOT NULL DEFAULT 0 CHECK (output_tokens >= 0),
        cost_usd numeric(14, 8) NOT NULL DEFAULT 0 CHECK (cost_usd >= 0),
        duration_ms int NOT NULL DEFAULT 0 CHECK (duration_ms >= 0),
        attempt int NOT NULL DEFAULT 1,
        label text NOT NULL DEFAULT 'first_try' CHECK (label IN ('first_try', 'retry', 'fallback', 'repair', 'rerun')),
        input_data jsonb,
        output_data jsonb,
        error_data jsonb,
        idempotency_key text NOT NULL UNIQUE,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_trace_course_created ON generation_trace (course_id, created_at)`);
    await q.query(`CREATE INDEX idx_trace_org_created ON generation_trace (organization_id, created_at)`);
    await q.query(`CREATE INDEX idx_trace_created ON generation_trace (created_at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE generation_trace`);
  }
}
