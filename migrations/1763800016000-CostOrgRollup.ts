// A second cost rollup without the course: a report that does not group by course
// reads a few rows per organization and day instead of one per course. It follows
// cost_daily_rollup (itself kept by the trace triggers, in the same transaction) through
// statement triggers with transition tables, so whatever changes the per-course rollup —
// a model call, a re-price, a delete — changes this one by the same amounts.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { secureTable } from './tenant-rules';

const KEY = 'organization_id, day, model, stage, label';

/** Adds the summed deltas per key, in key order (concurrent statements lock rows alike). */
const apply = (deltas: string) => `
  INSERT INTO cost_daily_org_rollup AS r (${KEY}, calls, input_tokens, output_tokens, cost_usd)
  SELECT ${KEY}, sum(calls), sum(input_tokens), sum(output_tokens), sum(cost_usd)
    FROM (${deltas}) d (organization_id, day, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
   GROUP BY ${KEY}
  HAVING sum(calls) <> 0 OR sum(input_tokens) <> 0 OR sum(output_tokens) <> 0 OR sum(cost_usd) <> 0
   ORDER BY ${KEY}
  ON CONFLICT (${KEY}) DO UPDATE SET
    calls = r.calls + EXCLUDED.calls,
    input_tokens = r.input_tokens + EXCLUDED.input_tokens,
    output_tokens = r.output_tokens + EXCLUDED.output_tokens,
    cost_usd = r.cost_usd + EXCLUDED.cost_usd;`;

/** A key no call is left in goes away. */
const dropEmpty = (rows: string) => `
  DELETE FROM cost_daily_org_rollup r USING (SELECT DISTINCT ${KEY} FROM ${rows}) k
   WHERE r.calls = 0 AND (r.organization_id, r.day, r.model, r.stage, r.label) = (k.organization_id, k.day, k.model, k.stage, k.label);`;

export class CostOrgRollup1763800016000 implements MigrationInterface {
  name = 'CostOrgRollup1763800016000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE cost_daily_org_rollup (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        day date NOT NULL,
        model text NOT NULL,
        stage text NOT NULL,
        label text NOT NULL,
        calls bigint NOT NULL DEFAULT 0,
        input_tokens bigint NOT NULL DEFAULT 0,
        output_tokens bigint NOT NULL DEFAULT 0,
        cost_usd numeric(18, 8) NOT NULL DEFAULT 0,
        PRIMARY KEY (${KEY})
      )`);
    await q.query(`
      INSERT INTO cost_daily_org_rollup (${KEY}, calls, input_tokens, output_tokens, cost_usd)
      SELECT ${KEY}, sum(calls), sum(input_tokens), sum(output_tokens), sum(cost_usd)
        FROM cost_daily_rollup GROUP BY ${KEY}`);
    // Deltas: rows entering count up, rows leaving count down.
    await q.query(`
      CREATE FUNCTION follow_cost_rollup() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Each branch names only the transition tables its event has.
        IF TG_OP = 'INSERT' THEN
          ${apply(`SELECT ${KEY}, calls, input_tokens, output_tokens, cost_usd FROM new_rows`)}
        ELSIF TG_OP = 'UPDATE' THEN
          ${apply(`SELECT ${KEY}, calls, input_tokens, output_tokens, cost_usd FROM new_rows
                   UNION ALL SELECT ${KEY}, -calls, -input_tokens, -output_tokens, -cost_usd FROM old_rows`)}
          ${dropEmpty('old_rows')}
        ELSE
          ${apply(`SELECT ${KEY}, -calls, -input_tokens, -output_tokens, -cost_usd FROM old_rows`)}
          ${dropEmpty('old_rows')}
        END IF;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER cost_rollup_follow_insert AFTER INSERT ON cost_daily_rollup
      REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION follow_cost_rollup()`);
    await q.query(`CREATE TRIGGER cost_rollup_follow_update AFTER UPDATE ON cost_daily_rollup
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION follow_cost_rollup()`);
    await q.query(`CREATE TRIGGER cost_rollup_follow_delete AFTER DELETE ON cost_daily_rollup
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION follow_cost_rollup()`);
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON cost_daily_org_rollup TO mc_app, mc_system`);
    await secureTable(q, 'cost_daily_org_rollup');
  }

  async down(q: QueryRunner): Promise<void> {
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER cost_rollup_follow_${t} ON cost_daily_rollup`);
    await q.query(`DROP FUNCTION follow_cost_rollup()`);
    await q.query(`DROP TABLE cost_daily_org_rollup`);
  }
}
