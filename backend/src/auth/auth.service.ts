// Sign-in, tokens and invitations. Access tokens are HS256 JWTs with exp, iss and aud
// pinned; the user's token_version is in the token, so disabling a user or changing a
// role ends the tokens issued before. Refresh tokens are opaque, stored hashed, rotated
// on every use; using one twice (a stolen copy) revokes its whole family.
import { BadRequestException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthUser, Role } from './access.decorators';
import { AuditLog } from './audit';
import { RateLimiter } from './rate-limit';

interface TokenClaims { sub: string; org: string; role: Role; tv: number; exp?: number; iat?: number }

interface UserRow { id: string; email: string; name: string; role: Role; organization_id: string; organization_name: string; token_version: number; disabled_at: Date | null; password_hash?: string | null }

export interface Session {
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: AuthUser & { organizationName: string };
}

export const BCRYPT_ROUNDS = 10;
const DUMMY_HASH = '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva';
/** TypeORM answers an UPDATE … RETURNING with [rows, count]. */
const updated = (result: unknown): any[] => (Array.isArray(result) && Array.isArray(result[0]) ? result[0] : (result as any[]));
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  private readonly cache = new Map<string, { at: number; row: UserRow | null }>();
  /** token → its claims and when it stops being valid (ms): min(exp, iat + access-token lifetime). */
  private readonly verified = new Map<string, { claims: TokenClaims; until: number }>();

  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditLog,
  ) {}

  private async userBy(where: string, value: string): Promise<UserRow | undefined> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, o.name AS organization_name, u.token_version, u.disabled_at, u.password_hash
         FROM users u JOIN organizations o ON o.id = u.organization_id WHERE ${where} = $1`,
      [value],
    );
    return rows[0];
  }

  async login(email: string, password: string, ip: string): Promise<Session> {
    const normalized = email.toLowerCase();
    await this.limiter.checkLogin(normalized, ip);
    const row = await this.userBy('u.email', normalized);
    // Compare even when the user is unknown, so timing does not tell which emails exist.
    const ok = await bcrypt.compare(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled_at) {
      await this.limiter.loginFailed(normalized, ip);
      throw new UnauthorizedException('invalid email or password');
    }
    await this.limiter.loginSucceeded(normalized);
    await this.ds.query(`UPDATE users SET last_login_at = now() WHERE id = $1`, [row.id]);
    await this.audit.record({ organizationId: row.organization_id, actor: row, action: 'auth.login', subjectType: 'user', subjectId: row.id, ip });
    return this.session(row, randomUUID());
  }

  /** Trades a refresh token for a new pair; the old one is spent. */
  async refresh(refreshToken: string): Promise<Session> {
    const hash = sha256(refreshToken);
    const [token] = updated(await this.ds.query(
      `UPDATE refresh_tokens SET used_at = now() WHERE token_hash = $1 AND used_at IS NULL AND revoked_at IS NULL AND expires_at > now()
       RETURNING id, user_id, family, token_version`,
      [hash],
    ));
    if (!token) {
      // A spent token presented again means two holders: end the family.
      const [spent] = await this.ds.query(`SELECT family FROM refresh_tokens WHERE token_hash = $1 AND used_at IS NOT NULL`, [hash]);
      if (spent) {
        await this.ds.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL`, [spent.family]);
        throw new UnauthorizedException('refresh token already used; every session of this sign-in has ended, sign in again');
      }
      throw new UnauthorizedException('invalid or expired refresh token');
    }
    const row = await this.userBy('u.id', token.user_id);
    if (!row || row.disabled_at || row.token_version !== token.token_version) {
      await this.ds.query(`UPDATE refresh_tokens SET revoked_at = now() WHERE family = $1 AND revoked_at IS NULL`, [token.family]);
      throw new UnauthorizedException('this sign-in has ended (user disabled or role changed); sign in again');
    }
    return this.session(row, token.family);
  }

  /** Ends the sign-in the refresh token belongs to. */
  async logout(refreshToken: string): Promise<void> {
    await this.ds.query(
      `UPDATE refresh_tokens SET revoked_at = now() WHERE revoked_at IS NULL AND family = (SELECT family FROM refresh_tokens WHERE token_hash = $1)`,
      [sha256(refreshToken)],
    );
  }

  /** Sets the password of an invited user and signs them in. */
  async acceptInvite(inviteToken: string, password: string, ip: string): Promise<Session> {
    const hash = await bcrypt.hash(password, BCRYPT_ROUNDS);
    const [user] = updated(await this.ds.query(
      `UPDATE users SET password_hash = $2, invite_token_hash = NULL, invite_expires_at = NULL
        WHERE invite_token_hash = $1 AND invite_expires_at > now() AND disabled_at IS NULL RETURNING id`,
      [sha256(inviteToken), hash],
    ));
    if (!user) throw new UnauthorizedException('invalid or expired invitation');
    const row = (await this.userBy('u.id', user.id))!;
    await this.audit.record({ organizationId: row.organization_id, actor: row, action: 'auth.accept_invite', subjectType: 'user', subjectId: row.id, ip });
    return this.session(row, randomUUID());
  }

  private async session(row: UserRow, family: string): Promise<Session> {
    const claims: TokenClaims = { sub: row.id, org: row.organization_id, role: row.role, tv: row.token_version };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.jwt.ttlSeconds,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    await this.ds.query(
      `INSERT INTO refresh_tokens (organization_id, user_id, family, token_hash, token_version, expires_at)
       VALUES ($1, $2, $3, $4, $5, now() + make_interval(secs => $6))`,
      [row.organization_id, row.id, family, sha256(refreshToken), row.token_version, this.config.access.refreshTtlSeconds],
    );
    return {
      accessToken,
      expiresIn: this.config.jwt.ttlSeconds,
      refreshToken,
      refreshExpiresIn: this.config.access.refreshTtlSeconds,
      user: { id: row.id, email: row.email, name: row.name, role: row.role, organizationId: row.organization_id, organizationName: row.organization_name },
    };
  }

  /** Verifies a bearer token and the user behind it; null when anything is off. */
  async verify(token: string): Promise<(AuthUser & { expiresAt: number }) | null> {
    // A token whose signature was checked is remembered until it expires: the hot status
    // route then skips the HMAC and the two JSON parses. The user behind it is still
    // checked on every request (below).
    // Only a token with exp and iat gets in (a token without exp is refused outright), and
    // it is forgotten at exp or once it is older than the access-token lifetime (maxAge).
    let hit = this.verified.get(token);
    if (hit && hit.until <= Date.now()) {
      this.verified.delete(token);
      hit = undefined;
    }
    if (!hit) {
      let verified: TokenClaims;
      try {
        verified = await this.jwt.verifyAsync<TokenClaims>(token, {
          algorithms: ['HS256'],
          issuer: this.config.jwt.issuer,
          audience: this.config.jwt.audience,
          maxAge: this.config.jwt.ttlSeconds,
        });
      } catch {
        return null;
      }
      if (typeof verified.exp !== 'number' || !Number.isFinite(verified.exp) || typeof verified.iat !== 'number' || !Number.isFinite(verified.iat)) return null;
      const until = Math.min(verified.exp, verified.iat + this.config.jwt.ttlSeconds) * 1000;
      if (until <= Date.now()) return null;
      if (this.verified.size >= 10_000) this.verified.clear();
      hit = { claims: verified, until };
      this.verified.set(token, hit);
    }
    const { claims, until } = hit;
    if (typeof claims.sub !== 'string' || !/^[0-9a-f-]{36}$/i.test(claims.sub)) return null;
    const row = await this.user(claims.sub);
    if (!row || row.disabled_at || row.token_version !== claims.tv || row.role !== claims.role) return null;
    return { id: row.id, email: row.email, name: row.name, role: row.role, organizationId: row.organization_id, expiresAt: until };
  }

  /** Forgets what the cache knows of a user (after a role change or disabling). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  private async user(id: string): Promise<UserRow | null> {
    // A short cache keeps the hot status route off the users table; 2 s is how long a
    // disabled user's token may still work on another API process.
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < 2000) return hit.row;
    const rows: UserRow[] = await this.ds.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, u.token_version, u.disabled_at FROM users u WHERE u.id = $1`,
      [id],
    );
    const row = rows[0] ?? null;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { at: Date.now(), row });
    return row;
  }
}

export function hashInviteToken(token: string): string {
  return sha256(token);
}

export function assertStrongPassword(password: string): void {
  if (password.length < 12) throw new BadRequestException('password: must be at least 12 characters');
}
