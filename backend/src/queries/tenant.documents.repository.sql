-- Queries of backend/src/repositories/tenant/documents.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- DocumentsRepository.course
SELECT id, generation_status FROM courses WHERE id = $1 AND organization_id = $2

-- DocumentsRepository.lockCourse
SELECT id, generation_status FROM courses WHERE id = $1 AND organization_id = $2 FOR UPDATE

-- DocumentsRepository.courseExists
SELECT 1 FROM courses WHERE id = $1 AND organization_id = $2

-- DocumentsRepository.countAndNextOrdinal
SELECT count(*)::int AS count, coalesce(max(ordinal) + 1, 0)::int AS next FROM course_documents WHERE course_id = $1

-- DocumentsRepository.insert
INSERT INTO course_documents (course_id, organization_id, ordinal, filename, mime_type, size_bytes, sha256, content, storage_path)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
RETURNING id, ordinal, filename, mime_type AS "mimeType", size_bytes AS "sizeBytes", sha256, created_at AS "createdAt"

-- DocumentsRepository.markCourseHasDocuments
UPDATE courses SET generation_progress = generation_progress || jsonb_build_object('has_documents', true,
  'document_size', (SELECT coalesce(sum(size_bytes), 0) FROM course_documents WHERE course_id = $1)), updated_at = now()
WHERE id = $1

-- DocumentsRepository.list
SELECT d.id, d.ordinal, d.filename, d.mime_type AS "mimeType", d.size_bytes AS "sizeBytes", d.sha256,
     (d.extracted_text IS NOT NULL) AS extracted, jsonb_array_length(coalesce(d.chunks, '[]')) AS chunks, d.summary, d.created_at AS "createdAt"
FROM course_documents d WHERE d.course_id = $1 AND d.organization_id = $2 ORDER BY d.ordinal
