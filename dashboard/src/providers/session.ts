// The logged-in session in localStorage: the access token and who it belongs to.
import type { Role } from '../types';

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  organizationId: string;
  organizationName: string;
}

export interface Session {
  token: string;
  user: SessionUser;
  /** signed in with a password the user must change before anything else (the bootstrap's) */
  passwordChangeRequired?: boolean;
}

const KEY = 'mission-control.session';

export function readSession(): Session | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? (JSON.parse(raw) as Session) : null;
  } catch {
    return null;
  }
}

export function writeSession(token: string, user: SessionUser, passwordChangeRequired = false): void {
  localStorage.setItem(KEY, JSON.stringify(passwordChangeRequired ? { token, user, passwordChangeRequired } : { token, user }));
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
