-- Queries of backend/src/repositories/tenant/audit.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- AuditRepository.record
INSERT INTO audit_log (organization_id, actor_id, actor_email, actor_role, action, subject_type, subject_id, details, ip)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)

-- AuditRepository.byId
SELECT ${COLUMNS} FROM audit_log a WHERE a.id = $1 AND a.organization_id = $2
