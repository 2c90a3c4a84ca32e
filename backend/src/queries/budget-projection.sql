-- Queries of backend/src/repositories/budget-projection.ts, written by `npm run sql:snapshots`; do not edit.

-- projectCourseCost
WITH c AS (SELECT id, organization_id, budget_usd::float8 AS budget FROM courses WHERE id = $1),
     own AS (
       SELECT (SELECT coalesce(sum(x.cost_usd), 0)::float8 FROM cost_daily_org_rollup x
                WHERE x.stage = 'stage_6' AND x.day > (now() AT TIME ZONE 'UTC')::date - 30 AND x.organization_id = c.organization_id) AS usd,
              (SELECT count(*)::int FROM lessons l
                WHERE l.status = 'generated' AND l.updated_at > now() - interval '30 days' AND l.course_id <> c.id
                  AND l.organization_id = c.organization_id) AS lessons
         FROM c),
     every AS (SELECT h.usd, h.lessons FROM c, lesson_cost_history_30d(c.id) h)
SELECT c.budget,
       (SELECT coalesce(sum(r.cost_usd), 0)::float8 FROM cost_daily_rollup r WHERE r.course_id = c.id) AS spent,
       coalesce((SELECT usd / lessons FROM own WHERE lessons > 0),
                (SELECT usd / lessons FROM every WHERE lessons > 0)) AS per_lesson
  FROM c
