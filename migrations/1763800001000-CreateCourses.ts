// The course row is the source of truth for a generation: the coarse status of the
// getStatus contract (seed 003), the machine's state and persisted snapshot, the
// progress JSONB of seed 000, the stage outputs and the stage-5 metadata of seed 001.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCourses1763800001000 implements MigrationInterface {
  name = 'CreateCourses1763800001000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE courses (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
        description text NOT NULL DEFAULT '',
        language text NOT NULL DEFAULT 'en' CHECK (language IN ('en', 'ru')),
        content_style text NOT NULL DEFAULT 'conversational',
        status text NOT NULL DEFAULT 'idle'
          CHECK (status IN ('idle', 'queued', 'generating', 'completed', 'failed', 'cancelled')),
        generation_status text NOT NULL DEFAULT 'idle'
          CHECK (generation_status ~ '^(idle|queued|stage_[2-6]|stage_[2-6]_awaiting_approval|completed|failed|cancelled)$'),
        generation_progress jsonb NOT NULL DEFAULT jsonb_build_object(
          'percentage', 0, 'message', '', 'current_step', 0, 'current_stage', NULL, 'steps', '[]'::jsonb,
          'has_documents', false, 'document_size', 0, 'lessons_completed', 0, 'lessons_total', 0,
          'started_at', NULL, 'estimated_completion', NULL),
        percentage int GENERATED ALWAYS AS (COALESCE((generation_progress->>'percentage')::int, 0)) STORED,
        generation_metadata jsonb,
        course_structure jsonb,
        analysis_result jsonb,
        approval_gates int[] NOT NULL DEFAULT '{}',
        machine_snapshot jsonb,
        version int NOT NULL DEFAULT 0,
        generation_run int NOT NULL DEFAULT 0,
        error_message text,
        error_details jsonb,
        webhook_url text,
        generation_started_at timestamptz,
        generation_completed_at timestamptz,
        last_progress_update timestamptz,
        restarted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`COMMENT ON COLUMN courses.generation_metadata IS
      'Stage 5 generation metrics: models, tokens, cost, durations, quality scores, batches, retries (seed 001)'`);
    await q.query(`CREATE INDEX idx_courses_generation_metadata ON courses USING GIN (generation_metadata)`);
    // Seed 003 §8.2: the status poll and the active-generation counts only touch live rows.
    await q.query(`CREATE INDEX idx_courses_generation_status ON courses (id, generation_status, updated_at)
      WHERE status IN ('queued', 'generating')`);
    await q.query(`CREATE INDEX idx_active_generations ON courses (created_by, generation_status)
      WHERE status IN ('queued', 'generating')`);
    await q.query(`CREATE INDEX idx_courses_org_active ON courses (organization_id)
      WHERE status IN ('queued', 'generating')`);
    await q.query(`CREATE INDEX idx_courses_org_created ON courses (organization_id, created_at DESC)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE courses`);
  }
}
