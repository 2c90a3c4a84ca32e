-- Queries of backend/src/repositories/tenant/traces.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- TracesRepository.trace
SELECT ${SUMMARY}${withBodies ? BODIES : ''} FROM generation_trace t WHERE t.id = $1 AND t.organization_id = $2
