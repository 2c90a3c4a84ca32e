-- Queries of backend/src/repositories/tenant/sign-in.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- SignInRepository.lookupByEmail
SELECT * FROM mc_sign_in_lookup($1)

-- SignInRepository.rotateRefreshToken
SELECT * FROM mc_refresh_rotate($1)

-- SignInRepository.acceptInvite
SELECT * FROM mc_accept_invite($1, $2)

-- SignInRepository.userAccess
${tenantSetup(organizationId)};
SELECT u.id, u.email, u.name, u.role, u.organization_id, u.token_version, u.disabled_at, o.is_platform AS platform, u.language,
       o.default_language AS organization_language, u.must_change_password
  FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = '${userId}'
