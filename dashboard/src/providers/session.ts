// The logged-in session in localStorage: the access token and who it belongs to.
export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: 'admin' | 'ops' | 'reviewer' | 'finance';
  organizationId: string;
  organizationName: string;
}

const KEY = 'mission-control.session';

export function readSession(): { token: string; user: SessionUser } | null {
  try {
    const raw = localStorage.getItem(KEY);
    return raw ? JSON.parse(raw) : null;
  } catch {
    return null;
  }
}

export function writeSession(token: string, user: SessionUser): void {
  localStorage.setItem(KEY, JSON.stringify({ token, user }));
}

export function clearSession(): void {
  localStorage.removeItem(KEY);
}
