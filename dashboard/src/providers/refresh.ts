// Keeps the sign-in alive with the API's refresh token: renews the access token at 80 %
// of its lifetime and after a 401, one refresh at a time — across this tab's concurrent
// requests and across tabs (a Web Lock), because presenting the same refresh token twice
// makes the API end the whole sign-in. A refused refresh signs out (every tab: they share
// the stored session). Whoever holds a token (the live socket) hears of each new one.
import { clearSession, readSession, writeSession, type Session, type SessionUser } from './session';

/** Renew when this share of the access token's lifetime has passed… */
export const REFRESH_AT = 0.8;
/** …or earlier, so that at least this much is left for a slow network or a busy tab (but not before half the lifetime). */
const MIN_MARGIN_S = 10;
/** After a refresh that failed for a reason other than refusal (network, 5xx, 429). */
const RETRY_MS = 5000;

export interface RefreshStore {
  read(): Session | null;
  write(token: string, user: SessionUser, extra: Partial<Omit<Session, 'token' | 'user'>>): void;
  clear(): void;
}

export interface RefreshDeps {
  fetch: typeof fetch;
  now: () => number;
  store: RefreshStore;
  /** runs fn while holding a lock shared by every tab (navigator.locks), or just runs it */
  lock: <T>(fn: () => Promise<T>) => Promise<T>;
  setTimer: (fn: () => void, ms: number) => unknown;
  clearTimer: (timer: unknown) => void;
}

export type TokenListener = (token: string | null) => void;

/** How long after `receivedAt` (ms) to renew a token that lives `expiresIn` seconds. */
export function refreshDelay(session: Pick<Session, 'expiresIn' | 'receivedAt'>, nowMs: number): number | null {
  if (!session.expiresIn || session.receivedAt == null) return null;
  const at = Math.min(session.expiresIn * REFRESH_AT, Math.max(session.expiresIn / 2, session.expiresIn - MIN_MARGIN_S));
  return Math.max(0, session.receivedAt + at * 1000 - nowMs);
}

/** True when the token is past its refresh point (a tab that slept, a reload after a while). */
export function dueForRefresh(session: Session, nowMs: number): boolean {
  const delay = refreshDelay(session, nowMs);
  return delay !== null && delay <= 0;
}

export function createRefresher(deps: RefreshDeps) {
  let inFlight: Promise<string | null> | null = null;
  let timer: unknown = null;
  let scheduledFor: string | null = null;
  const listeners = new Set<TokenListener>();

  const notify = (token: string | null) => {
    for (const l of listeners) l(token);
  };

  async function exchange(seenToken: string | undefined): Promise<string | null> {
    const session = deps.store.read();
    if (!session) return null;
    // Another tab (or an earlier refresh) already renewed the token we were holding.
    if (seenToken !== undefined && session.token !== seenToken) return session.token;
    if (!session.refreshToken) return null;
    let res: Response;
    try {
      res = await deps.fetch('/api/auth/refresh', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
    } catch {
      throw new Error('refresh: network error');
    }
    if (res.status === 400 || res.status === 401 || res.status === 403) {
      // Refused (expired, revoked, or already used: the API ended the sign-in): sign out.
      deps.store.clear();
      return null;
    }
    const body = (await res.json().catch(() => null)) as {
      accessToken?: string;
      refreshToken?: string;
      expiresIn?: number;
      user?: SessionUser;
      passwordChangeRequired?: boolean;
    } | null;
    if (!res.ok || !body?.accessToken || !body.refreshToken) throw new Error(`refresh: HTTP ${res.status}`);
    const { token: _token, user, ...rest } = session;
    deps.store.write(
      body.accessToken,
      { ...user, ...body.user },
      {
        ...rest,
        ...(body.passwordChangeRequired !== undefined ? { passwordChangeRequired: body.passwordChangeRequired } : {}),
        refreshToken: body.refreshToken,
        expiresIn: body.expiresIn,
        receivedAt: deps.now(),
      },
    );
    return body.accessToken;
  }

  /**
   * A new access token in place of `seenToken` (the one that got a 401 or is due), or null
   * when signed out. Concurrent calls share one refresh. Throws when the API could not be
   * asked (the session is kept).
   */
  function refresh(seenToken?: string): Promise<string | null> {
    if (!inFlight) {
      inFlight = (async () => {
        try {
          const token = await deps.lock(() => exchange(seenToken ?? deps.store.read()?.token));
          notify(token);
          schedule();
          return token;
        } finally {
          inFlight = null;
        }
      })();
    }
    return inFlight;
  }

  /** Arms the timer for the stored token's refresh point (again, after each new token). */
  function schedule(): void {
    const session = deps.store.read();
    if (session && scheduledFor === session.token) return;
    if (timer !== null) deps.clearTimer(timer);
    timer = null;
    scheduledFor = null;
    const delay = session ? refreshDelay(session, deps.now()) : null;
    if (!session || delay === null || !session.refreshToken) return;
    scheduledFor = session.token;
    timer = deps.setTimer(() => {
      timer = null;
      scheduledFor = null;
      refresh(session.token).catch(() => {
        // The API could not be asked: try again shortly (the token may still be valid).
        timer = deps.setTimer(() => {
          timer = null;
          schedule();
        }, RETRY_MS);
      });
    }, delay);
  }

  /** The token to send now: the stored one, renewed first when it is past its refresh point. */
  async function currentToken(): Promise<string | undefined> {
    const session = deps.store.read();
    if (!session) return undefined;
    if (session.refreshToken && dueForRefresh(session, deps.now())) {
      const token = await refresh(session.token).catch(() => session.token);
      return token ?? undefined;
    }
    return session.token;
  }

  return {
    refresh,
    schedule,
    currentToken,
    /** hears every new token, and null when the sign-in ended */
    subscribe(listener: TokenListener): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    stop(): void {
      if (timer !== null) deps.clearTimer(timer);
      timer = null;
      scheduledFor = null;
    },
  };
}

const LOCK = 'mission-control.refresh';

function browserLock<T>(fn: () => Promise<T>): Promise<T> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  return locks ? (locks.request(LOCK, fn) as Promise<T>) : fn();
}

export const refresher = createRefresher({
  fetch: (...args) => fetch(...args),
  now: () => Date.now(),
  store: { read: readSession, write: writeSession, clear: clearSession },
  lock: browserLock,
  setTimer: (fn, ms) => setTimeout(fn, Math.min(ms, 2 ** 31 - 1)),
  clearTimer: (t) => clearTimeout(t as ReturnType<typeof setTimeout>),
});
