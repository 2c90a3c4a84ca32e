// The three rules of seed 000, enforced by the database as well as by the course
// machine, so that no code path, script or psql session can break them:
//   1. stages run in order 2 -> 3 -> 4 -> 5 -> 6 (2 and 3 skipped only without documents);
//   2. while a course awaits approval its progress does not change;
//   3. the percentage never decreases, except on an explicit restart from scratch
//      (which stamps restarted_at and sets the percentage to 0).
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CourseRulesTrigger1763800008000 implements MigrationInterface {
  name = 'CourseRulesTrigger1763800008000';

  async up(q: QueryRunner): Promise<void> {
    // idle 0, queued 1, stage_N (and its gate) N, completed 7; failed and cancelled
    // stay at the stage they stopped in.
    await q.query(`
      CREATE FUNCTION course_stage_rank(status text, progress jsonb)
      RETURNS int
      LANGUAGE sql
      IMMUTABLE AS $$
        SELECT CASE
          WHEN status = 'idle' THEN 0
          WHEN status = 'queued' THEN 1
          WHEN status = 'completed' THEN 7
          WHEN status ~ '^stage_[2-6]' THEN substring(status FROM 7 FOR 1)::int
          WHEN progress->>'current_stage' ~ '^stage_[2-6]$' THEN substring(progress->>'current_stage' FROM 7 FOR 1)::int
          ELSE 1
        END
      $$`);
    await q.query(`
      CREATE FUNCTION enforce_course_generation_rules()
      RETURNS trigger
      LANGUAGE plpgsql AS $$
      DECLARE
        old_pct int := COALESCE((OLD.generation_progress->>'percentage')::int, 0);
        new_pct int := COALESCE((NEW.generation_progress->>'percentage')::int, 0);
        old_rank int := course_stage_rank(OLD.generation_status, OLD.generation_progress);
        new_rank int := course_stage_rank(NEW.generation_status, NEW.generation_progress);
        restarting boolean := NEW.restarted_at IS DISTINCT FROM OLD.restarted_at
                              AND new_pct = 0 AND NEW.generation_status IN ('idle', 'queued');
        has_docs boolean := COALESCE((NEW.generation_progress->>'has_documents')::boolean, false);
      BEGIN
        IF restarting THEN
          RETURN NEW;
        END IF;
        IF new_pct < old_pct THEN
          RAISE EXCEPTION 'percentage may not decrease (% -> %) unless the course is restarted', old_pct, new_pct
            USING ERRCODE = 'check_violation', CONSTRAINT = 'rule_percentage_never_decreases';
        END IF;
        IF OLD.generation_status LIKE '%\\_awaiting\\_approval' AND NEW.generation_status = OLD.generation_status
           AND NEW.generation_progress IS DISTINCT FROM OLD.generation_progress THEN
          RAISE EXCEPTION 'course % awaits approval: no progress may be applied', OLD.id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'rule_approval_lock';
        END IF;
        IF new_rank < old_rank THEN
          RAISE EXCEPTION 'stage may not go back (% -> %)', OLD.generation_status, NEW.generation_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'rule_stage_sequence';
        END IF;
        IF new_rank > old_rank + 1 AND NOT (old_rank <= 1 AND new_rank = 4 AND NOT has_docs) THEN
          RAISE EXCEPTION 'stage may not be skipped (% -> %)', OLD.generation_status, NEW.generation_status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'rule_stage_sequence';
        END IF;
        IF new_rank = 2 AND old_rank < 2 AND NOT has_docs THEN
          RAISE EXCEPTION 'stage 2 needs documents' USING ERRCODE = 'check_violation', CONSTRAINT = 'rule_stage_sequence';
        END IF;
        RETURN NEW;
      END;
      $$`);
    await q.query(`
      CREATE TRIGGER courses_generation_rules
      BEFORE UPDATE OF generation_status, generation_progress, restarted_at ON courses
      FOR EACH ROW EXECUTE FUNCTION enforce_course_generation_rules()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER courses_generation_rules ON courses`);
    await q.query(`DROP FUNCTION enforce_course_generation_rules()`);
    await q.query(`DROP FUNCTION course_stage_rank(text, jsonb)`);
  }
}
