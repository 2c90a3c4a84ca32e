-- Queries of backend/src/repositories/system/phases.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- PhaseTransaction.claim
INSERT INTO phase_claims (course_id, run, stage, phase_key, token) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (course_id, run, stage, phase_key) DO UPDATE SET token = EXCLUDED.token, claimed_at = now()

-- PhaseTransaction.holdsClaim
SELECT 1 FROM phase_claims WHERE course_id = $1 AND run = $2 AND stage = $3 AND phase_key = $4 AND token = $5

-- PhaseTransaction.lockRunShared
SELECT generation_run FROM courses WHERE id = $1 FOR SHARE

-- PhaseTransaction.saveOutput
INSERT INTO phase_outputs (course_id, stage, phase_key, run, output) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (course_id, stage, phase_key) DO NOTHING RETURNING phase_key

-- PhaseTransaction.setAnalysisResult
UPDATE courses SET analysis_result = $2 WHERE id = $1

-- PhaseTransaction.setExtractedText
UPDATE course_documents SET extracted_text = $2, chunks = $3 WHERE id = $1

-- PhaseTransaction.setDocumentSummary
UPDATE course_documents SET summary = $2 WHERE id = $1

-- PhaseTransaction.setStructure
UPDATE courses SET course_structure = $2, generation_metadata = $3 WHERE id = $1

-- PhaseTransaction.recordQuality
UPDATE courses SET quality_low = $2, quality_check = $3 WHERE id = $1

-- PhaseTransaction.recordQuality
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata)
SELECT 'quality_low', 'warn', $1, $2, $3, $4
 WHERE NOT EXISTS (SELECT 1 FROM system_metrics WHERE metric_type = 'quality_low' AND course_id = $2 AND metadata->>'run' = $5::text)

-- PhaseTransaction.replaceLessons
DELETE FROM lessons WHERE course_id = $1

-- PhaseTransaction.replaceLessons
INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline, spec)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8)

-- PhaseTransaction.storeGeneratedLesson
INSERT INTO lesson_contents (lesson_id, typescript_source, compiled_js, version)
VALUES ($1, $2, $3, (SELECT coalesce(max(version), 0) + 1 FROM lesson_contents WHERE lesson_id = $1))

-- PhaseTransaction.storeGeneratedLesson
UPDATE lessons SET status = 'generated', error = NULL, updated_at = now() WHERE id = $1

-- PhasesSystemRepository.courseWithSavedOutput
SELECT c.id, c.organization_id, c.title, c.description, c.language, c.content_style,
     c.machine_snapshot->'context'->'rejection' AS rejection,
     (SELECT o.output FROM phase_outputs o WHERE o.course_id = c.id AND o.stage = $2 AND o.phase_key = $3) AS saved_output
FROM courses c WHERE c.id = $1

-- PhasesSystemRepository.savedOutput
SELECT output FROM phase_outputs WHERE course_id = $1 AND stage = $2 AND phase_key = $3

-- PhasesSystemRepository.recordStaleResult
INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, job_id, message, metadata)
SELECT 'stale_result_refused', 'warn', organization_id, id, $2, $3, $4 FROM courses WHERE id = $1

-- PhasesSystemRepository.documentSummaries
SELECT filename, summary FROM course_documents WHERE course_id = $1 AND summary IS NOT NULL ORDER BY ordinal

-- PhasesSystemRepository.documentToExtract
SELECT id, content, mime_type, storage_path FROM course_documents WHERE course_id = $1 AND ordinal = $2

-- PhasesSystemRepository.documentToSummarize
SELECT id, filename, extracted_text FROM course_documents WHERE course_id = $1 AND ordinal = $2

-- PhasesSystemRepository.analysisResult
SELECT analysis_result FROM courses WHERE id = $1

-- PhasesSystemRepository.stageItemTotals
SELECT phase, ${TRACE_ITEM_SQL} AS idx, max(model_used) FILTER (WHERE error_data IS NULL) AS model,
      sum(tokens_used) AS tokens, sum(cost_usd) AS cost, sum(duration_ms) AS duration, count(*) AS attempts
 FROM generation_trace WHERE course_id = $1 AND stage = $2
GROUP BY phase, ${TRACE_ITEM_SQL}

-- PhasesSystemRepository.qualityPolicy
SELECT quality_threshold::float8 AS threshold, quality_gate AS gate FROM organizations WHERE id = $1

-- PhasesSystemRepository.claimNextLesson
SELECT * FROM claim_next_lesson($1, $2)

-- PhasesSystemRepository.lastAttemptNumber
SELECT coalesce(max(attempt_number), 0) AS n FROM generation_attempts WHERE lesson_id = $1

-- PhasesSystemRepository.startAttempt
INSERT INTO generation_attempts (lesson_id, attempt_number, status) VALUES ($1, $2, 'in_progress') ON CONFLICT DO NOTHING

-- PhasesSystemRepository.attemptSucceeded
UPDATE generation_attempts SET status = 'success', finished_at = now() WHERE lesson_id = $1 AND attempt_number = $2

-- PhasesSystemRepository.attemptFailed
UPDATE generation_attempts SET status = 'failed', finished_at = now(), error = $3 WHERE lesson_id = $1 AND attempt_number = $2

-- PhasesSystemRepository.failLesson
UPDATE lessons SET status = 'failed', error = $2, updated_at = now() WHERE id = $1
