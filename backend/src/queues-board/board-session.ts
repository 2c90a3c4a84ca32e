// Bull Board is a server-rendered UI: its pages and XHRs cannot carry our bearer header.
// So an authenticated POST from the dashboard mints a short-lived token of its own
// audience (useless as a bearer for /api) and sets it as an httpOnly, SameSite=Strict
// cookie scoped to the board's path. Every board request checks it again, including
// the user's current role and token version (a role change or a disable ends it), and
// admits only whom the permission table allows `queues.board`: the deployment's
// operators, since the board shows and controls every organization's jobs.
import type { JwtService } from '@nestjs/jwt';
import { can, isOperator, type Role } from '../auth/permissions';
import type { SignInRepository } from '../repositories/tenant/sign-in.repository';

export const BOARD_PATH = '/api/queues-board';
export const BOARD_COOKIE = 'mc_queues_board';
export const BOARD_TTL_SECONDS = 600;

export interface BoardJwt {
  secret: string;
  issuer: string;
  audience: string;
}

const boardAudience = (cfg: BoardJwt) => `${cfg.audience}-queues-board`;

interface BoardClaims {
  sub: string;
  org: string;
  role: Role;
  tv: number;
}

export async function mintBoardToken(
  jwt: JwtService,
  cfg: BoardJwt,
  user: { id: string; organizationId: string; role: Role; tokenVersion: number },
): Promise<string> {
  const claims: BoardClaims = { sub: user.id, org: user.organizationId, role: user.role, tv: user.tokenVersion };
  return jwt.signAsync(claims, { secret: cfg.secret, algorithm: 'HS256', expiresIn: BOARD_TTL_SECONDS, issuer: cfg.issuer, audience: boardAudience(cfg) });
}

export function boardCookie(token: string, secure: boolean): string {
  return `${BOARD_COOKIE}=${token}; Path=${BOARD_PATH}; HttpOnly; SameSite=Strict; Max-Age=${BOARD_TTL_SECONDS}${secure ? '; Secure' : ''}`;
}

export function readCookie(header: string | undefined, name: string): string | null {
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i > 0 && part.slice(0, i).trim() === name) return part.slice(i + 1).trim() || null;
  }
  return null;
}

/** 401 without a valid board cookie, 403 for anyone but an operator, else null. */
export async function checkBoardAccess(
  jwt: JwtService,
  users: Pick<SignInRepository, 'userAccess'>,
  cfg: BoardJwt,
  cookieHeader: string | undefined,
): Promise<{ status: 401 | 403; message: string } | null> {
  const token = readCookie(cookieHeader, BOARD_COOKIE);
  if (!token) return { status: 401, message: 'open the queues from the dashboard (no board session)' };
  let claims: BoardClaims;
  try {
    claims = await jwt.verifyAsync<BoardClaims>(token, { secret: cfg.secret, algorithms: ['HS256'], issuer: cfg.issuer, audience: boardAudience(cfg) });
  } catch {
    return { status: 401, message: 'the board session is invalid or has expired' };
  }
  // The user as their organization sees them (the organization is in the signed cookie).
  const row = typeof claims.org === 'string' && typeof claims.sub === 'string' ? await users.userAccess(claims.org, claims.sub) : null;
  if (!row || row.disabled_at || row.token_version !== claims.tv || row.role !== claims.role)
    return { status: 401, message: 'the board session is no longer valid' };
  if (!can({ role: row.role, operator: isOperator(row.role, row.platform) }, 'queues.board')) {
    return { status: 403, message: "only the deployment's operators may open Bull Board (every organization's queues)" };
  }
  return null;
}
