// Cost reports read this daily rollup, kept exact by a trigger in the same
// transaction as each trace insert, instead of scanning generation_trace.
import { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateCostRollups1763800009000 implements MigrationInterface {
  name = 'CreateCostRollups1763800009000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_daily_rollup (
        day date NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        model text NOT NULL,
        stage text NOT NULL,
        label text NOT NULL,
        calls bigint NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        cost_usd numeric(18, 8) NOT NULL DEFAULT 0,
        PRIMARY KEY (day, organization_id, course_id, model, stage, label)
      )`);
    await q.query(`CREATE INDEX idx_cost_rollup_org_day ON cost_daily_rollup (organization_id, day)`);
    await q.query(`
      CREATE FUNCTION rollup_trace_cost()
      RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO cost_daily_rollup AS r
          (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
        VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, NEW.organization_id, NEW.course_id, NEW.model_used,
                NEW.stage, NEW.label, 1, NEW.input_tokens, NEW.output_tokens, NEW.cost_usd)
        ON CONFLICT (day, organization_id, course_id, model, stage, label) DO UPDATE SET
          calls = r.calls + 1,
          input_tokens = r.input_tokens + EXCLUDED.input_tokens,
          output_tokens = r.output_tokens + EXCLUDED.output_tokens,
          cost_usd = r.cost_usd + EXCLUDED.cost_usd;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_rollup AFTER INSERT ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION rollup_trace_cost()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER generation_trace_rollup ON generation_trace`);
    await q.query(`DROP FUNCTION rollup_trace_cost()`);
    await q.query(`DROP TABLE cost_daily_rollup`);
  }
}
