// Finance's books: prices as versions with an effective date (each trace names the
// version it was charged at), re-pricing a period as a recorded act, months that close
// for good (a trigger refuses any change to their traces or rollups, whatever the code
// path), rollups that follow every insert, update and delete of a trace, and monthly
// budget thresholds that fire once per organization × month × threshold, in the same
// transaction as the trace that crossed them.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { secureTable } from './tenant-rules';

export class PriceVersionsClosedMonthsBudgets1763800014000 implements MigrationInterface {
  name = 'PriceVersionsClosedMonthsBudgets1763800014000';

  async up(q: QueryRunner): Promise<void> {
    // --- versioned prices ---------------------------------------------------------
    await q.query(`
      CREATE TABLE llm_model_prices (
        id bigserial PRIMARY KEY,
        model_id text NOT NULL REFERENCES llm_models(id) ON DELETE CASCADE,
        input_price_per_1m numeric(12, 6) NOT NULL CHECK (input_price_per_1m >= 0),
        output_price_per_1m numeric(12, 6) NOT NULL CHECK (output_price_per_1m >= 0),
        effective_from timestamptz NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        UNIQUE (model_id, effective_from)
      )`);
    // A version is history: it is never edited nor removed (a model's removal aside).
    await q.query(`
      CREATE FUNCTION refuse_price_version_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'price versions are never edited: add a new version instead' USING ERRCODE = 'MC002';
      END;
      $$`);
    await q.query(`CREATE TRIGGER llm_model_prices_immutable BEFORE UPDATE ON llm_model_prices
      FOR EACH ROW EXECUTE FUNCTION refuse_price_version_change()`);
    // A model known before any version exists is priced, since always, as inserted.
    await q.query(`
      CREATE FUNCTION first_price_version() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO llm_model_prices (model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
        VALUES (NEW.id, NEW.input_price_per_1m, NEW.output_price_per_1m, '1970-01-01T00:00:00Z', NEW.updated_by)
        ON CONFLICT DO NOTHING;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER llm_models_first_price AFTER INSERT ON llm_models
      FOR EACH ROW EXECUTE FUNCTION first_price_version()`);
    await q.query(`INSERT INTO llm_model_prices (model_id, input_price_per_1m, output_price_per_1m, effective_from, created_by)
      SELECT id, input_price_per_1m, output_price_per_1m, '1970-01-01T00:00:00Z', updated_by FROM llm_models`);

    await q.query(`
      CREATE TABLE cost_reprices (
        id bigserial PRIMARY KEY,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        from_day date NOT NULL,
        to_day date NOT NULL,
        prices jsonb NOT NULL,
        traces int NOT NULL,
        before_usd numeric(18, 8) NOT NULL,
        after_usd numeric(18, 8) NOT NULL,
        created_by uuid REFERENCES users(id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`ALTER TABLE generation_trace
      ADD COLUMN price_version_id bigint REFERENCES llm_model_prices(id),
      ADD COLUMN reprice_id bigint REFERENCES cost_reprices(id)`);
    await q.query(`UPDATE generation_trace t SET price_version_id = p.id FROM llm_model_prices p WHERE p.model_id = t.model_used`);

    // --- rollups follow every change of a trace, not only inserts -----------------
    // Inserts (one per model call) keep the row trigger; updates and deletes (re-pricing,
    // a course's removal, a psql session) are applied per statement as one set of
    // deltas, so re-pricing a month costs one upsert per rollup row, not per trace.
    await q.query(`
      CREATE FUNCTION rollup_trace_changes() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        -- Each branch names only the transition tables its event has.
        IF TG_OP = 'UPDATE' THEN
          INSERT INTO cost_daily_rollup AS r
            (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
          SELECT * FROM (
            SELECT day, organization_id, course_id, model, stage, label,
                   sum(calls) AS calls, sum(input_tokens) AS input_tokens, sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd
              FROM (SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.organization_id, o.course_id, o.model_used AS model, o.stage, o.label,
                           -1 AS calls, -o.input_tokens AS input_tokens, -o.output_tokens AS output_tokens, -o.cost_usd AS cost_usd FROM old_rows o
                    UNION ALL
                    SELECT (n.created_at AT TIME ZONE 'UTC')::date, n.organization_id, n.course_id, n.model_used, n.stage, n.label,
                           1, n.input_tokens, n.output_tokens, n.cost_usd FROM new_rows n) x
             GROUP BY 1, 2, 3, 4, 5, 6) d
           WHERE d.calls <> 0 OR d.input_tokens <> 0 OR d.output_tokens <> 0 OR d.cost_usd <> 0
          ON CONFLICT (day, organization_id, course_id, model, stage, label) DO UPDATE SET
            calls = r.calls + EXCLUDED.calls,
            input_tokens = r.input_tokens + EXCLUDED.input_tokens,
            output_tokens = r.output_tokens + EXCLUDED.output_tokens,
            cost_usd = r.cost_usd + EXCLUDED.cost_usd;
        ELSE
          UPDATE cost_daily_rollup r SET
            calls = r.calls - d.calls,
            input_tokens = r.input_tokens - d.input_tokens,
            output_tokens = r.output_tokens - d.output_tokens,
            cost_usd = r.cost_usd - d.cost_usd
          FROM (SELECT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.organization_id, o.course_id, o.model_used AS model, o.stage, o.label,
                       count(*) AS calls, sum(o.input_tokens) AS input_tokens, sum(o.output_tokens) AS output_tokens, sum(o.cost_usd) AS cost_usd
                  FROM old_rows o GROUP BY 1, 2, 3, 4, 5, 6) d
          WHERE (r.day, r.organization_id, r.course_id, r.model, r.stage, r.label) = (d.day, d.organization_id, d.course_id, d.model, d.stage, d.label);
        END IF;
        -- A rollup row that no trace is left in goes away.
        DELETE FROM cost_daily_rollup r
         USING (SELECT DISTINCT (o.created_at AT TIME ZONE 'UTC')::date AS day, o.organization_id, o.course_id, o.model_used AS model, o.stage, o.label
                  FROM old_rows o) k
         WHERE r.calls = 0 AND (r.day, r.organization_id, r.course_id, r.model, r.stage, r.label) = (k.day, k.organization_id, k.course_id, k.model, k.stage, k.label);
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_rollup_update AFTER UPDATE ON generation_trace
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_trace_changes()`);
    await q.query(`CREATE TRIGGER generation_trace_rollup_delete AFTER DELETE ON generation_trace
      REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION rollup_trace_changes()`);

    // --- closed months ------------------------------------------------------------
    await q.query(`
      CREATE TABLE cost_closed_months (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        month date NOT NULL CHECK (extract(day FROM month) = 1),
        closed_by uuid REFERENCES users(id) ON DELETE SET NULL,
        closed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, month)
      )`);
    await q.query(`
      CREATE FUNCTION refuse_closed_month_change() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        days date[] := '{}';
        orgs uuid[] := '{}';
      BEGIN
        -- Each branch reads only the columns of its own table (plpgsql plans a
        -- statement when it first runs it).
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          orgs := orgs || OLD.organization_id;
          IF TG_TABLE_NAME = 'generation_trace' THEN
            days := days || (OLD.created_at AT TIME ZONE 'UTC')::date;
          ELSE
            days := days || OLD.day;
          END IF;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          orgs := orgs || NEW.organization_id;
          IF TG_TABLE_NAME = 'generation_trace' THEN
            days := days || (NEW.created_at AT TIME ZONE 'UTC')::date;
          ELSE
            days := days || NEW.day;
          END IF;
        END IF;
        FOR i IN 1..cardinality(days) LOOP
          IF EXISTS (SELECT 1 FROM cost_closed_months m WHERE m.organization_id = orgs[i] AND m.month = date_trunc('month', days[i])::date) THEN
            RAISE EXCEPTION 'month % is closed: its costs never change', to_char(days[i], 'YYYY-MM') USING ERRCODE = 'MC001';
          END IF;
        END LOOP;
        IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
        RETURN NEW;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_closed_month BEFORE INSERT OR UPDATE OR DELETE ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION refuse_closed_month_change()`);
    await q.query(`CREATE TRIGGER cost_daily_rollup_closed_month BEFORE INSERT OR UPDATE OR DELETE ON cost_daily_rollup
      FOR EACH ROW EXECUTE FUNCTION refuse_closed_month_change()`);

    // --- budget thresholds --------------------------------------------------------
    await q.query(`ALTER TABLE organizations
      ADD COLUMN budget_thresholds int[] NOT NULL DEFAULT '{50,80,100}'
        CHECK (cardinality(budget_thresholds) BETWEEN 1 AND 10 AND 0 < ALL (budget_thresholds) AND 1000 >= ALL (budget_thresholds)),
      ADD COLUMN budget_webhook_url text`);
    await q.query(`
      CREATE TABLE budget_threshold_crossings (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        month date NOT NULL,
        threshold int NOT NULL,
        budget_usd numeric(14, 4) NOT NULL,
        spent_usd numeric(18, 8) NOT NULL,
        course_id uuid REFERENCES courses(id) ON DELETE SET NULL,
        trace_id uuid,
        crossed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (organization_id, month, threshold)
      )`);
    // Called after the rollups took the trace in (row triggers fire in name order, and
    // updates' statement triggers likewise), so the month's spend includes it. The
    // advisory lock makes concurrent traces of one organization take turns here, so
    // the last one sees every committed cost.
    await q.query(`
      CREATE FUNCTION budget_threshold_cross(p_org uuid, p_month date, p_course uuid, p_trace uuid) RETURNS void LANGUAGE plpgsql AS $$
      DECLARE
        o record;
        spent numeric;
        t int;
        url text;
      BEGIN
        SELECT monthly_budget_usd, budget_thresholds, budget_webhook_url INTO o FROM organizations WHERE id = p_org;
        IF o.monthly_budget_usd IS NULL THEN RETURN; END IF;
        -- Nothing left to cross this month: no lock, no sum.
        IF NOT EXISTS (SELECT 1 FROM unnest(o.budget_thresholds) x
                        WHERE NOT EXISTS (SELECT 1 FROM budget_threshold_crossings b
                                           WHERE b.organization_id = p_org AND b.month = p_month AND b.threshold = x)) THEN
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('mc-budget-' || p_org::text || '-' || p_month::text, 0));
        SELECT coalesce(sum(r.cost_usd), 0) INTO spent FROM cost_daily_rollup r
         WHERE r.organization_id = p_org AND r.day >= p_month AND r.day < (p_month + interval '1 month')::date;
        FOR t IN SELECT DISTINCT x FROM unnest(o.budget_thresholds) x ORDER BY x LOOP
          EXIT WHEN spent < o.monthly_budget_usd * t / 100.0;
          INSERT INTO budget_threshold_crossings (organization_id, month, threshold, budget_usd, spent_usd, course_id, trace_id)
          VALUES (p_org, p_month, t, o.monthly_budget_usd, spent, p_course, p_trace)
          ON CONFLICT DO NOTHING;
          CONTINUE WHEN NOT FOUND;
          INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
          VALUES ('budget_threshold', CASE WHEN t >= 100 THEN 'error' ELSE 'warn' END, p_org, p_course,
                  format('%s %% of the monthly model budget reached: $%s spent of $%s', t, round(spent, 4), o.monthly_budget_usd),
                  jsonb_build_object('threshold', t, 'month', to_char(p_month, 'YYYY-MM'), 'spentUsd', spent::text, 'budgetUsd', o.monthly_budget_usd::text));
          SELECT coalesce(o.budget_webhook_url, c.webhook_url) INTO url FROM courses c WHERE c.id = p_course;
          INSERT INTO outbox (course_id, kind, payload)
          VALUES (p_course, 'budgetThreshold', jsonb_build_object(
            'organizationId', p_org, 'courseId', p_course, 'month', to_char(p_month, 'YYYY-MM'), 'threshold', t,
            'spentUsd', spent::numeric(18, 8)::text, 'budgetUsd', o.monthly_budget_usd::text, 'url', url,
            'crossedAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
        END LOOP;
      END;
      $$`);
    await q.query(`
      CREATE FUNCTION budget_threshold_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        c record;
      BEGIN
        IF TG_OP = 'INSERT' THEN
          IF NEW.cost_usd > 0 THEN
            PERFORM budget_threshold_cross(NEW.organization_id, date_trunc('month', NEW.created_at AT TIME ZONE 'UTC')::date, NEW.course_id, NEW.id);
          END IF;
          RETURN NULL;
        END IF;
        -- An update statement (a re-price): once per organization and month it raised.
        FOR c IN SELECT n.organization_id, date_trunc('month', n.created_at AT TIME ZONE 'UTC')::date AS month,
                        (array_agg(n.course_id))[1] AS course_id, (array_agg(n.id))[1] AS id
                   FROM new_rows n JOIN old_rows o ON o.id = n.id
                  WHERE n.cost_usd > o.cost_usd GROUP BY 1, 2 LOOP
          PERFORM budget_threshold_cross(c.organization_id, c.month, c.course_id, c.id);
        END LOOP;
        RETURN NULL;
      END;
      $$`);
    // The new tables join the access rules of migration 1763800012000: an organization's
    // rows are seen through mc_app only with its app.org_id; mc_system sees all.
    const tables = ['llm_model_prices', 'cost_reprices', 'cost_closed_months', 'budget_threshold_crossings'];
    await q.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ${tables.join(', ')} TO mc_app, mc_system`);
    await q.query(`GRANT USAGE, SELECT ON llm_model_prices_id_seq, cost_reprices_id_seq TO mc_app, mc_system`);
    for (const t of tables.slice(1)) await secureTable(q, t);
    await q.query(`CREATE TRIGGER generation_trace_thresholds AFTER INSERT ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION budget_threshold_check()`);
    await q.query(`CREATE TRIGGER generation_trace_thresholds_update AFTER UPDATE ON generation_trace
      REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION budget_threshold_check()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER generation_trace_thresholds_update ON generation_trace`);
    await q.query(`DROP TRIGGER generation_trace_thresholds ON generation_trace`);
    await q.query(`DROP FUNCTION budget_threshold_check()`);
    await q.query(`DROP FUNCTION budget_threshold_cross(uuid, date, uuid, uuid)`);
    await q.query(`DROP TABLE budget_threshold_crossings`);
    await q.query(`ALTER TABLE organizations DROP COLUMN budget_webhook_url, DROP COLUMN budget_thresholds`);
    await q.query(`DROP TRIGGER cost_daily_rollup_closed_month ON cost_daily_rollup`);
    await q.query(`DROP TRIGGER generation_trace_closed_month ON generation_trace`);
    await q.query(`DROP FUNCTION refuse_closed_month_change()`);
    await q.query(`DROP TABLE cost_closed_months`);
    await q.query(`DROP TRIGGER generation_trace_rollup_delete ON generation_trace`);
    await q.query(`DROP TRIGGER generation_trace_rollup_update ON generation_trace`);
    await q.query(`DROP FUNCTION rollup_trace_changes()`);
    await q.query(`ALTER TABLE generation_trace DROP COLUMN reprice_id, DROP COLUMN price_version_id`);
    await q.query(`DROP TABLE cost_reprices`);
    await q.query(`DROP TRIGGER llm_models_first_price ON llm_models`);
    await q.query(`DROP FUNCTION first_price_version()`);
    await q.query(`DROP TRIGGER llm_model_prices_immutable ON llm_model_prices`);
    await q.query(`DROP FUNCTION refuse_price_version_change()`);
    await q.query(`DROP TABLE llm_model_prices`);
  }
}
