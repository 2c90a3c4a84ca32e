// Quality that acts (seed 004, NR-003: a 0.75 similarity threshold) and the seed's
// system_metrics events `quality_low` and `cost_overrun`:
//  - per organization a quality threshold (default 0.75) and whether a course below it
//    stops at a review gate after stage 5 (`quality_gate`), both edited by admins;
//  - per course the verdict of stage 5's quality check (`quality_check`: score, method,
//    threshold) and `quality_low`, which the course list filters and flags;
//  - `cost_overrun`: once per course and budget, when the course's traced cost passes its
//    budget_usd, a system_metrics row and a live alert through the outbox — written by a
//    trigger, so no code path that records a cost can miss it.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class QualityThresholdAndCostOverrun1763900500000 implements MigrationInterface {
  name = 'QualityThresholdAndCostOverrun1763900500000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE organizations
      ADD COLUMN quality_threshold numeric(4, 3) NOT NULL DEFAULT 0.75
        CONSTRAINT organizations_quality_threshold_check CHECK (quality_threshold >= 0 AND quality_threshold <= 1),
      ADD COLUMN quality_gate boolean NOT NULL DEFAULT false`);
    await q.query(`ALTER TABLE courses
      ADD COLUMN quality_low boolean NOT NULL DEFAULT false,
      ADD COLUMN quality_check jsonb`);
    await q.query(`CREATE INDEX idx_courses_quality_low ON courses (organization_id, created_at DESC) WHERE quality_low`);
    await q.query(`
      CREATE FUNCTION cost_overrun_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        budget numeric;
        spent numeric;
      BEGIN
        SELECT budget_usd INTO budget FROM courses WHERE id = NEW.course_id;
        IF budget IS NULL OR NEW.course_id IS NULL THEN RETURN NULL; END IF;
        -- Concurrent traces of one course: one of them records the crossing.
        PERFORM pg_advisory_xact_lock(hashtextextended('mc-cost-overrun-' || NEW.course_id::text, 0));
        IF EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'cost_overrun' AND course_id = NEW.course_id
                      AND metadata->>'budgetUsd' = budget::text) THEN
          RETURN NULL;
        END IF;
        SELECT coalesce(sum(cost_usd), 0) INTO spent FROM generation_trace WHERE course_id = NEW.course_id;
        IF spent <= budget THEN RETURN NULL; END IF;
        INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
        VALUES ('cost_overrun', 'warn', NEW.organization_id, NEW.course_id,
                format('course cost $%s passed its budget of $%s', round(spent, 6), budget),
                jsonb_build_object('spentUsd', spent::text, 'budgetUsd', budget::text, 'traceId', NEW.id, 'run', NEW.run));
        INSERT INTO outbox (course_id, kind, payload)
        VALUES (NEW.course_id, 'publishLive', jsonb_build_object(
          'room', 'org-' || NEW.organization_id::text, 'event', 'alert.raised',
          'payload', jsonb_build_object('kind', 'cost_overrun', 'courseId', NEW.course_id, 'organizationId', NEW.organization_id,
                                        'spentUsd', spent::text, 'budgetUsd', budget::text,
                                        'message', format('course cost $%s passed its budget of $%s', round(spent, 6), budget))));
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_cost_overrun AFTER INSERT ON generation_trace
      FOR EACH ROW WHEN (NEW.cost_usd > 0) EXECUTE FUNCTION cost_overrun_check()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER generation_trace_cost_overrun ON generation_trace`);
    await q.query(`DROP FUNCTION cost_overrun_check()`);
    await q.query(`DROP INDEX idx_courses_quality_low`);
    await q.query(`ALTER TABLE courses DROP COLUMN quality_check, DROP COLUMN quality_low`);
    await q.query(`ALTER TABLE organizations DROP COLUMN quality_gate, DROP COLUMN quality_threshold`);
  }
}
