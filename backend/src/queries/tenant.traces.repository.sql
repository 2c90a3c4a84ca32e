-- Queries of backend/src/repositories/tenant/traces.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- SUMMARY
t.id, t.course_id AS "courseId", t.lesson_id AS "lessonId", t.run, t.stage, t.phase, t.step_name AS "stepName",
t.model_used AS "modelUsed", t.provider, t.tokens_used AS "tokensUsed", t.input_tokens AS "inputTokens",
t.output_tokens AS "outputTokens", t.cost_usd::float8 AS "costUsd",
t.provider_cost_usd::float8 AS "providerCostUsd", t.duration_ms AS "durationMs", t.attempt, t.label,
(t.error_data IS NOT NULL) AS "hasError", t.created_at AS "createdAt",
t.price_version_id::text AS "priceVersionId", t.reprice_id::text AS "repriceId",
t.otel_trace_id AS "otelTraceId", t.otel_span_id AS "otelSpanId",

(SELECT c.title FROM courses c WHERE c.id = t.course_id) AS "courseTitle",
(SELECT l.title FROM lessons l WHERE l.id = t.lesson_id) AS "lessonTitle",
(SELECT l.ordinal FROM lessons l WHERE l.id = t.lesson_id) AS "lessonOrdinal"

-- TracesRepository.trace
SELECT ${SUMMARY}${withBodies ? BODIES : ''} FROM generation_trace t WHERE t.id = $1 AND t.organization_id = $2
