-- Queries of backend/src/repositories/system/migration-lock.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- MigrationLockSystemRepository.hold
SELECT pg_advisory_lock($1)

-- MigrationLockSystemRepository.hold
SELECT pg_advisory_unlock($1)
