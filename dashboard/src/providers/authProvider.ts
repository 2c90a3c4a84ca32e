// Logs in against /api/auth/login and keeps the token, with what the user may do
// (`GET /api/me`: the permissions react-admin hands to components, asked with
// `can(permissions, action)`); a 401 from the API logs out, a 403 only says "not
// allowed" and keeps the session.
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
    // A password the user must change first: the layout shows only the change form, and
    // the API refuses everything else (/api/me too) until it is changed.
    if (body.passwordChangeRequired === true) return void writeSession(body.accessToken, body.user, { passwordChangeRequired: true });
    const me = await fetchMe(body.accessToken);
    writeSession(body.accessToken, { ...body.user, language: me.language, organizationLanguage: me.organizationLanguage }, { actions: me.actions });
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
    const session = readSession();
    if (!session || session.passwordChangeRequired) return [];
    if (Array.isArray(session.actions)) return session.actions;
    // A session stored before the actions were kept: ask once.
    const { actions } = await fetchMe(session.token);
    writeSession(session.token, session.user, { actions, localeApplied: session.localeApplied });
    return actions;
  },
};

/** `GET /api/me`: the actions the API's permission table allows the token's user, and their languages. */
async function fetchMe(token: string): Promise<{ actions: string[] } & Pick<SessionUser, 'language' | 'organizationLanguage'>> {
  const res = await fetch('/api/me', { headers: { Accept: 'application/json', Authorization: `Bearer ${token}` } });
  const body = (await res.json().catch(() => null)) as ({ actions?: unknown } & Pick<SessionUser, 'language' | 'organizationLanguage'>) | null;
  if (!res.ok || !body || !Array.isArray(body.actions)) throw new Error(errorMessage({ body }, 'ra.auth.sign_in_error'));
  return {
    actions: body.actions.filter((a): a is string => typeof a === 'string'),
    language: body.language ?? null,
    organizationLanguage: body.organizationLanguage,
  };
}
