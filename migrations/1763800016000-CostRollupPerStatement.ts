// Cost rollups kept per statement instead of per row, and a second rollup without the
// course: a bulk insert of traces aggregates once (a row trigger upserting the same
// rollup row millions of times in one transaction does not finish), and a report that
// does not group by course reads a few rows per day instead of one per course.
import { MigrationInterface, QueryRunner } from 'typeorm';

const ORG = `nullif(current_setting('app.org_id', true), '')::uuid`;

const ROW_TRIGGER = `
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
  $$`;

export class CostRollupPerStatement1763800016000 implements MigrationInterface {
  name = 'CostRollupPerStatement1763800016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_daily_org_rollup (
        day date NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        model text NOT NULL,
        stage text NOT NULL,
        label text NOT NULL,
        calls bigint NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        cost_usd numeric(18, 8) NOT NULL DEFAULT 0,
        PRIMARY KEY (organization_id, day, model, stage, label)
      )`);
    await q.query(`
      INSERT INTO cost_daily_org_rollup (day, organization_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
      SELECT day, organization_id, model, stage, label, sum(calls), sum(input_tokens), sum(output_tokens), sum(cost_usd)
        FROM cost_daily_rollup GROUP BY day, organization_id, model, stage, label`);
    await q.query(`ALTER TABLE cost_daily_org_rollup ENABLE ROW LEVEL SECURITY`);
    await q.query(`ALTER TABLE cost_daily_org_rollup FORCE ROW LEVEL SECURITY`);
    await q.query(`CREATE POLICY tenant ON cost_daily_org_rollup TO mc_app USING (organization_id = ${ORG}) WITH CHECK (organization_id = ${ORG})`);
    await q.query(`CREATE POLICY system ON cost_daily_org_rollup TO mc_system USING (true) WITH CHECK (true)`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON cost_daily_org_rollup TO mc_app, mc_system`);

    // Rows are grouped first, then upserted in key order, so concurrent statements take
    // their rollup row locks in the same order.
    await q.query(`
      CREATE FUNCTION rollup_trace_costs()
      RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO cost_daily_rollup AS r
          (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
        SELECT (created_at AT TIME ZONE 'UTC')::date, organization_id, course_id, model_used, stage, label,
               count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)
          FROM new_traces
         GROUP BY 1, 2, 3, 4, 5, 6
         ORDER BY 1, 2, 3, 4, 5, 6
        ON CONFLICT (day, organization_id, course_id, model, stage, label) DO UPDATE SET
          calls = r.calls + EXCLUDED.calls,
          input_tokens = r.input_tokens + EXCLUDED.input_tokens,
          output_tokens = r.output_tokens + EXCLUDED.output_tokens,
          cost_usd = r.cost_usd + EXCLUDED.cost_usd;
        INSERT INTO cost_daily_org_rollup AS r
          (organization_id, day, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
        SELECT organization_id, (created_at AT TIME ZONE 'UTC')::date, model_used, stage, label,
               count(*), sum(input_tokens), sum(output_tokens), sum(cost_usd)
          FROM new_traces
         GROUP BY 1, 2, 3, 4, 5
         ORDER BY 1, 2, 3, 4, 5
        ON CONFLICT (organization_id, day, model, stage, label) DO UPDATE SET
          calls = r.calls + EXCLUDED.calls,
          input_tokens = r.input_tokens + EXCLUDED.input_tokens,
          output_tokens = r.output_tokens + EXCLUDED.output_tokens,
          cost_usd = r.cost_usd + EXCLUDED.cost_usd;
        RETURN NULL;
      END;
      $$`);
    await q.query(`GRANT EXECUTE ON FUNCTION rollup_trace_costs() TO mc_app, mc_system`);
    await q.query(`DROP TRIGGER generation_trace_rollup ON generation_trace`);
    await q.query(`DROP FUNCTION rollup_trace_cost()`);
    await q.query(`CREATE TRIGGER generation_trace_rollup AFTER INSERT ON generation_trace
      REFERENCING NEW TABLE AS new_traces FOR EACH STATEMENT EXECUTE FUNCTION rollup_trace_costs()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER generation_trace_rollup ON generation_trace`);
    await q.query(`DROP FUNCTION rollup_trace_costs()`);
    await q.query(ROW_TRIGGER);
    await q.query(`CREATE TRIGGER generation_trace_rollup AFTER INSERT ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION rollup_trace_cost()`);
    await q.query(`DROP TABLE cost_daily_org_rollup`);
  }
}
