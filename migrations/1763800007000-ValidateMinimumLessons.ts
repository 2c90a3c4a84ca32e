// FR-015 (seed 001): a course structure needs at least 10 lessons across its sections.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ValidateMinimumLessons1763800007000 implements MigrationInterface {
  name = 'ValidateMinimumLessons1763800007000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION validate_minimum_lessons(course_structure jsonb)
      RETURNS boolean
      LANGUAGE plpgsql
      IMMUTABLE AS $$
      DECLARE
        section jsonb;
        total int := 0;
      BEGIN
        IF course_structure IS NULL OR jsonb_typeof(course_structure->'sections') IS DISTINCT FROM 'array' THEN
          RETURN false;
        END IF;
        FOR section IN SELECT * FROM jsonb_array_elements(course_structure->'sections') LOOP
          IF jsonb_typeof(section->'lessons') = 'array' THEN
            total := total + jsonb_array_length(section->'lessons');
          END IF;
        END LOOP;
        RETURN total >= 10;
      END;
      $$`);
    await q.query(`ALTER TABLE courses ADD CONSTRAINT courses_structure_minimum_lessons
      CHECK (course_structure IS NULL OR validate_minimum_lessons(course_structure))`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE courses DROP CONSTRAINT courses_structure_minimum_lessons`);
    await q.query(`DROP FUNCTION validate_minimum_lessons(jsonb)`);
  }
}
