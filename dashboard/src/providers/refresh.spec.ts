import { describe, expect, it } from 'vitest';
import { createRefresher, refreshDelay, type RefreshDeps } from './refresh';
import type { Session, SessionUser } from './session';

const user: SessionUser = {
  id: 'u1',
  email: 'ops@acme.test',
  name: 'Ops',
  role: 'ops',
  organizationId: 'o1',
  organizationName: 'Acme',
  language: 'ru',
  organizationLanguage: 'en',
};

/** An API whose /api/auth/refresh rotates like the real one: a spent refresh token ends the sign-in. */
function fakeApi(opts: { delayMs?: number; fail?: 'refused' | 'network' | 'server' } = {}) {
  const spent = new Set<string>();
  let n = 0;
  const calls: string[] = [];
  const fetchFn = (async (_url: string, init?: RequestInit) => {
    const { refreshToken } = JSON.parse(String(init?.body)) as { refreshToken: string };
    calls.push(refreshToken);
    await new Promise((r) => setTimeout(r, opts.delayMs ?? 5));
    if (opts.fail === 'network') throw new TypeError('Failed to fetch');
    if (opts.fail === 'server') return new Response('{}', { status: 503 });
    if (opts.fail === 'refused' || spent.has(refreshToken)) return new Response(JSON.stringify({ message: 'refresh token already used' }), { status: 401 });
    spent.add(refreshToken);
    n += 1;
    return new Response(JSON.stringify({ accessToken: `access-${n}`, refreshToken: `refresh-${n}`, expiresIn: 20, user: { ...user, name: 'Ops Renamed' } }), {
      status: 200,
    });
  }) as typeof fetch;
  return { fetch: fetchFn, calls };
}

function harness(api: ReturnType<typeof fakeApi>, initial: Session | null, nowMs = 1_000_000) {
  let stored: Session | null = initial;
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  const deps: RefreshDeps = {
    fetch: api.fetch,
    now: () => nowMs,
    store: {
      read: () => stored,
      write: (token, u, extra) => void (stored = { token, user: u, ...extra }),
      clear: () => void (stored = null),
    },
    lock: (fn) => fn(),
    setTimer: (fn, ms) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t) => void ((t as { cleared: boolean }).cleared = true),
  };
  return { refresher: createRefresher(deps), stored: () => stored, timers, setStored: (s: Session | null) => void (stored = s) };
}

const session = (over: Partial<Session> = {}): Session => ({
  token: 'access-0',
  user,
  refreshToken: 'refresh-0',
  expiresIn: 20,
  receivedAt: 1_000_000,
  actions: ['courses.read'],
  localeApplied: true,
  ...over,
});

describe('refresh (single flight)', () => {
  it('makes one refresh for many concurrent 401s and gives each the new token', async () => {
    const api = fakeApi({ delayMs: 20 });
    const h = harness(api, session());
    const tokens = await Promise.all([
      h.refresher.refresh('access-0'),
      h.refresher.refresh('access-0'),
      h.refresher.refresh('access-0'),
      h.refresher.refresh(),
    ]);
    expect(api.calls).toEqual(['refresh-0']);
    expect(tokens).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    // Stored with the rotated refresh token; the fields others keep in the session survive.
    expect(h.stored()).toMatchObject({
      token: 'access-1',
      refreshToken: 'refresh-1',
      expiresIn: 20,
      actions: ['courses.read'],
      localeApplied: true,
      user: { name: 'Ops Renamed', language: 'ru', organizationLanguage: 'en' },
    });
  });

  it('does not spend the refresh token again for a 401 of a token already replaced (another tab, an earlier refresh)', async () => {
    const api = fakeApi();
    const h = harness(api, session());
    expect(await h.refresher.refresh('access-0')).toBe('access-1');
    // A request sent with the old token answers 401 after the refresh finished.
    expect(await h.refresher.refresh('access-0')).toBe('access-1');
    expect(api.calls).toEqual(['refresh-0']);
    // The next one really is due again: the rotated token is used.
    expect(await h.refresher.refresh('access-1')).toBe('access-2');
    expect(api.calls).toEqual(['refresh-0', 'refresh-1']);
  });

  it('signs out when the API refuses the refresh, and tells the listeners', async () => {
    const api = fakeApi({ fail: 'refused' });
    const h = harness(api, session());
    const heard: (string | null)[] = [];
    h.refresher.subscribe((t) => heard.push(t));
    expect(await Promise.all([h.refresher.refresh('access-0'), h.refresher.refresh('access-0')])).toEqual([null, null]);
    expect(api.calls).toHaveLength(1);
    expect(h.stored()).toBeNull();
    expect(heard).toEqual([null]);
  });

  it('keeps the session when the API could not be asked', async () => {
    for (const fail of ['network', 'server'] as const) {
      const h = harness(fakeApi({ fail }), session());
      await expect(h.refresher.refresh('access-0')).rejects.toThrow(/refresh/);
      expect(h.stored()?.token).toBe('access-0');
    }
  });

  it('tells listeners (the live socket) each new token', async () => {
    const h = harness(fakeApi(), session());
    const heard: (string | null)[] = [];
    h.refresher.subscribe((t) => heard.push(t));
    await h.refresher.refresh('access-0');
    await h.refresher.refresh('access-1');
    expect(heard).toEqual(['access-1', 'access-2']);
  });
});

describe('refresh schedule', () => {
  it("renews at 80 % of the access token's lifetime, keeping at least 10 s for the renewal", () => {
    expect(refreshDelay({ expiresIn: 900, receivedAt: 0 }, 0)).toBe(720_000);
    // a short lifetime keeps 10 s for the renewal (not before half of it)
    expect(refreshDelay({ expiresIn: 20, receivedAt: 1000 }, 6_000)).toBe(5000);
    expect(refreshDelay({ expiresIn: 30, receivedAt: 0 }, 0)).toBe(20_000);
    expect(refreshDelay({ expiresIn: 12, receivedAt: 0 }, 0)).toBe(6000);
    expect(refreshDelay({ expiresIn: 20, receivedAt: 0 }, 60_000)).toBe(0);
    expect(refreshDelay({}, 0)).toBeNull();
  });

  it('arms one timer per token and re-arms it for the renewed token', async () => {
    const api = fakeApi();
    const h = harness(api, session());
    h.refresher.schedule();
    h.refresher.schedule();
    expect(h.timers.filter((t) => !t.cleared).map((t) => t.ms)).toEqual([10_000]);
    h.timers[0].fn();
    await new Promise((r) => setTimeout(r, 30));
    expect(api.calls).toEqual(['refresh-0']);
    expect(h.stored()?.token).toBe('access-1');
    const live = h.timers.filter((t) => !t.cleared);
    expect(live).toHaveLength(2);
    expect(live[1].ms).toBe(10_000);
  });

  it('renews a token past its refresh point before it is sent', async () => {
    const api = fakeApi();
    const h = harness(api, session({ receivedAt: 1_000_000 - 17_000 }));
    expect(await h.refresher.currentToken()).toBe('access-1');
    expect(await h.refresher.currentToken()).toBe('access-1');
    expect(api.calls).toEqual(['refresh-0']);
  });

  it('does not schedule without a refresh token', () => {
    const h = harness(fakeApi(), session({ refreshToken: undefined }));
    h.refresher.schedule();
    expect(h.timers).toHaveLength(0);
  });
});
