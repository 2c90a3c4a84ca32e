// Users, invitations, refresh tokens and sign-in of the organization.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement). Sign-in before the
// organization is known is in sign-in.repository.ts.
import type { Role } from '../../auth/access.decorators';
import type { Queryable } from '../db';
import { eq, ListSpec, pageOf, search } from '../list-query';
import type { SessionUserRow } from './sign-in.repository';

/** A user as admins see them. */
export interface UserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  disabled: boolean;
  disabledAt: Date | null;
  invited: boolean;
  inviteExpiresAt: Date | null;
  lastLoginAt: Date | null;
  createdAt: Date;
  /** the user's own language for messages; null: the organization's default */
  language: 'en' | 'ru' | null;
}

export interface NewInvitation {
  email: string;
  name: string;
  role: Role;
  invitedBy: string;
  inviteTokenHash: string;
  inviteDays: number;
}

export interface UserChange {
  name: string | null;
  role: Role | null;
  /** true disables, false enables, null leaves as is */
  disabled: boolean | null;
  /** ends the user's access tokens (role change, disabling) */
  bumpTokenVersion: boolean;
}

export interface NewRefreshToken {
  userId: string;
  family: string;
  tokenHash: string;
  tokenVersion: number;
  ttlSeconds: number;
}

const COLUMNS = `u.id, u.email, u.name, u.role, (u.disabled_at IS NOT NULL) AS disabled, u.disabled_at AS "disabledAt",
  (u.invite_token_hash IS NOT NULL) AS invited, u.invite_expires_at AS "inviteExpiresAt", u.last_login_at AS "lastLoginAt",
  u.created_at AS "createdAt", u.language`;

export const SPEC: ListSpec = {
  sortable: { email: 'u.email', name: 'u.name', role: 'u.role', createdAt: 'u.created_at', lastLoginAt: 'u.last_login_at' },
  filters: { role: eq('u.role'), q: search('u.email', 'u.name') },
  defaultSort: ['email', 'ASC'],
};

export class UsersRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the organization's users (react-admin list parameters). */
  async page(query: Record<string, unknown>): Promise<{ rows: UserRow[]; range: string }> {
    return pageOf(this.db, query, SPEC, {
      resource: 'users',
      select: COLUMNS,
      from: 'users u',
      tiebreak: 'u.id',
      scope: { sql: 'u.organization_id = $1', params: [this.organizationId] },
    });
  }

  async byId(id: string): Promise<UserRow | undefined> {
    const rows = await this.db.query<UserRow>(`SELECT ${COLUMNS} FROM users u WHERE u.id = $1 AND u.organization_id = $2`, [id, this.organizationId]);
    return rows[0];
  }

  /** Whether the organization has a user with this e-mail (other organizations' users are invisible). */
  async emailTaken(email: string): Promise<boolean> {
    const [row] = await this.db.query<{ taken: boolean }>(`SELECT exists(SELECT 1 FROM users WHERE email = $1) AS taken`, [email]);
    return row.taken;
  }

  /** The invited user's id; undefined when the e-mail is taken (in any organization: the unique index). */
  async insertInvited(i: NewInvitation): Promise<string | undefined> {
    const rows = await this.db.query<{ id: string }>(
      `INSERT INTO users (organization_id, email, name, role, invited_by, invite_token_hash, invite_expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, now() + make_interval(days => $7::int))
       ON CONFLICT (email) DO NOTHING RETURNING id`,
      [this.organizationId, i.email, i.name, i.role, i.invitedBy, i.inviteTokenHash, i.inviteDays],
    );
    return rows[0]?.id;
  }

  /** Locks the organization's enabled admins (users of `roles`, until the transaction ends) and returns their ids. */
  async lockEnabledAdmins(roles: readonly Role[]): Promise<string[]> {
    const rows = await this.db.query<{ id: string }>(
      `SELECT id FROM users WHERE organization_id = $1 AND role = ANY($2::text[]) AND disabled_at IS NULL FOR UPDATE`,
      [this.organizationId, roles],
    );
    return rows.map((r) => r.id);
  }

  async update(id: string, c: UserChange): Promise<void> {
    await this.db.query(
      `UPDATE users SET name = coalesce($3, name), role = coalesce($4, role),
              disabled_at = CASE WHEN $5::boolean IS NULL THEN disabled_at WHEN $5 THEN coalesce(disabled_at, now()) ELSE NULL END,
              token_version = token_version + $6
        WHERE id = $1 AND organization_id = $2`,
      [id, this.organizationId, c.name, c.role, c.disabled, c.bumpTokenVersion ? 1 : 0],
    );
  }

  /** Deletes a user who was invited and never accepted (no password, never signed in); false otherwise. */
  async deleteUnacceptedInvite(id: string): Promise<boolean> {
    const rows = await this.db.query(
      `DELETE FROM users WHERE id = $1 AND organization_id = $2 AND invite_token_hash IS NOT NULL AND password_hash IS NULL AND last_login_at IS NULL RETURNING id`,
      [id, this.organizationId],
    );
    return rows.length > 0;
  }

  /** Sets the user's own language (null: follow the organization's default). */
  async setLanguage(id: string, language: 'en' | 'ru' | null): Promise<void> {
    await this.db.query(`UPDATE users SET language = $3 WHERE id = $1 AND organization_id = $2`, [id, this.organizationId, language]);
  }

  /** Revokes every open refresh token of the user. */
  async revokeRefreshTokens(userId: string): Promise<void> {
    await this.db.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL`, [userId]);
  }

  async markSignedIn(userId: string): Promise<void> {
    await this.db.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [userId]);
  }

  /** Stores a refresh token (hashed) of the user's sign-in `family`. */
  async insertRefreshToken(t: NewRefreshToken): Promise<void> {
    await this.db.query(
      `INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, token_version, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [this.organizationId, t.userId, t.family, t.tokenHash, t.tokenVersion, t.ttlSeconds],
    );
  }

  async tokenVersion(userId: string): Promise<number | undefined> {
    const rows = await this.db.query<{ token_version: number }>(`SELECT token_version FROM users WHERE id = $1`, [userId]);
    return rows[0]?.token_version;
  }

  /** The user's password hash and whether they must change the password before anything else. */
  async passwordState(userId: string): Promise<{ passwordHash: string | null; mustChange: boolean } | undefined> {
    const rows = await this.db.query<{ passwordHash: string | null; mustChange: boolean }>(
      `SELECT password_hash AS "passwordHash", must_change_password AS "mustChange" FROM users WHERE id = $1 AND organization_id = $2`,
      [userId, this.organizationId],
    );
    return rows[0];
  }

  /**
   * Sets a new password: the "must change" mark goes, and the user's other sign-ins end
   * (token version moved, refresh tokens revoked). The user as a new session needs them.
   */
  async setPassword(userId: string, passwordHash: string): Promise<SessionUserRow | undefined> {
    const rows = await this.db.query<SessionUserRow>(
      `WITH changed AS (
         UPDATE users SET password_hash = $3, must_change_password = false, token_version = token_version + 1
          WHERE id = $1 AND organization_id = $2 AND disabled_at IS NULL
         RETURNING id, email, name, role, organization_id, token_version
       )
       SELECT c.id, c.email, c.name, c.role, c.organization_id, o.name AS organization_name, c.token_version
         FROM changed c JOIN organizations o ON o.id = c.organization_id`,
      [userId, this.organizationId, passwordHash],
    );
    if (rows[0]) await this.revokeRefreshTokens(userId);
    return rows[0];
  }
}
