-- Queries of backend/src/repositories/tenant/costs.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- CANDIDATES
prices AS (SELECT x.model, round(x.input, 6) AS input, round(x.output, 6) AS output
             FROM jsonb_to_recordset($4::jsonb) AS x(model text, input numeric, output numeric)),
cand AS (
  SELECT t.id, t.model_used AS model, (t.created_at AT TIME ZONE 'UTC')::date AS day, t.cost_usd AS before,
         round((t.input_tokens::numeric * p.input + t.output_tokens::numeric * p.output) / 1000000, 8) AS after
    FROM generation_trace t JOIN prices p ON p.model = t.model_used
   WHERE t.organization_id = $1
     AND t.created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
     AND t.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
   %LOCK%)

-- REPRICE_SUMMARY
SELECT model, to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS traces,
     coalesce(sum(before), 0)::numeric(18, 8)::text AS "currentUsd",
     coalesce(sum(after), 0)::numeric(18, 8)::text AS "repricedUsd",
     (coalesce(sum(after), 0) - coalesce(sum(before), 0))::numeric(18, 8)::text AS "differenceUsd",
     GROUPING(model, day) <> 0 AS total
FROM cand GROUP BY GROUPING SETS ((model, day), ()) ORDER BY total, day, model

-- CostsRepository.reportSql.rows
SELECT ${groups.map((g) => g.select).join(', ')}, ${measures}
 FROM ${byCourse ? 'cost_daily_rollup' : 'cost_daily_org_rollup'} r
 JOIN organizations o ON o.id = r.organization_id
 ${byCourse ? 'JOIN courses c ON c.id = r.course_id' : ''}
WHERE ${where}
GROUP BY ${groups.map((g) => g.group).join(', ')}
ORDER BY ${groups.map((g) => g.order).join(', ')}

-- CostsRepository.reportSql.totals
SELECT ${measures} FROM cost_daily_org_rollup r WHERE ${where}

-- CostsRepository.reportPage
SELECT ${outer.join(', ')}, p.calls, p."inputTokens", p."outputTokens", p."costUsd", p.total
 FROM (SELECT ${inner.map((g) => g.select).join(', ')},
              sum(r.calls)::int AS calls, sum(r.input_tokens)::bigint::float8 AS "inputTokens",
              sum(r.output_tokens)::bigint::float8 AS "outputTokens", coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd",
              count(*) OVER ()::int AS total,
              row_number() OVER (ORDER BY ${sortKey} ${page.direction}, ${inner.map((g) => g.group).join(', ')}) AS ord
         FROM cost_daily_rollup r JOIN organizations o ON o.id = r.organization_id
        WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
        GROUP BY ${inner.map((g) => g.group).join(', ')}
        ORDER BY ord LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}) p
 JOIN courses c ON c.id = p."courseId"
ORDER BY p.ord

-- CostsRepository.labelSpend
SELECT r.model, r.stage, ${LABEL_MEASURES}, GROUPING(r.model, r.stage) <> 0 AS total
 FROM cost_daily_rollup r
WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
GROUP BY GROUPING SETS ((r.model, r.stage), ())
ORDER BY total, r.model, r.stage

-- CostsRepository.lockBooks
SELECT pg_advisory_xact_lock(hashtextextended('mc-books-' || $1::text, 0))

-- CostsRepository.closedMonthsBetween
SELECT to_char(month, 'YYYY-MM') AS month FROM cost_closed_months
WHERE organization_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date ORDER BY month

-- CostsRepository.createReprice
INSERT INTO cost_reprices (organization_id, from_day, to_day, prices, traces, before_usd, after_usd, created_by)
VALUES ($1, $2, $3, $4, 0, 0, 0, $5) RETURNING id::text

-- CostsRepository.applyReprice
WITH ${CANDIDATES.replace('%LOCK%', 'FOR UPDATE OF t')},
  upd AS (UPDATE generation_trace t SET cost_usd = cand.after, reprice_id = $5
            FROM cand WHERE t.id = cand.id AND cand.after <> cand.before RETURNING t.id)
SELECT s.*, (SELECT count(*)::int FROM upd) AS changed FROM (${REPRICE_SUMMARY}) s ORDER BY s.total, s.day, s.model

-- CostsRepository.recordRepriceTotals
UPDATE cost_reprices SET traces = $2, before_usd = $3, after_usd = $4 WHERE id = $1

-- CostsRepository.closeMonth
INSERT INTO cost_closed_months (organization_id, month, closed_by) VALUES ($1, ($2::text || '-01')::date, $3)
ON CONFLICT DO NOTHING RETURNING month

-- CostsRepository.closedMonths
SELECT to_char(m.month, 'YYYY-MM') AS month, m.closed_at AS "closedAt", u.email AS "closedBy",
      (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
        WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "costUsd",
      (SELECT coalesce(sum(r.calls), 0)::int FROM cost_daily_rollup r
        WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS calls
 FROM cost_closed_months m LEFT JOIN users u ON u.id = m.closed_by
WHERE m.organization_id = $1 AND ($2::text IS NULL OR m.month = ($2 || '-01')::date)
ORDER BY m.month DESC

-- CostsRepository.currentBudget
WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month)
SELECT to_char(m.month, 'YYYY-MM') AS month,
       o.monthly_budget_usd::text AS "budgetUsd",
       (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
         WHERE r.organization_id = o.id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "spentUsd",
       o.budget_thresholds AS "budgetThresholds",
       o.budget_webhook_url AS "budgetWebhookUrl",
       coalesce((SELECT json_agg(json_build_object('threshold', b.threshold, 'crossedAt', b.crossed_at, 'spentUsd', b.spent_usd::text,
                                                   'budgetUsd', b.budget_usd::text, 'courseId', b.course_id) ORDER BY b.threshold)
                   FROM budget_threshold_crossings b WHERE b.organization_id = o.id AND b.month = m.month), '[]') AS crossed
  FROM organizations o, m WHERE o.id = $1
