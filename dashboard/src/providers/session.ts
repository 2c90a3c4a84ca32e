// The logged-in session in localStorage: the access token, its refresh token and who it belongs to.
import type { Role } from '../types';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  organizationName: string;
  /** the user's own language (GET /api/auth/me); null when they chose none */
  language?: Language | null;
  /** the organization's default language */
  organizationLanguage?: Language;
}

export type Language = 'en' | 'ru';

export interface Session {
  token: string;
  user: SessionUser;
  /** what the user may do, as `GET /api/me` said at sign-in */
  actions?: string[];
  /** the UI was switched to the user's language after this sign-in (see LocaleSync) */
  localeApplied?: boolean;
  /** signed in with a password the user must change before anything else (the bootstrap's) */
  passwordChangeRequired?: boolean;
  /** the API's refresh token for this sign-in (each use rotates it; see refresh.ts) */
  refreshToken?: string;
  /** the access token's lifetime in seconds, as the API answered */
  expiresIn?: number;
  /** when the access token was received (ms, this browser's clock) */
  receivedAt?: number;
}

/** The fields of a session that belong to its access token, kept when it is rewritten with the same token. */
type TokenFields = Pick<Session, 'refreshToken' | 'expiresIn' | 'receivedAt'>;

const KEY = 'mission-control.session';

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

/**
 * Stores the session. Rewriting it with the same access token (a language or the actions
 * changed) keeps that token's refresh token and lifetime unless `extra` names them.
 */
export function writeSession(token: string, user: SessionUser, extra: Partial<Omit<Session, 'token' | 'user'>> = {}): void {
  const stored = readSession();
  const kept: TokenFields = stored?.token === token ? { refreshToken: stored.refreshToken, expiresIn: stored.expiresIn, receivedAt: stored.receivedAt } : {};
  localStorage.setItem(KEY, JSON.stringify({ token, user, ...kept, ...extra }));
}

export const SESSION_KEY = KEY;

/** The language the browser asks for, if it is one we speak. */
export function browserLanguage(languages: readonly string[]): Language | null {
  for (const tag of languages) {
    const l = tag.toLowerCase();
    if (l.startsWith('ru')) return 'ru';
    if (l.startsWith('en')) return 'en';
  }
  return null;
}

/** The UI's language: the user's own, else the organization's default, else the browser's, else English. */
export function preferredLanguage(user: SessionUser | undefined, languages: readonly string[]): Language {
  return user?.language ?? user?.organizationLanguage ?? browserLanguage(languages) ?? 'en';
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}

/**
 * True when the JWT's `exp` has passed, so the app asks for a login before the API
 * answers 401. A token it cannot read is left for the API to judge.
 */
export function isTokenExpired(token: string, nowMs: number): boolean {
  const payload = token.split('.')[1];
  if (!payload) return false;
  try {
    const json = atob(payload.replace(/-/g, '+').replace(/_/g, '/'));
    const exp = (JSON.parse(json) as { exp?: unknown }).exp;
    return typeof exp === 'number' && exp * 1000 <= nowMs;
  } catch {
    return false;
  }
}
