// Finance's books: prices as versions with an effective date (each trace names the
// version it was charged at), re-pricing a period as a recorded act, months that close
// for good (a trigger refuses any change to their traces or rollups, whatever the code
// path), rollups that follow every insert, update and delete of a trace, and monthly
// budget thresholds that fire once per organization × month × threshold, in the same
// transaction as the trace that crossed them.
import { MigrationInterface, QueryRunner } from 'typeorm';

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
    await q.query(`DROP TRIGGER generation_trace_rollup ON generation_trace`);
    await q.query(`
      CREATE OR REPLACE FUNCTION rollup_trace_cost()
      RETURNS trigger
      LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
          UPDATE cost_daily_rollup r SET
            calls = r.calls - 1,
            input_tokens = r.input_tokens - OLD.input_tokens,
            output_tokens = r.output_tokens - OLD.output_tokens,
            cost_usd = r.cost_usd - OLD.cost_usd
          WHERE r.day = (OLD.created_at AT TIME ZONE 'UTC')::date AND r.organization_id = OLD.organization_id
            AND r.course_id = OLD.course_id AND r.model = OLD.model_used AND r.stage = OLD.stage AND r.label = OLD.label;
          DELETE FROM cost_daily_rollup r
           WHERE r.calls = 0 AND r.day = (OLD.created_at AT TIME ZONE 'UTC')::date AND r.organization_id = OLD.organization_id
             AND r.course_id = OLD.course_id AND r.model = OLD.model_used AND r.stage = OLD.stage AND r.label = OLD.label;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
          INSERT INTO cost_daily_rollup AS r
            (day, organization_id, course_id, model, stage, label, calls, input_tokens, output_tokens, cost_usd)
          VALUES ((NEW.created_at AT TIME ZONE 'UTC')::date, NEW.organization_id, NEW.course_id, NEW.model_used,
                  NEW.stage, NEW.label, 1, NEW.input_tokens, NEW.output_tokens, NEW.cost_usd)
          ON CONFLICT (day, organization_id, course_id, model, stage, label) DO UPDATE SET
            calls = r.calls + 1,
            input_tokens = r.input_tokens + EXCLUDED.input_tokens,
            output_tokens = r.output_tokens + EXCLUDED.output_tokens,
            cost_usd = r.cost_usd + EXCLUDED.cost_usd;
        END IF;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_rollup AFTER INSERT OR DELETE ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION rollup_trace_cost()`);
    await q.query(`CREATE TRIGGER generation_trace_rollup_update
      AFTER UPDATE OF cost_usd, input_tokens, output_tokens, model_used, stage, label, created_at, organization_id, course_id
      ON generation_trace FOR EACH ROW EXECUTE FUNCTION rollup_trace_cost()`);

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
    // Runs after the rollup trigger (triggers fire in name order): the month's spend
    // includes this trace. The advisory lock makes concurrent traces of one
    // organization take turns here, so the last one sees every committed cost.
    await q.query(`
      CREATE FUNCTION budget_threshold_check() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        o record;
        m date;
        spent numeric;
        t int;
        url text;
      BEGIN
        IF NEW.cost_usd <= 0 OR (TG_OP = 'UPDATE' AND NEW.cost_usd <= OLD.cost_usd) THEN RETURN NULL; END IF;
        SELECT monthly_budget_usd, budget_thresholds, budget_webhook_url INTO o FROM organizations WHERE id = NEW.organization_id;
        IF o.monthly_budget_usd IS NULL THEN RETURN NULL; END IF;
        m := date_trunc('month', NEW.created_at AT TIME ZONE 'UTC')::date;
        -- Nothing left to cross this month: no lock, no sum.
        IF NOT EXISTS (SELECT 1 FROM unnest(o.budget_thresholds) x
                        WHERE NOT EXISTS (SELECT 1 FROM budget_threshold_crossings b
                                           WHERE b.organization_id = NEW.organization_id AND b.month = m AND b.threshold = x)) THEN
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtextextended('mc-budget-' || NEW.organization_id::text || '-' || m::text, 0));
        SELECT coalesce(sum(r.cost_usd), 0) INTO spent FROM cost_daily_rollup r
         WHERE r.organization_id = NEW.organization_id AND r.day >= m AND r.day < (m + interval '1 month')::date;
        FOR t IN SELECT DISTINCT x FROM unnest(o.budget_thresholds) x ORDER BY x LOOP
          EXIT WHEN spent < o.monthly_budget_usd * t / 100.0;
          INSERT INTO budget_threshold_crossings (organization_id, month, threshold, budget_usd, spent_usd, course_id, trace_id)
          VALUES (NEW.organization_id, m, t, o.monthly_budget_usd, spent, NEW.course_id, NEW.id)
          ON CONFLICT DO NOTHING;
          CONTINUE WHEN NOT FOUND;
          INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
          VALUES ('budget_threshold', CASE WHEN t >= 100 THEN 'error' ELSE 'warn' END, NEW.organization_id, NEW.course_id,
                  format('%s %% of the monthly model budget reached: $%s spent of $%s', t, round(spent, 4), o.monthly_budget_usd),
                  jsonb_build_object('threshold', t, 'month', to_char(m, 'YYYY-MM'), 'spentUsd', spent::text, 'budgetUsd', o.monthly_budget_usd::text));
          SELECT coalesce(o.budget_webhook_url, c.webhook_url) INTO url FROM courses c WHERE c.id = NEW.course_id;
          INSERT INTO outbox (course_id, kind, payload)
          VALUES (NEW.course_id, 'budgetThreshold', jsonb_build_object(
            'organizationId', NEW.organization_id, 'courseId', NEW.course_id, 'month', to_char(m, 'YYYY-MM'), 'threshold', t,
            'spentUsd', spent::numeric(18, 8)::text, 'budgetUsd', o.monthly_budget_usd::text, 'url', url,
            'crossedAt', to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')));
        END LOOP;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER generation_trace_thresholds AFTER INSERT OR UPDATE OF cost_usd ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION budget_threshold_check()`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER generation_trace_thresholds ON generation_trace`);
    await q.query(`DROP FUNCTION budget_threshold_check()`);
    await q.query(`DROP TABLE budget_threshold_crossings`);
    await q.query(`ALTER TABLE organizations DROP COLUMN budget_webhook_url, DROP COLUMN budget_thresholds`);
    await q.query(`DROP TRIGGER cost_daily_rollup_closed_month ON cost_daily_rollup`);
    await q.query(`DROP TRIGGER generation_trace_closed_month ON generation_trace`);
    await q.query(`DROP FUNCTION refuse_closed_month_change()`);
    await q.query(`DROP TABLE cost_closed_months`);
    await q.query(`DROP TRIGGER generation_trace_rollup_update ON generation_trace`);
    await q.query(`DROP TRIGGER generation_trace_rollup ON generation_trace`);
    await q.query(`CREATE TRIGGER generation_trace_rollup AFTER INSERT ON generation_trace
      FOR EACH ROW EXECUTE FUNCTION rollup_trace_cost()`);
    await q.query(`ALTER TABLE generation_trace DROP COLUMN reprice_id, DROP COLUMN price_version_id`);
    await q.query(`DROP TABLE cost_reprices`);
    await q.query(`DROP TRIGGER llm_models_first_price ON llm_models`);
    await q.query(`DROP FUNCTION first_price_version()`);
    await q.query(`DROP TRIGGER llm_model_prices_immutable ON llm_model_prices`);
    await q.query(`DROP FUNCTION refuse_price_version_change()`);
    await q.query(`DROP TABLE llm_model_prices`);
  }
}
