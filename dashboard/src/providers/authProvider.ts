// Logs in against /api/auth/login and keeps the token; a 401 from the API logs out,
// a 403 only says "not allowed" and keeps the session.
import type { AuthProvider } from 'react-admin';
import { errorMessage } from './errors';
import { clearSession, isTokenExpired, readSession, writeSession, type SessionUser } from './session';

interface LoginParams {
  /** react-admin's login form names its first field `username`; ours holds the email. */
  username?: string;
  email?: string;
  password: string;
}

export const authProvider: AuthProvider = {
  async login({ username, email, password }: LoginParams) {
    const res = await fetch('/api/auth/login', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ email: (email ?? username ?? '').trim(), password }),
    });
    const body = (await res.json().catch(() => null)) as { accessToken?: string; user?: SessionUser; passwordChangeRequired?: boolean; message?: unknown } | null;
    if (!res.ok || !body?.accessToken || !body.user) throw new Error(errorMessage({ body }, 'ra.auth.sign_in_error'));
    // A password the user must change first: the layout shows only the change form.
    writeSession(body.accessToken, body.user, body.passwordChangeRequired === true);
  },

  async logout() {
    clearSession();
  },

  async checkAuth() {
    const session = readSession();
    // message: false — no "please log in" toast on a first visit, just the login page.
    if (!session) throw { message: false };
    if (isTokenExpired(session.token, Date.now())) {
      clearSession();
      throw new Error('ra.notification.logged_out');
    }
  },

  async checkError(error: { status?: number }) {
    if (error?.status === 401) {
      clearSession();
      throw new Error('ra.notification.logged_out');
    }
    // 403 and everything else: stay logged in; the page shows the error.
  },

  async getIdentity() {
    const session = readSession();
    if (!session) throw new Error('not logged in');
    const { id, name, email, role, organizationName } = session.user;
    return { id, fullName: name, email, role, organizationName };
  },

  async getPermissions() {
    return readSession()?.user.role;
  },
};
