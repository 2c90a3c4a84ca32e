// What the dashboard settles before its first render: a stored session whose access token
// has expired is renewed (or dropped when it cannot be), and someone without a session
// starts on the sign-in page, keeping where they were going (react-admin's login sends
// them there afterwards). Left to react-admin, a first visit without a valid session
// passes through its log-out-on-mount route, which re-mounts while its queries reset and
// pushes #/login thousands of times (about ten seconds of a busy tab) before the sign-in
// page first paints.
import { isTokenExpired, type Session } from './session';

export interface StartupDeps {
  read(): Session | null;
  clear(): void;
  now(): number;
  /** renews the access token; resolves to the new token, or null when it cannot */
  refresh(token: string): Promise<string | null>;
  /** the location's hash, e.g. `#/courses?filter=…` */
  hash: string;
  /** replaces the current location (no navigation, no history entry) */
  replace(state: unknown, url: string): void;
}

export async function settleSession(deps: StartupDeps): Promise<'signed-in' | 'sign-in'> {
  const session = deps.read();
  if (session && isTokenExpired(session.token, deps.now())) {
    const renewed = session.refreshToken ? await deps.refresh(session.token).catch(() => null) : null;
    if (!renewed) deps.clear();
  }
  if (deps.read()) return 'signed-in';
  const target = deps.hash.replace(/^#/, '') || '/';
  if (!target.startsWith('/login')) {
    const [pathname, search] = target.split('?');
    const next = pathname === '/' ? {} : { nextPathname: pathname, nextSearch: search ? `?${search}` : '' };
    // react-router keeps a location's own state under `usr` in history.state.
    deps.replace({ usr: next, key: 'default', idx: 0 }, '#/login');
  }
  return 'sign-in';
}
