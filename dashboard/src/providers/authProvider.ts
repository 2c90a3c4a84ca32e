// Logs in against /api/auth/login and keeps the token; a 401 from the API logs out.
import type { AuthProvider } from 'react-admin';
import { clearSession, readSession, writeSession } from './session';

export const authProvider: AuthProvider = {
  async login({ username, email, password }: { username?: string; email?: string; password: string }) {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: email ?? username, password }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message ?? 'Login failed');
    writeSession(body.accessToken, body.user);
  },
  async logout() {
    clearSession();
  },
  async checkAuth() {
    if (!readSession()) throw new Error('not logged in');
  },
  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      clearSession();
      throw new Error('session expired');
    }
  },
  async getIdentity() {
    const s = readSession();
    if (!s) throw new Error('not logged in');
    return { id: s.user.id, fullName: `${s.user.name} · ${s.user.organizationName}` };
  },
  async getPermissions() {
    return readSession()?.user.role;
  },
};
