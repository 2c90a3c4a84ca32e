// What the dashboard's reads need to stay flat as an organization grows to a million
// courses and ten million traces:
//
// - indexes for every sort and filter of the courses and traces lists, organization
//   first, each ending in the id the lists break ties with (so a page is read in index
//   order, never sorted), partial ones for the states the overview counts (failed,
//   completed), and trigram indexes (pg_trgm) for the courses list's `q`. Under row-level
//   security Postgres takes a condition as an index condition only when its operators
//   are LEAKPROOF: text, uuid, int, float8 and timestamptz comparisons and `= ANY` are,
//   LIKE / ILIKE are not — so `q` is answered by a SECURITY DEFINER function that
//   searches the caller's organization only and returns ids (course_search_ids);
// - course_status_counts: courses per organization, status and generation_status, kept
//   by a row trigger in the same transaction as the change (the overview and
//   /api/metrics read it instead of counting courses);
// - courses.generation_status_since and stage_durations: when a course leaves a stage
//   its time there is added to the (course, run, stage) row, and stage_duration_daily
//   keeps a histogram of those totals per organization, day and stage (buckets 5 % wide)
//   from which the overview reads p50 / p95 without touching the history;
// - phase_durations: each item of a phase (PHASE_STARTED to PHASE_DONE), recorded by a
//   trigger on the history as the events are written, with the provider of the course's
//   last model call; the worker refreshes the medians (phase_duration_medians_org, per
//   organization and provider, and phase_duration_medians_all, across organizations)
//   in the background, and the status route only reads them.
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ORG_SETTING, secureTable } from './tenant-rules';

const COURSE_INDEXES: Record<string, string> = {
  idx_courses_org_id: '(organization_id, id)',
  idx_courses_org_title: '(organization_id, title, id)',
  idx_courses_org_status: '(organization_id, status, id)',
  idx_courses_org_generation_status: '(organization_id, generation_status, id)',
  idx_courses_org_percentage: '(organization_id, percentage, id)',
  idx_courses_org_updated: '(organization_id, updated_at, id)',
  idx_courses_org_created_id: '(organization_id, created_at, id)',
  idx_courses_org_language: '(organization_id, language, created_at)',
  idx_courses_org_failed: `(organization_id, updated_at) WHERE status = 'failed'`,
  idx_courses_org_completed: `(organization_id, updated_at) WHERE status = 'completed'`,
  idx_courses_title_trgm: 'USING gin (title gin_trgm_ops)',
  idx_courses_description_trgm: 'USING gin (description gin_trgm_ops)',
};

const TRACE_INDEXES: Record<string, string> = {
  idx_trace_org_id: '(organization_id, id)',
  idx_trace_org_created_id: '(organization_id, created_at, id)',
  idx_trace_org_model_created: '(organization_id, model_used, created_at)',
  idx_trace_org_errors_created: '(organization_id, created_at) WHERE error_data IS NOT NULL',
  idx_trace_org_stage_created: '(organization_id, stage, created_at)',
  idx_trace_org_phase_created: '(organization_id, phase, created_at)',
  idx_trace_org_label_created: '(organization_id, label, created_at)',
  idx_trace_org_cost: '(organization_id, cost_usd, id)',
  idx_trace_org_tokens: '(organization_id, tokens_used, id)',
  idx_trace_org_duration: '(organization_id, duration_ms, id)',
  idx_trace_lesson_created: '(lesson_id, created_at) WHERE lesson_id IS NOT NULL',
};

/** Bucket of a duration in seconds: 5 %-wide buckets, `exp((b + 0.5) ln 1.05) - 1` their middle. */
export const DURATION_BUCKET = (seconds: string) => `floor(ln(1 + greatest(${seconds}, 0)) / ln(1.05))::int`;

export class ReadPathsAtScale1763900700000 implements MigrationInterface {
  name = 'ReadPathsAtScale1763900700000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const [name, def] of Object.entries(COURSE_INDEXES)) await q.query(`CREATE INDEX ${name} ON courses ${def}`);
    // Replaced by the same columns followed by id.
    await q.query(`DROP INDEX idx_courses_org_created`);
    for (const [name, def] of Object.entries(TRACE_INDEXES)) await q.query(`CREATE INDEX ${name} ON generation_trace ${def}`);
    await q.query(`DROP INDEX idx_trace_org_created`);

    // `q` of the courses list: the caller's organization's courses whose title or
    // description contains the pattern, through the trigram indexes, at most p_cap + 1.
    await q.query(`
      CREATE FUNCTION course_search_ids(p_pattern text, p_cap int) RETURNS uuid[]
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT coalesce(array_agg(id), '{}') FROM (
          SELECT c.id FROM courses c
           WHERE c.organization_id = ${ORG_SETTING} AND (c.title ILIKE p_pattern OR c.description ILIKE p_pattern)
           LIMIT p_cap + 1) m
      $$`);
    await q.query(`REVOKE ALL ON FUNCTION course_search_ids(text, int) FROM PUBLIC`);
    await q.query(`GRANT EXECUTE ON FUNCTION course_search_ids(text, int) TO mc_app, mc_system`);

    // Courses per organization and state.
    await q.query(`
      CREATE TABLE course_status_counts (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        status text NOT NULL,
        generation_status text NOT NULL,
        n bigint NOT NULL DEFAULT 0,
        PRIMARY KEY (organization_id, status, generation_status)
      )`);
    await q.query(`
      INSERT INTO course_status_counts (organization_id, status, generation_status, n)
      SELECT organization_id, status, generation_status, count(*) FROM courses GROUP BY 1, 2, 3`);
    await q.query(`
      CREATE FUNCTION count_course_states() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          -- No insert: an organization being deleted takes its counts with it.
          UPDATE course_status_counts SET n = n - 1
           WHERE organization_id = OLD.organization_id AND status = OLD.status AND generation_status = OLD.generation_status;
          RETURN NULL;
        END IF;
        -- Both keys in one statement, in key order: concurrent transitions lock them alike.
        INSERT INTO course_status_counts AS c (organization_id, status, generation_status, n)
        SELECT o, s, g, sum(d) FROM (
          SELECT NEW.organization_id, NEW.status, NEW.generation_status, 1
          UNION ALL
          SELECT OLD.organization_id, OLD.status, OLD.generation_status, -1 WHERE TG_OP = 'UPDATE') v (o, s, g, d)
         GROUP BY o, s, g HAVING sum(d) <> 0 ORDER BY o, s, g
        ON CONFLICT (organization_id, status, generation_status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END;
      $$`);
    // Inserts per statement: a bulk insert adds its courses with one upsert per state.
    await q.query(`
      CREATE FUNCTION count_inserted_courses() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        INSERT INTO course_status_counts AS c (organization_id, status, generation_status, n)
        SELECT organization_id, status, generation_status, count(*) FROM new_rows
         GROUP BY 1, 2, 3 ORDER BY 1, 2, 3
        ON CONFLICT (organization_id, status, generation_status) DO UPDATE SET n = c.n + EXCLUDED.n;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER courses_count_insert AFTER INSERT ON courses REFERENCING NEW TABLE AS new_rows
      FOR EACH STATEMENT EXECUTE FUNCTION count_inserted_courses()`);
    await q.query(`CREATE TRIGGER courses_count_update AFTER UPDATE OF status, generation_status, organization_id ON courses FOR EACH ROW
      WHEN (OLD.status IS DISTINCT FROM NEW.status OR OLD.generation_status IS DISTINCT FROM NEW.generation_status
            OR OLD.organization_id IS DISTINCT FROM NEW.organization_id)
      EXECUTE FUNCTION count_course_states()`);
    await q.query(`CREATE TRIGGER courses_count_delete AFTER DELETE ON courses FOR EACH ROW EXECUTE FUNCTION count_course_states()`);
    await secureTable(q, 'course_status_counts');

    // Stage durations, recorded when a stage ends.
    await q.query(`ALTER TABLE courses ADD COLUMN generation_status_since timestamptz`);
    await q.query(`
      UPDATE courses c SET generation_status_since = coalesce(
        (SELECT max(h.created_at) FROM generation_status_history h WHERE h.course_id = c.id AND h.to_status = c.generation_status), c.updated_at)`);
    await q.query(`
      CREATE TABLE stage_durations (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        run int NOT NULL,
        stage text NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        seconds float8 NOT NULL,
        ended_at timestamptz NOT NULL,
        PRIMARY KEY (course_id, run, stage)
      )`);
    await q.query(`CREATE INDEX idx_stage_durations_org_ended ON stage_durations (organization_id, ended_at)`);
    await q.query(`
      CREATE TABLE stage_duration_daily (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        day date NOT NULL,
        stage text NOT NULL,
        bucket int NOT NULL,
        n bigint NOT NULL,
        PRIMARY KEY (organization_id, day, stage, bucket)
      )`);
    await q.query(`
      CREATE FUNCTION track_generation_status() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE
        moved_at timestamptz := CASE WHEN NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN NEW.updated_at ELSE now() END;
        prev stage_durations%ROWTYPE;
        total float8;
      BEGIN
        NEW.generation_status_since := moved_at;
        IF OLD.generation_status !~ '^stage_[2-6]$' OR OLD.generation_status_since IS NULL THEN
          RETURN NEW;
        END IF;
        total := greatest(extract(epoch FROM moved_at - OLD.generation_status_since)::float8, 0);
        SELECT * INTO prev FROM stage_durations
         WHERE course_id = OLD.id AND run = OLD.generation_run AND stage = OLD.generation_status FOR UPDATE;
        IF FOUND THEN
          total := total + prev.seconds;
          UPDATE stage_duration_daily SET n = n - 1
           WHERE organization_id = prev.organization_id AND day = (prev.ended_at AT TIME ZONE 'UTC')::date
             AND stage = prev.stage AND bucket = ${DURATION_BUCKET('prev.seconds')};
          UPDATE stage_durations SET seconds = total, ended_at = moved_at
           WHERE course_id = OLD.id AND run = OLD.generation_run AND stage = OLD.generation_status;
        ELSE
          INSERT INTO stage_durations (course_id, run, stage, organization_id, seconds, ended_at)
          VALUES (OLD.id, OLD.generation_run, OLD.generation_status, OLD.organization_id, total, moved_at);
        END IF;
        INSERT INTO stage_duration_daily AS d (organization_id, day, stage, bucket, n)
        VALUES (OLD.organization_id, (moved_at AT TIME ZONE 'UTC')::date, OLD.generation_status, ${DURATION_BUCKET('total')}, 1)
        ON CONFLICT (organization_id, day, stage, bucket) DO UPDATE SET n = d.n + 1;
        RETURN NEW;
      END;
      $$`);
    // Named after courses_generation_rules: BEFORE triggers run in name order, the rules first.
    await q.query(`CREATE TRIGGER courses_track_generation_status BEFORE UPDATE OF generation_status ON courses FOR EACH ROW
      WHEN (OLD.generation_status IS DISTINCT FROM NEW.generation_status) EXECUTE FUNCTION track_generation_status()`);
    await secureTable(q, 'stage_durations');
    await secureTable(q, 'stage_duration_daily');

    // Phase items' durations as the events are written, and their medians.
    await q.query(`
      CREATE TABLE phase_durations (
        course_id uuid NOT NULL REFERENCES courses(id) ON DELETE CASCADE,
        run int NOT NULL,
        stage text NOT NULL,
        phase text NOT NULL,
        item text NOT NULL,
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        provider text,
        started_at timestamptz,
        done_at timestamptz,
        PRIMARY KEY (course_id, run, stage, phase, item)
      )`);
    await q.query(`CREATE INDEX idx_phase_durations_done ON phase_durations (done_at) WHERE started_at IS NOT NULL`);
    await q.query(`
      CREATE FUNCTION record_phase_duration() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.stage IS NULL OR NEW.phase IS NULL THEN RETURN NULL; END IF;
        IF NEW.event = 'PHASE_STARTED' THEN
          INSERT INTO phase_durations AS p (course_id, run, stage, phase, item, organization_id, started_at)
          VALUES (NEW.course_id, coalesce(NEW.run, 0), NEW.stage, NEW.phase, coalesce(NEW.reason, ''), NEW.organization_id, NEW.created_at)
          ON CONFLICT (course_id, run, stage, phase, item) DO UPDATE SET started_at = least(p.started_at, EXCLUDED.started_at);
        ELSE
          -- The provider that answered the course's last call: NULL for phases before any model call.
          INSERT INTO phase_durations AS p (course_id, run, stage, phase, item, organization_id, done_at, provider)
          VALUES (NEW.course_id, coalesce(NEW.run, 0), NEW.stage, NEW.phase, coalesce(NEW.reason, ''), NEW.organization_id, NEW.created_at,
                  (SELECT t.provider FROM generation_trace t WHERE t.course_id = NEW.course_id ORDER BY t.created_at DESC LIMIT 1))
          ON CONFLICT (course_id, run, stage, phase, item) DO UPDATE
            SET done_at = greatest(p.done_at, EXCLUDED.done_at), provider = coalesce(EXCLUDED.provider, p.provider);
        END IF;
        RETURN NULL;
      END;
      $$`);
    await q.query(`CREATE TRIGGER status_history_phase_durations AFTER INSERT ON generation_status_history FOR EACH ROW
      WHEN (NEW.event IN ('PHASE_STARTED', 'PHASE_DONE')) EXECUTE FUNCTION record_phase_duration()`);
    await q.query(`
      INSERT INTO phase_durations (course_id, run, stage, phase, item, organization_id, provider, started_at, done_at)
      SELECT h.course_id, coalesce(h.run, 0), h.stage, h.phase, coalesce(h.reason, ''), min(h.organization_id::text)::uuid,
             (SELECT t.provider FROM generation_trace t WHERE t.course_id = h.course_id ORDER BY t.created_at DESC LIMIT 1),
             min(h.created_at) FILTER (WHERE h.event = 'PHASE_STARTED'), max(h.created_at) FILTER (WHERE h.event = 'PHASE_DONE')
        FROM generation_status_history h
       WHERE h.event IN ('PHASE_STARTED', 'PHASE_DONE') AND h.stage IS NOT NULL AND h.phase IS NOT NULL
         AND h.created_at > now() - interval '30 days'
       GROUP BY 1, 2, 3, 4, 5`);
    await secureTable(q, 'phase_durations');
    // provider '' holds the phases that made no model call (the same whichever provider answers).
    await q.query(`
      CREATE TABLE phase_duration_medians_org (
        organization_id uuid NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        provider text NOT NULL,
        stage text NOT NULL,
        phase text NOT NULL,
        median_ms float8 NOT NULL,
        samples int NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (organization_id, provider, stage, phase)
      )`);
    await secureTable(q, 'phase_duration_medians_org');
    await q.query(`
      CREATE TABLE phase_duration_medians_all (
        provider text NOT NULL,
        stage text NOT NULL,
        phase text NOT NULL,
        median_ms float8 NOT NULL,
        samples int NOT NULL,
        refreshed_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (provider, stage, phase)
      )`);
    // Aggregates across organizations, as phase_duration_medians() handed out before.
    await q.query(`REVOKE INSERT, UPDATE, DELETE ON phase_duration_medians_all FROM mc_app`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TRIGGER status_history_phase_durations ON generation_status_history`);
    await q.query(`DROP FUNCTION record_phase_duration()`);
    await q.query(`DROP TABLE phase_duration_medians_all, phase_duration_medians_org, phase_durations`);
    await q.query(`DROP TRIGGER courses_track_generation_status ON courses`);
    await q.query(`DROP FUNCTION track_generation_status()`);
    await q.query(`DROP TABLE stage_duration_daily, stage_durations`);
    await q.query(`ALTER TABLE courses DROP COLUMN generation_status_since`);
    for (const t of ['insert', 'update', 'delete']) await q.query(`DROP TRIGGER courses_count_${t} ON courses`);
    await q.query(`DROP FUNCTION count_course_states()`);
    await q.query(`DROP FUNCTION count_inserted_courses()`);
    await q.query(`DROP TABLE course_status_counts`);
    await q.query(`DROP FUNCTION course_search_ids(text, int)`);
    await q.query(`CREATE INDEX idx_trace_org_created ON generation_trace (organization_id, created_at)`);
    for (const name of Object.keys(TRACE_INDEXES)) await q.query(`DROP INDEX ${name}`);
    await q.query(`CREATE INDEX idx_courses_org_created ON courses (organization_id, created_at DESC)`);
    for (const name of Object.keys(COURSE_INDEXES)) await q.query(`DROP INDEX ${name}`);
  }
}
