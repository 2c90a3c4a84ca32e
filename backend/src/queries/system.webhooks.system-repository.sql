-- Queries of backend/src/repositories/system/webhooks.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- WebhooksSystemRepository.addDelivery
INSERT INTO webhook_deliveries (id, course_id, organization_id, event, url, payload) VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (id) DO NOTHING

-- WebhooksSystemRepository.deliveryToSend
SELECT d.id, d.url, d.payload, d.status, o.webhook_secret,
     CASE WHEN o.webhook_secret_previous_until > now() THEN o.webhook_secret_previous END AS webhook_secret_previous
FROM webhook_deliveries d
JOIN organizations o ON o.id = d.organization_id WHERE d.id = $1

-- WebhooksSystemRepository.recordAttempt
INSERT INTO webhook_attempts (delivery_id, attempt, status_code, error, duration_ms) VALUES ($1, $2, $3, $4, $5)

-- WebhooksSystemRepository.recordAttempt
UPDATE webhook_deliveries SET attempts = $2, status = $3, delivered_at = CASE WHEN $3 = 'delivered' THEN now() ELSE delivered_at END WHERE id = $1

-- WebhooksSystemRepository.courseSummary
SELECT c.id, c.title, c.status, c.generation_status, c.percentage, c.generation_started_at, c.generation_completed_at, c.error_message,
     (SELECT coalesce(sum(r.cost_usd), 0) FROM cost_daily_rollup r WHERE r.course_id = c.id) AS cost_usd
FROM courses c WHERE c.id = $1

-- WebhooksSystemRepository.markFailed
UPDATE webhook_deliveries SET status = 'failed' WHERE id = $1 AND status = 'pending'
