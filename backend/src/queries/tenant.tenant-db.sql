-- Queries of backend/src/repositories/tenant/tenant-db.ts, written by `npm run sql:snapshots`; do not edit.

-- tenantSetup
SELECT set_config('role', 'mc_app', true), set_config('app.org_id', '${organizationId ?? ''}', true)
