// Two platform-wide figures the request path reads while running as mc_app (which sees
// only its organization's rows), each through a SECURITY DEFINER function that returns
// nothing but aggregates:
// - phase_duration_medians(provider): per stage and phase, the median duration of an
//   item (PHASE_STARTED to PHASE_DONE) over the last 30 days, across organizations, for
//   courses that called the given provider (the status route's ETA);
// - lesson_cost_history_30d(course): every organization's stage-6 spend and generated
//   lessons over the last 30 days, the fallback of a budget projection for an
//   organization with no history of its own (the given course's lessons left out).
import { MigrationInterface, QueryRunner } from 'typeorm';
import { ORG_SETTING } from './tenant-rules';

export class PlatformMediansForRequests1763800020000 implements MigrationInterface {
  name = 'PlatformMediansForRequests1763800020000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE FUNCTION phase_duration_medians(p_provider text)
      RETURNS TABLE (stage text, phase text, median float8)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        WITH items AS (
          SELECT h.course_id, h.run, h.stage, h.phase, h.reason,
                 min(h.created_at) FILTER (WHERE h.event = 'PHASE_STARTED') AS started,
                 max(h.created_at) FILTER (WHERE h.event = 'PHASE_DONE') AS done
            FROM generation_status_history h
           WHERE h.event IN ('PHASE_STARTED', 'PHASE_DONE') AND h.created_at > now() - interval '30 days'
           GROUP BY h.course_id, h.run, h.stage, h.phase, h.reason)
        SELECT i.stage, i.phase, percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM i.done - i.started) * 1000)::float8 AS median
          FROM items i
         WHERE i.started IS NOT NULL AND i.done IS NOT NULL AND i.stage IS NOT NULL
           AND EXISTS (SELECT 1 FROM generation_trace t WHERE t.course_id = i.course_id AND t.provider = p_provider)
         GROUP BY i.stage, i.phase
      $$`);
    // The course left out must be the caller's own (or any, for system work with no
    // organization set): differences of two calls never tell another course's lessons.
    await q.query(`
      CREATE FUNCTION lesson_cost_history_30d(p_course uuid)
      RETURNS TABLE (usd float8, lessons int)
      LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public AS $$
        SELECT (SELECT coalesce(sum(x.cost_usd), 0)::float8 FROM cost_daily_org_rollup x
                 WHERE x.stage = 'stage_6' AND x.day > (now() AT TIME ZONE 'UTC')::date - 30),
               (SELECT count(*)::int FROM lessons l
                 WHERE l.status = 'generated' AND l.updated_at > now() - interval '30 days'
                   AND l.course_id IS DISTINCT FROM (
                     SELECT c.id FROM courses c
                      WHERE c.id = p_course AND (${ORG_SETTING} IS NULL OR c.organization_id = ${ORG_SETTING})))
      $$`);
    for (const fn of ['phase_duration_medians(text)', 'lesson_cost_history_30d(uuid)']) {
      await q.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await q.query(`GRANT EXECUTE ON FUNCTION ${fn} TO mc_app, mc_system`);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP FUNCTION lesson_cost_history_30d(uuid)`);
    await q.query(`DROP FUNCTION phase_duration_medians(text)`);
  }
}
