// The projected cost of a course to completion, against its budget: what the course has
// cost so far plus, for each lesson still to generate, what a generated lesson has cost
// on average over the last 30 days (this organization's lessons; every organization's
// when it has none yet). The spend behind a lesson counts every attempt of stage 6 —
// retries, fallbacks and repairs included — so failure costs are projected too.
//
// Runs on either door: a tenant transaction (the API's approve, under row-level
// security) or the system's (the worker's stage 5). Every organization's figures come
// from lesson_cost_history_30d (migration 1763800020000), which mc_app may call.
import type { BudgetHold } from '../pipeline/course.types';
import type { Queryable } from './db';

export interface Projection {
  budgetUsd: number | null;
  spentUsd: number;
  perLessonUsd: number | null;
  projectedUsd: number | null;
}

interface ProjectionRow {
  budget: number | null;
  spent: number;
  per_lesson: number | null;
}

export async function projectCourseCost(db: Queryable, courseId: string, lessonsToGo: number): Promise<Projection> {
  const [r] = await db.query<ProjectionRow>(
    `WITH c AS (SELECT id, organization_id, budget_usd::float8 AS budget FROM courses WHERE id = $1),
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
       FROM c`,
    [courseId],
  );
  if (!r) return { budgetUsd: null, spentUsd: 0, perLessonUsd: null, projectedUsd: null };
  const projected = r.per_lesson === null ? null : r.spent + Math.max(0, lessonsToGo) * r.per_lesson;
  return { budgetUsd: r.budget, spentUsd: r.spent, perLessonUsd: r.per_lesson, projectedUsd: projected };
}

/** A hold when the course has a budget and its projected cost passes it; null otherwise (no budget, or no history to project from). */
export function holdOf(p: Projection): BudgetHold | null {
  if (p.budgetUsd === null || p.projectedUsd === null || p.projectedUsd <= p.budgetUsd) return null;
  const cents = (n: number) => Math.round(n * 1e6) / 1e6;
  return { projectedUsd: cents(p.projectedUsd), budgetUsd: p.budgetUsd, spentUsd: cents(p.spentUsd) };
}
