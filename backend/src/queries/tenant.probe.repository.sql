-- Queries of backend/src/repositories/tenant/probe.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- ProbeRepository.ping
SELECT 1

-- ProbeRepository.pendingMigrations
SELECT name FROM schema_migrations

-- ProbeRepository.openAlertsByKind
SELECT kind, n FROM open_alert_counts()
