// Sign-in before the organization is known, and the per-request check of the user behind
// a verified token. Signing in by e-mail, trading or revoking a refresh token and
// accepting an invitation run as mc_app with no organization (TenantDb.runAnonymous),
// which sees no rows: they go through the SECURITY DEFINER functions of migration
// 1763800022000, each handing back only what the caller needs. The user check runs as
// mc_app for the token's organization, in one round trip.
import { Injectable } from '@nestjs/common';
import type { Pool, QueryResult } from 'pg';
import { DataSource } from 'typeorm';
import type { Role } from '../../auth/permissions';
import { poolOf } from '../db';
import { TenantDb, tenantSetup } from './tenant-db';

/** A user as a session is made for them. */
export interface SessionUserRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organization_id: string;
  organization_name: string;
  token_version: number;
}

export interface SignInRow extends SessionUserRow {
  disabled_at: Date | null;
  password_hash: string | null;
}

/** What spending a refresh token did (see mc_refresh_rotate). */
export type RefreshRotation = { outcome: 'rotated'; family: string; user: SessionUserRow } | { outcome: 'reused' | 'ended' | 'invalid' };

/** What every request checks of the user behind its token. */
export interface UserAccessRow {
  id: string;
  email: string;
  name: string;
  role: Role;
  organization_id: string;
  token_version: number;
  disabled_at: Date | null;
  /** whether the user's organization is the platform organization (operators are its admins) */
  platform: boolean;
  /** the user's own language, null when they chose none */
  language: 'en' | 'ru' | null;
  /** the organization's default language */
  organization_language: 'en' | 'ru';
  /** set by the bootstrap: every route but the password change is refused until it is */
  must_change_password: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class SignInRepository {
  private readonly pool: Pool;

  constructor(
    private readonly tenantDb: TenantDb,
    ds: DataSource,
  ) {
    this.pool = poolOf(ds);
  }

  /** The user with this (lower-case) e-mail, whichever organization they belong to. */
  async lookupByEmail(email: string): Promise<SignInRow | undefined> {
    const rows = await this.tenantDb.runAnonymous((db) => db.query<SignInRow>(`SELECT * FROM mc_sign_in_lookup($1)`, [email]));
    return rows[0];
  }

  /** Spends the refresh token with this hash; a reused or ended one revokes its family. */
  async rotateRefreshToken(tokenHash: string): Promise<RefreshRotation> {
    const [row] = await this.tenantDb.runAnonymous((db) =>
      db.query<SessionUserRow & { outcome: RefreshRotation['outcome']; family: string | null }>(`SELECT * FROM mc_refresh_rotate($1)`, [tokenHash]),
    );
    if (!row || row.outcome !== 'rotated') return { outcome: row?.outcome === 'reused' || row?.outcome === 'ended' ? row.outcome : 'invalid' };
    const { outcome: _outcome, family, ...user } = row;
    return { outcome: 'rotated', family: family!, user };
  }

  /** Revokes the family (the sign-in) of the refresh token with this hash, if any. */
  async revokeRefreshFamily(tokenHash: string): Promise<void> {
    await this.tenantDb.runAnonymous((db) => db.query(`SELECT mc_sign_out($1)`, [tokenHash]));
  }

  /** Sets the password of the user whose open invitation has this hash; undefined when there is none. */
  async acceptInvite(inviteHash: string, passwordHash: string): Promise<SessionUserRow | undefined> {
    const rows = await this.tenantDb.runAnonymous((db) => db.query<SessionUserRow>(`SELECT * FROM mc_accept_invite($1, $2)`, [inviteHash, passwordHash]));
    return rows[0];
  }

  /**
   * The user `userId` as the organization `organizationId` sees them (null when it does
   * not), for the check every authenticated request makes. One round trip: the role and
   * the organization are set in the same simple-protocol message as the SELECT, which
   * Postgres runs as one implicit transaction, so the settings end with it. Both ids are
   * inlined, so both are checked to be UUIDs first. The languages come along, so that a
   * request without Accept-Language is answered in the user's or organization's language
   * at no further cost.
   */
  async userAccess(organizationId: string, userId: string): Promise<UserAccessRow | null> {
    if (!UUID.test(organizationId) || !UUID.test(userId)) return null;
    const results = (await this.pool.query(
      `${tenantSetup(organizationId)};
       SELECT u.id, u.email, u.name, u.role, u.organization_id, u.token_version, u.disabled_at, o.is_platform AS platform, u.language,
              o.default_language AS organization_language, u.must_change_password
         FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.id = '${userId}'`,
    )) as unknown as QueryResult<UserAccessRow>[];
    return results[1]?.rows[0] ?? null;
  }
}
