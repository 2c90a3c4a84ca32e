// The price table finance edits (per 1M tokens) and the system events table
// (concurrency limits hit, refused events, rollbacks) of the seeds.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateModelsAndMetrics1763800005000 implements MigrationInterface {
  name = 'CreateModelsAndMetrics1763800005000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE llm_models (
        id text PRIMARY KEY,
        provider_model text NOT NULL,
        display_name text NOT NULL,
        input_price_per_1m numeric(12, 6) NOT NULL CHECK (input_price_per_1m >= 0),
        output_price_per_1m numeric(12, 6) NOT NULL CHECK (output_price_per_1m >= 0),
        context_window int NOT NULL CHECK (context_window > 0),
        active boolean NOT NULL DEFAULT true,
        updated_by uuid REFERENCES users(id) ON DELETE SET NULL,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`
      CREATE TABLE system_metrics (
        id bigserial PRIMARY KEY,
        metric_type text NOT NULL,
        severity text NOT NULL DEFAULT 'info' CHECK (severity IN ('info', 'warn', 'error')),
        organization_id uuid REFERENCES organizations(id) ON DELETE CASCADE,
        course_id uuid REFERENCES courses(id) ON DELETE CASCADE,
        job_id text,
        message text NOT NULL,
        metadata jsonb NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE INDEX idx_system_metrics_type_created ON system_metrics (metric_type, created_at DESC)`);
    await q.query(`CREATE INDEX idx_system_metrics_course ON system_metrics (course_id) WHERE course_id IS NOT NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE system_metrics`);
    await q.query(`DROP TABLE llm_models`);
  }
}
