// Stage 6's tables (seed 002): lessons, their generated TSX, and each generation
// attempt; plus claim_next_lesson(), the SKIP LOCKED claim that lets any number of
// jobs take lessons without two taking the same one.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateLessons1763800004000 implements MigrationInterface {
  name = 'CreateLessons1763800004000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE lessons (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        section_number int NOT NULL,
        lesson_number int NOT NULL,
        ordinal int NOT NULL,
        title text NOT NULL,
        outline text NOT NULL,
        spec jsonb NOT NULL DEFAULT '{}',
        status text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'generating', 'generated', 'failed')),
        claimed_by text,
        claimed_at timestamptz,
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (course_id, ordinal)
      )`);
    await q.query(`CREATE INDEX idx_lessons_status ON lessons (status)`);
    await q.query(`CREATE INDEX idx_lessons_created_at ON lessons (created_at DESC)`);
    await q.query(`CREATE INDEX idx_lessons_course_queued ON lessons (course_id, ordinal) WHERE status = 'queued'`);
    await q.query(`
      CREATE TABLE lesson_contents (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lesson_id uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
        typescript_source text NOT NULL,
        compiled_js text,
        blocks jsonb,
        version int NOT NULL DEFAULT 1,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (lesson_id, version)
      )`);
    await q.query(`CREATE INDEX idx_lesson_contents_lesson_id ON lesson_contents (lesson_id)`);
    await q.query(`
      CREATE TABLE generation_attempts (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        lesson_id uuid NOT NULL REFERENCES lessons(id) ON DELETE CASCADE,
        attempt_number int NOT NULL,
        started_at timestamptz NOT NULL DEFAULT now(),
        finished_at timestamptz,
        status text NOT NULL CHECK (status IN ('in_progress', 'success', 'failed')),
        error text,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (lesson_id, attempt_number)
      )`);
    await q.query(`CREATE INDEX idx_generation_attempts_lesson_id ON generation_attempts (lesson_id)`);
    // A claimer that asks again (a job run twice) gets back the lesson it already holds,
    // so re-running a job never claims a second lesson.
    await q.query(`
      CREATE FUNCTION claim_next_lesson(p_course_id uuid DEFAULT NULL, p_claimer text DEFAULT NULL)
      RETURNS SETOF lessons
      LANGUAGE plpgsql AS $$
      BEGIN
        IF p_claimer IS NOT NULL THEN
          RETURN QUERY SELECT * FROM lessons
            WHERE claimed_by = p_claimer AND (p_course_id IS NULL OR course_id = p_course_id);
          IF FOUND THEN RETURN; END IF;
        END IF;
        RETURN QUERY
          UPDATE lessons
             SET status = 'generating', claimed_by = p_claimer, claimed_at = now(), updated_at = now()
           WHERE id = (
             SELECT id FROM lessons
              WHERE status = 'queued' AND (p_course_id IS NULL OR course_id = p_course_id)
              ORDER BY created_at ASC, ordinal ASC
              LIMIT 1
              FOR UPDATE SKIP LOCKED)
          RETURNING *;
      END;
      $$`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION claim_next_lesson(uuid, text)`);
    await q.query(`DROP TABLE generation_attempts`);
    await q.query(`DROP TABLE lesson_contents`);
    await q.query(`DROP TABLE lessons`);
  }
}
