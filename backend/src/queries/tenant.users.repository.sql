-- Queries of backend/src/repositories/tenant/users.repository.ts, written by `npm run sql:snapshots`; do not edit.

-- UsersRepository.byId
SELECT ${COLUMNS} FROM users u WHERE u.id = $1 AND u.organization_id = $2

-- UsersRepository.emailTaken
SELECT exists(SELECT 1 FROM users WHERE email = $1) AS taken

-- UsersRepository.insertInvited
INSERT INTO users (organization_id, email, name, role, invited_by, invite_token_hash, invite_expires_at)
VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int))
ON CONFLICT (email) DO NOTHING RETURNING id

-- UsersRepository.lockEnabledAdmins
SELECT id FROM users WHERE organization_id = $1 AND role = ANY($2::text[]) AND disabled_at IS NULL FOR UPDATE

-- UsersRepository.update
UPDATE users SET name = coalesce($3, name), role = coalesce($4, role),
      disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
      token_version = token_version + $6
WHERE id = $1 AND organization_id = $2

-- UsersRepository.deleteUnacceptedInvite
DELETE FROM users WHERE id = $1 AND organization_id = $2 AND invite_token_hash IS NOT NULL AND password_hash IS NULL AND last_login_at IS NULL RETURNING id

-- UsersRepository.setLanguage
UPDATE users SET language = $3 WHERE id = $1 AND organization_id = $2

-- UsersRepository.revokeRefreshTokens
UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL

-- UsersRepository.markSignedIn
UPDATE users SET last_login_at = now() WHERE id = $1

-- UsersRepository.insertRefreshToken
INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, token_version, expires_at)
VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))

-- UsersRepository.tokenVersion
SELECT token_version FROM users WHERE id = $1

-- UsersRepository.passwordState
SELECT password_hash AS "passwordHash", must_change_password AS "mustChange" FROM users WHERE id = $1 AND organization_id = $2

-- UsersRepository.setPassword
WITH changed AS (
  UPDATE users SET password_hash = $3, must_change_password = false, token_version = token_version + 1
   WHERE id = $1 AND organization_id = $2 AND disabled_at IS NULL
  RETURNING id, email, name, role, organization_id, token_version
)
SELECT c.id, c.email, c.name, c.role, c.organization_id, o.name AS organization_name, c.token_version
  FROM changed c JOIN organizations o ON o.id = c.organization_id
