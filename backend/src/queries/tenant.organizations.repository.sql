-- Queries of backend/src/repositories/tenant/organizations.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- DELIVERY_COLUMNS
d.id, d.course_id AS "courseId", d.event, d.url, d.status, d.attempts, d.created_at AS "createdAt", d.delivered_at AS "deliveredAt",
coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms, 'at', a.created_at) ORDER BY a.id)
            FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS "attemptLog"

-- OrganizationsRepository.settings
SELECT ${COLUMNS} FROM organizations WHERE id = $1

-- OrganizationsRepository.updateSettings
UPDATE organizations SET
  default_approval_gates = coalesce($2, default_approval_gates),
  require_distinct_approver = coalesce($3, require_distinct_approver),
  approval_sla_minutes = CASE WHEN $4::boolean THEN $5 ELSE approval_sla_minutes END,
  max_concurrent_generations = coalesce($6, max_concurrent_generations),
  max_document_bytes = coalesce($7, max_document_bytes),
  max_documents_per_course = coalesce($8, max_documents_per_course),
  monthly_budget_usd = CASE WHEN $9::boolean THEN $10 ELSE monthly_budget_usd END,
  budget_thresholds = coalesce($11::int[], budget_thresholds),
  budget_webhook_url = CASE WHEN $12::boolean THEN $13 ELSE budget_webhook_url END,
  default_language = coalesce($14, default_language),
  quality_threshold = coalesce($15::numeric, quality_threshold),
  quality_gate = coalesce($16::boolean, quality_gate)
WHERE id = $1

-- OrganizationsRepository.webhookSecret
SELECT ${SECRET_COLUMNS} FROM organizations WHERE id = $1

-- OrganizationsRepository.rotateWebhookSecret
UPDATE organizations SET
  webhook_secret_previous = CASE WHEN $3::int > 0 THEN webhook_secret END,
  webhook_secret_previous_until = CASE WHEN $3::int > 0 THEN now() + make_interval(mins => $3::int) END,
  webhook_secret = $2, webhook_secret_rotated_at = now()
WHERE id = $1 RETURNING ${SECRET_COLUMNS}

-- OrganizationsRepository.documentLimits
SELECT max_document_bytes, max_documents_per_course FROM organizations WHERE id = $1
