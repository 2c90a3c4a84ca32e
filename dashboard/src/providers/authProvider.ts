// Logs in against /api/auth/login and keeps the token and its refresh token, with what
// the user may do (`GET /api/me`: the permissions react-admin hands to components, asked
// with `can(permissions, action)`). Tokens are renewed before they expire and after a 401
// (refresh.ts); a 401 that a refresh could not cure logs out, a 403 only says "not
// allowed" and keeps the session. Logging out ends the sign-in at the API too.
import type { AuthProvider } from 'react-admin';
import { errorMessage } from './errors';
import { refresher } from './refresh';
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
    const body = (await res.json().catch(() => null)) as {
      accessToken?: string;
      refreshToken?: string;
      expiresIn?: number;
      user?: SessionUser;
      passwordChangeRequired?: boolean;
      message?: unknown;
    } | null;
    if (!res.ok || !body?.accessToken || !body.user) throw new Error(errorMessage({ body }, 'ra.auth.sign_in_error'));
    const tokens = { refreshToken: body.refreshToken, expiresIn: body.expiresIn, receivedAt: Date.now() };
    // A password the user must change first: the layout shows only the change form, and
    // the API refuses everything else (/api/me too) until it is changed.
    if (body.passwordChangeRequired === true) {
      writeSession(body.accessToken, body.user, { passwordChangeRequired: true, ...tokens });
      return void refresher.schedule();
    }
    const me = await fetchMe(body.accessToken);
    writeSession(body.accessToken, { ...body.user, language: me.language, organizationLanguage: me.organizationLanguage }, { actions: me.actions, ...tokens });
    refresher.schedule();
  },

  async logout() {
    const refreshToken = readSession()?.refreshToken;
    refresher.stop();
    clearSession();
    // Ends this sign-in's refresh tokens at the API (best effort: signing out here never waits for it).
    if (refreshToken) {
      void fetch('/api/auth/logout', {
        method: 'POST',
        keepalive: true,
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken }),
      }).catch(() => undefined);
    }
  },

  async checkAuth() {
    const session = readSession();
    // message: false — no "please log in" toast on a first visit, just the login page.
    if (!session) throw { message: false };
    if (isTokenExpired(session.token, Date.now())) {
      // A tab that slept past the token's lifetime: renew it before asking for a login.
      const renewed = session.refreshToken ? await refresher.refresh(session.token).catch(() => null) : null;
      if (!renewed) {
        clearSession();
        throw new Error('ra.notification.logged_out');
      }
    }
    refresher.schedule();
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
