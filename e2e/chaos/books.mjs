// What Postgres says after the chaos drill: the courses that completed, traces and their
// idempotency keys, costs counted once (traces, unique keys, rollups), phases applied
// twice, lessons, bars that went back or stages out of order, and the system's own metrics.

/** `qq(sql, params)` answers rows; `ids` are the drill's courses. */
export async function readBooks(qq, ids) {
  const [totals] = await qq(`SELECT count(*) FILTER (WHERE status = 'completed')::int AS completed, count(*)::int AS total FROM courses WHERE id = ANY($1)`, [
    ids,
  ]);
  const [traces] = await qq(
    `SELECT count(*)::int AS traces, count(DISTINCT idempotency_key)::int AS keys, coalesce(sum(cost_usd), 0)::text AS cost FROM generation_trace`,
  );
  const [unique] = await qq(
    `SELECT coalesce(sum(cost_usd), 0)::text AS cost FROM (SELECT DISTINCT ON (idempotency_key) cost_usd FROM generation_trace ORDER BY idempotency_key, id) t`,
  );
  const [rollup] = await qq(`SELECT coalesce(sum(cost_usd), 0)::text AS cost FROM cost_daily_rollup`);
  const [twice] = await qq(
    `SELECT count(*)::int AS n FROM (SELECT 1 FROM generation_status_history WHERE event = 'PHASE_DONE'
        GROUP BY course_id, run, stage, reason HAVING count(*) > 1) x`,
  );
  const [lessons] = await qq(
    `SELECT count(*)::int AS lessons, count(*) FILTER (WHERE l.status = 'generated')::int AS generated,
            (SELECT count(*)::int FROM lesson_contents lc JOIN lessons x ON x.id = lc.lesson_id) AS contents
       FROM lessons l`,
  );
  const history = await qq(`SELECT course_id, percentage, stage, event FROM generation_status_history WHERE course_id = ANY($1) ORDER BY course_id, id`, [ids]);
  const decreased = new Set();
  const outOfOrder = new Set();
  const last = new Map();
  for (const h of history) {
    const prev = last.get(h.course_id) ?? { pct: 0, stage: 0 };
    if (h.percentage < prev.pct) decreased.add(h.course_id);
    const stage = Number(/^stage_(\d)$/.exec(h.stage ?? '')?.[1] ?? 0);
    if (stage && stage < prev.stage) outOfOrder.add(h.course_id);
    last.set(h.course_id, { pct: Math.max(prev.pct, h.percentage), stage: Math.max(prev.stage, stage) });
  }
  const metrics = Object.fromEntries(
    (
      await qq(
        `SELECT metric_type, count(*)::int AS n FROM system_metrics
      WHERE metric_type IN ('job_reenqueued', 'stale_result_refused', 'event_refused', 'alert_raised', 'alert_cleared') GROUP BY 1`,
      )
    ).map((r) => [r.metric_type, r.n]),
  );
  const [openAlerts] = await qq(`SELECT count(*)::int AS n FROM alerts WHERE cleared_at IS NULL`);
  return { totals, traces, unique, rollup, twice, lessons, decreased, outOfOrder, metrics, openAlerts };
}
