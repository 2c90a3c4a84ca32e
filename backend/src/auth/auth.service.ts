// Sign-in, tokens and invitations. Access tokens are HS256 JWTs with exp, iss and aud
// pinned; the user's token_version is in the token, so disabling a user or changing a
// role ends the tokens issued before. Refresh tokens are opaque, stored hashed, rotated
// on every use; using one twice (a stolen copy) revokes its whole family.
import { BadRequestException, Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthUser, Role } from './access.decorators';
import { isOperator } from './permissions';
import { AuditLog } from './audit';
import { passwordProblem } from './password-policy';
import { RateLimiter } from './rate-limit';
import { SessionUserRow, SignInRepository, UserAccessRow } from '../repositories/tenant/sign-in.repository';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';

interface TokenClaims {
  sub: string;
  org: string;
  role: Role;
  tv: number;
  exp?: number;
  iat?: number;
}

export interface Session {
  /** true when the user must set a new password (POST /api/auth/password) before anything else */
  passwordChangeRequired?: boolean;
  accessToken: string;
  expiresIn: number;
  refreshToken: string;
  refreshExpiresIn: number;
  user: Omit<AuthUser, 'operator' | 'language' | 'organizationLanguage'> & { organizationName: string };
}

export const BCRYPT_ROUNDS = 10;
const DUMMY_HASH = '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva';
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

@Injectable()
export class AuthService {
  private readonly cache = new Map<string, { at: number; row: UserAccessRow | null }>();
  /** token → its claims and when it stops being valid (ms): min(exp, iat + access-token lifetime). */
  private readonly verified = new Map<string, { claims: TokenClaims; until: number }>();

  constructor(
    private readonly signIn: SignInRepository,
    private readonly scope: TenantScope,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly limiter: RateLimiter,
    private readonly audit: AuditLog,
  ) {}

  async login(email: string, password: string, ip: string): Promise<Session> {
    const normalized = email.toLowerCase();
    await this.limiter.checkLogin(normalized, ip);
    const row = await this.signIn.lookupByEmail(normalized);
    // Compare even when the user is unknown, so timing does not tell which emails exist.
    const ok = await bcrypt.compare(password, row?.password_hash ?? DUMMY_HASH);
    if (!row || !ok || row.disabled_at) {
      await this.limiter.loginFailed(normalized, ip);
      throw new UnauthorizedException('invalid email or password');
    }
    await this.limiter.loginSucceeded(normalized);
    let passwordChangeRequired = false;
    const session = await this.session(row, randomUUID(), async (repos) => {
      await repos.users.markSignedIn(row.id);
      await repos.audit.record({ actor: row, action: 'auth.login', subjectType: 'user', subjectId: row.id, ip });
      passwordChangeRequired = (await repos.users.passwordState(row.id))?.mustChange ?? false;
    });
    return { passwordChangeRequired, ...session };
  }

  /**
   * Sets a new password for a signed-in user who knows the current one. Their other
   * sign-ins end (tokens issued before stop working); the answer is a fresh session.
   */
  async changePassword(user: AuthUser, currentPassword: string, newPassword: string): Promise<Session> {
    const state = await this.scope.run(user.organizationId, (repos) => repos.users.passwordState(user.id));
    const ok = await bcrypt.compare(currentPassword, state?.passwordHash ?? DUMMY_HASH);
    if (!state || !ok) throw new BadRequestException('currentPassword: is not your current password');
    const problem = passwordProblem(newPassword, user.email);
    if (problem) throw new BadRequestException(`newPassword: ${problem}`);
    if (newPassword === currentPassword) throw new BadRequestException('newPassword: must differ from the current password');
    const hash = await bcrypt.hash(newPassword, BCRYPT_ROUNDS);
    const row = await this.scope.run(user.organizationId, (repos) => repos.users.setPassword(user.id, hash));
    if (!row) throw new UnauthorizedException('this user can no longer sign in');
    this.forget(user.id);
    return { passwordChangeRequired: false, ...(await this.session(row, randomUUID())) };
  }

  /** Trades a refresh token for a new pair; the old one is spent. */
  async refresh(refreshToken: string): Promise<Session> {
    // Spent under one statement: a spent token presented again means two holders, and a
    // user disabled or changed since ends the sign-in; either revokes the whole family.
    const rotation = await this.signIn.rotateRefreshToken(sha256(refreshToken));
    switch (rotation.outcome) {
      case 'rotated':
        return this.session(rotation.user, rotation.family);
      case 'reused':
        throw new UnauthorizedException('refresh token already used; every session of this sign-in has ended, sign in again');
      case 'ended':
        throw new UnauthorizedException('this sign-in has ended (user disabled or role changed); sign in again');
      default:
        throw new UnauthorizedException('invalid or expired refresh token');
    }
  }

  /** Ends the sign-in the refresh token belongs to. */
  async logout(refreshToken: string): Promise<void> {
    await this.signIn.revokeRefreshFamily(sha256(refreshToken));
  }

  /** Sets the password of an invited user and signs them in. */
  async acceptInvite(inviteToken: string, password: string, ip: string): Promise<Session> {
    const hash = await bcrypt.hash(password, BCRYPT_ROUNDS);
    const row = await this.signIn.acceptInvite(sha256(inviteToken), hash);
    if (!row) throw new UnauthorizedException('invalid or expired invitation');
    return this.session(row, randomUUID(), (repos) =>
      repos.audit.record({ actor: row, action: 'auth.accept_invite', subjectType: 'user', subjectId: row.id, ip }),
    );
  }

  /**
   * Signs the access token and stores the refresh token, in the user's organization's
   * scope; `alongside` runs in the same transaction (the sign-in's own records).
   */
  private async session(row: SessionUserRow, family: string, alongside?: (repos: TenantRepositories) => Promise<void>): Promise<Session> {
    const claims: TokenClaims = { sub: row.id, org: row.organization_id, role: row.role, tv: row.token_version };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.jwt.ttlSeconds,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    });
    const refreshToken = randomBytes(32).toString('base64url');
    await this.scope.run(row.organization_id, async (repos) => {
      await alongside?.(repos);
      await repos.users.insertRefreshToken({
        userId: row.id,
        family,
        tokenHash: sha256(refreshToken),
        tokenVersion: row.token_version,
        ttlSeconds: this.config.access.refreshTtlSeconds,
      });
    });
    return {
      accessToken,
      expiresIn: this.config.jwt.ttlSeconds,
      refreshToken,
      refreshExpiresIn: this.config.access.refreshTtlSeconds,
      user: { id: row.id, email: row.email, name: row.name, role: row.role, organizationId: row.organization_id, organizationName: row.organization_name },
    };
  }

  /** Verifies a bearer token and the user behind it; null when anything is off. */
  async verify(token: string): Promise<(AuthUser & { expiresAt: number; passwordChangeRequired: boolean }) | null> {
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
    if (typeof claims.org !== 'string') return null;
    const row = await this.user(claims.org, claims.sub);
    if (!row || row.disabled_at || row.token_version !== claims.tv || row.role !== claims.role) return null;
    return {
      id: row.id,
      email: row.email,
      name: row.name,
      role: row.role,
      organizationId: row.organization_id,
      operator: isOperator(row.role, row.platform),
      language: row.language,
      organizationLanguage: row.organization_language,
      expiresAt: until,
      passwordChangeRequired: row.must_change_password === true,
    };
  }

  /** Sets the caller's own language (null: follow the organization's default). */
  async setLanguage(user: AuthUser, language: 'en' | 'ru' | null): Promise<void> {
    await this.scope.run(user.organizationId, (repos) => repos.users.setLanguage(user.id, language));
    this.forget(user.id);
  }

  /** Forgets what the cache knows of a user (after a role change, disabling or a new language). */
  forget(id: string): void {
    this.cache.delete(id);
  }

  /** Forgets what the cache knows of an organization's users (after its default language changed). */
  forgetOrganization(organizationId: string): void {
    for (const [id, hit] of this.cache) if (hit.row?.organization_id === organizationId) this.cache.delete(id);
  }

  private async user(organizationId: string, id: string): Promise<UserAccessRow | null> {
    // A short cache keeps the hot status route off the users table; 2 s is how long a
    // disabled user's token may still work on another API process. The user is read in
    // the token's organization's scope: a token naming another organization finds no one.
    const hit = this.cache.get(id);
    if (hit && Date.now() - hit.at < 2000) return hit.row?.organization_id === organizationId ? hit.row : null;
    const row = await this.signIn.userAccess(organizationId, id);
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(id, { at: Date.now(), row });
    return row;
  }
}

export function hashInviteToken(token: string): string {
  return sha256(token);
}

export function assertStrongPassword(password: string, email?: string): void {
  const problem = passwordProblem(password, email);
  if (problem) throw new BadRequestException(`password: ${problem}`);
}
