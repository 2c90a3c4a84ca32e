-- Queries of backend/src/repositories/system/platform.system-repository.ts, written by `npm run sql:snapshots`; do not edit.

-- PlatformSystemRepository.markPlatform
SELECT id FROM organizations WHERE id = $1 FOR UPDATE

-- PlatformSystemRepository.markPlatform
UPDATE organizations SET is_platform = false WHERE is_platform AND id <> $1

-- PlatformSystemRepository.markPlatform
UPDATE organizations SET is_platform = true WHERE id = $1 AND NOT is_platform

-- PlatformSystemRepository.platformOrganizationId
SELECT id FROM organizations WHERE is_platform
