-- Queries of backend/src/repositories/tenant/approvals.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- ApprovalsRepository.waiting
WITH waiting AS (
  SELECT c.id, c.title, substring(c.generation_status FROM '^stage_(\d)_')::int AS stage,
         c.machine_snapshot->'context'->'awaiting'->>'gateKey' AS gate_key,
         coalesce(c.machine_snapshot->'context'->'awaiting'->>'kind', 'review') AS kind,
         c.machine_snapshot->'context'->'awaiting'->'budget' AS budget,
         c.machine_snapshot->'context'->'awaiting'->'escalation' AS escalation,
         coalesce(c.approval_sla_minutes, o.approval_sla_minutes) AS sla_minutes,
         coalesce(c.generation_status_since, (SELECT max(h.created_at) FROM generation_status_history h
           WHERE h.course_id = c.id AND h.to_status = c.generation_status AND h.from_status <> h.to_status)) AS since
    FROM courses c JOIN organizations o ON o.id = c.organization_id
   WHERE c.organization_id = $1 AND c.generation_status = ANY($3::text[])
     AND ($5::uuid IS NULL OR c.id = $5)
), gated AS (
  -- no SLA, no due time (an "escalate now" writes a deadline row all the same)
  SELECT w.*, CASE WHEN w.sla_minutes IS NOT NULL THEN coalesce(d.due_at, w.since + make_interval(mins => w.sla_minutes)) END AS due_at, d.escalated_at
    FROM waiting w
    LEFT JOIN gate_deadlines d ON d.course_id = w.id AND d.gate_key = w.gate_key
   WHERE w.kind = ANY($2::text[])
)
SELECT g.id AS "courseId", g.title, g.stage, g.gate_key AS "gateKey", g.kind, g.budget,
       coalesce(g.since, now()) AS "waitingSince",
       round(extract(epoch FROM now() - coalesce(g.since, now())))::int AS "waitSeconds",
       g.sla_minutes AS "slaMinutes", g.due_at AS "dueAt", g.escalated_at AS "escalatedAt", g.escalation,
       (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r WHERE r.course_id = g.id) AS "costUsd",
       (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
         WHERE r.course_id = g.id AND r.stage = 'stage_' || g.stage) AS "rerunEstimateUsd",
       CASE WHEN $4::boolean THEN
         CASE g.stage
           WHEN 4 THEN (SELECT c.analysis_result FROM courses c WHERE c.id = g.id)
           WHEN 5 THEN (SELECT c.course_structure FROM courses c WHERE c.id = g.id)
           WHEN 6 THEN (SELECT coalesce(jsonb_agg(jsonb_build_object('ordinal', l.ordinal, 'title', l.title, 'status', l.status) ORDER BY l.ordinal), '[]')
                          FROM lessons l WHERE l.course_id = g.id)
           ELSE (SELECT coalesce(jsonb_agg(jsonb_build_object('filename', f.filename, 'chunks', jsonb_array_length(coalesce(f.chunks, '[]'::jsonb)), 'summary', f.summary) ORDER BY f.ordinal), '[]')
                   FROM course_documents f WHERE f.course_id = g.id)
         END
       END AS output,
       CASE WHEN $4::boolean THEN
         (SELECT jsonb_build_object('output', a.output, 'reasons', to_jsonb(a.reasons), 'comment', a.comment, 'created_at', a.created_at)
            FROM stage_output_attempts a WHERE a.course_id = g.id AND a.stage = g.stage ORDER BY a.id DESC LIMIT 1)
       END AS previous
  FROM gated g
 ORDER BY coalesce(g.escalated_at IS NOT NULL OR g.due_at <= now(), false) DESC, g.due_at NULLS LAST, coalesce(g.since, now()), g.id
 LIMIT ${INBOX_LIMIT}

-- ApprovalsRepository.deciders
SELECT u.name, u.email, u.role FROM users u
WHERE u.organization_id = $1 AND u.role = ANY($2::text[]) AND u.disabled_at IS NULL
ORDER BY u.role DESC, u.name, u.email LIMIT 20

-- ApprovalsRepository.markEscalated
INSERT INTO gate_deadlines (course_id, gate_key, stage, due_at, escalated_at) VALUES ($1, $2, $3, now(), now())
ON CONFLICT (course_id, gate_key) DO UPDATE SET escalated_at = now() WHERE gate_deadlines.escalated_at IS NULL
RETURNING course_id

-- ApprovalsRepository.stageOutput
SELECT analysis_result AS o FROM courses WHERE id = $1

-- ApprovalsRepository.stageOutput
SELECT course_structure AS o FROM courses WHERE id = $1

-- ApprovalsRepository.stageOutput
SELECT ordinal, title, status FROM lessons WHERE course_id = $1 ORDER BY ordinal

-- ApprovalsRepository.stageOutput
SELECT filename, jsonb_array_length(coalesce(chunks, '[]'::jsonb)) AS chunks, summary
FROM course_documents WHERE course_id = $1 ORDER BY ordinal

-- ApprovalsRepository.keepRejectedOutput
INSERT INTO stage_output_attempts (course_id, organization_id, stage, run, output, rejected_by, reasons, comment)
SELECT id, organization_id, $2, generation_run, $3::jsonb, $4, $5, $6 FROM courses WHERE id = $1

-- ApprovalsRepository.recordDecision
INSERT INTO approvals (course_id, organization_id, stage, gate_key, decision, action, decided_by, decided_role, comment, reasons)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)

-- ApprovalsRepository.timelineEntries
SELECT a.created_at AS at, 'approval' AS kind, a.decision || ' stage ' || a.stage || ' (' || a.action || ')' AS label,
     'stage_' || a.stage AS stage, NULL AS phase, a.comment, a.reasons, a.decided_role AS role
FROM approvals a WHERE a.course_id = $1 ORDER BY a.created_at LIMIT ${Number(limit)}
