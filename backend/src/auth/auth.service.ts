// Login and token checks. Tokens are HS256 JWTs with exp, iss and aud pinned; the
// user's token_version is in the token, so disabling a user or changing a role ends
// the tokens issued before.
import { Inject, Injectable, UnauthorizedException } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import * as bcrypt from 'bcryptjs';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import type { AuthUser, Role } from './access.decorators';

interface TokenClaims { sub: string; org: string; role: Role; tv: number }

interface UserRow { id: string; email: string; name: string; role: Role; organization_id: string; organization_name: string; token_version: number; disabled_at: Date | null; password_hash?: string }

@Injectable()
export class AuthService {
  private readonly cache = new Map<string, { at: number; row: UserRow | null }>();

  constructor(
    private readonly ds: DataSource,
    private readonly jwt: JwtService,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async login(email: string, password: string): Promise<{ accessToken: string; expiresIn: number; user: AuthUser & { organizationName: string } }> {
    const rows: UserRow[] = await this.ds.query(
      `SELECT u.id, u.email, u.name, u.role, u.organization_id, o.name AS organization_name, u.token_version, u.disabled_at, u.password_hash
         FROM users u JOIN organizations o ON o.id = u.organization_id WHERE u.email = $1`,
      [email.toLowerCase()],
    );
    const row = rows[0];
    // Compare even when the user is unknown, so timing does not tell which emails exist.
    const ok = await bcrypt.compare(password, row?.password_hash ?? '$2b$10$invalidinvalidinvalidinvalidinvalidinvalidinvalidinva');
    if (!row || !ok || row.disabled_at) throw new UnauthorizedException('invalid email or password');
    const claims: TokenClaims = { sub: row.id, org: row.organization_id, role: row.role, tv: row.token_version };
    const accessToken = await this.jwt.signAsync(claims, {
      algorithm: 'HS256',
      expiresIn: this.config.jwt.ttlSeconds,
      issuer: this.config.jwt.issuer,
      audience: this.config.jwt.audience,
    });
    return {
      accessToken,
      expiresIn: this.config.jwt.ttlSeconds,
      user: { id: row.id, email: row.email, name: row.name, role: row.role, organizationId: row.organization_id, organizationName: row.organization_name },
    };
  }

  /** Verifies a bearer token and the user behind it; null when anything is off. */
  async verify(token: string): Promise<AuthUser | null> {
    let claims: TokenClaims;
    try {
      claims = await this.jwt.verifyAsync<TokenClaims>(token, {
        algorithms: ['HS256'],
        issuer: this.config.jwt.issuer,
        audience: this.config.jwt.audience,
      });
    } catch {
      return null;
    }
    const row = await this.user(claims.sub);
    if (!row || row.disabled_at || row.token_version !== claims.tv || row.role !== claims.role) return null;
    return { id: row.id, email: row.email, name: row.name, role: row.role, organizationId: row.organization_id };
  }

  private async user(id: string): Promise<UserRow | null> {
    // A short cache keeps the hot status route off the users table; 2 s is how long a
    // disabled user's token may still work.
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
