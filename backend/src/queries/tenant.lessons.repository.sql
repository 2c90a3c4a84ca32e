-- Queries of backend/src/repositories/tenant/lessons.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- COLUMNS
l.id, l.course_id AS "courseId", l.section_number AS "sectionNumber", l.lesson_number AS "lessonNumber",
l.ordinal, l.title, l.status, l.error, l.created_at AS "createdAt", l.updated_at AS "updatedAt",
(SELECT count(*)::int FROM generation_attempts a WHERE a.lesson_id = l.id) AS attempts

-- LessonsRepository.byIdWithSource
SELECT ${COLUMNS}, l.spec,
     (SELECT typescript_source FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "typescriptSource",
     (SELECT compiled_js FROM lesson_contents c WHERE c.lesson_id = l.id ORDER BY version DESC LIMIT 1) AS "compiledJs"
FROM lessons l WHERE l.id = $1 AND l.organization_id = $2
