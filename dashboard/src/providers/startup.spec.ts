import { describe, expect, it } from 'vitest';
import type { Session } from './session';
import { settleSession, type StartupDeps } from './startup';

const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '')}.s`;
const user = { id: 'u', email: 'e', name: 'n', role: 'ops', organizationId: 'o', organizationName: 'O', language: null, organizationLanguage: 'en' } as const;
const NOW = 2_000_000_000_000;

function deps(session: Session | null, over: Partial<StartupDeps> = {}) {
  let stored = session;
  const replaced: { state: unknown; url: string }[] = [];
  const d: StartupDeps = {
    read: () => stored,
    clear: () => {
      stored = null;
    },
    now: () => NOW,
    refresh: async () => null,
    hash: '',
    replace: (state, url) => replaced.push({ state, url }),
    ...over,
  };
  return { d, replaced, stored: () => stored };
}

describe('settleSession', () => {
  it('sends someone without a session to the sign-in page, keeping where they were going', async () => {
    const { d, replaced } = deps(null, { hash: '#/courses?filter=%7B%7D' });
    expect(await settleSession(d)).toBe('sign-in');
    expect(replaced).toEqual([{ state: { usr: { nextPathname: '/courses', nextSearch: '?filter=%7B%7D' }, key: 'default', idx: 0 }, url: '#/login' }]);
  });

  it('goes home after signing in when the visit was to the home page', async () => {
    const { d, replaced } = deps(null, { hash: '' });
    await settleSession(d);
    expect(replaced[0].state).toEqual({ usr: {}, key: 'default', idx: 0 });
  });

  it('leaves the sign-in page where it is', async () => {
    const { d, replaced } = deps(null, { hash: '#/login' });
    expect(await settleSession(d)).toBe('sign-in');
    expect(replaced).toEqual([]);
  });

  it('keeps a live session without touching the location', async () => {
    const { d, replaced } = deps({ token: jwt({ sub: 'u', exp: NOW / 1000 + 600 }), user }, { hash: '#/courses' });
    expect(await settleSession(d)).toBe('signed-in');
    expect(replaced).toEqual([]);
  });

  it('renews an expired access token before the first render', async () => {
    const expired = jwt({ sub: 'u', exp: NOW / 1000 - 5 });
    const seen: string[] = [];
    const { d, replaced, stored } = deps(
      { token: expired, user, refreshToken: 'r' },
      {
        hash: '#/approvals',
        refresh: async (t) => {
          seen.push(t);
          return 'renewed';
        },
      },
    );
    expect(await settleSession(d)).toBe('signed-in');
    expect(seen).toEqual([expired]);
    expect(stored()).not.toBeNull();
    expect(replaced).toEqual([]);
  });

  it('drops an expired session that cannot be renewed (no refresh token, or the refresh fails) and signs in again', async () => {
    for (const over of [{ refreshToken: undefined }, { refreshToken: 'r' }]) {
      const { d, replaced, stored } = deps(
        { token: jwt({ sub: 'u', exp: NOW / 1000 - 5 }), user, ...over },
        { hash: '#/costs', refresh: async () => Promise.reject(new Error('reused')) },
      );
      expect(await settleSession(d)).toBe('sign-in');
      expect(stored()).toBeNull();
      expect(replaced[0]).toMatchObject({ url: '#/login', state: { usr: { nextPathname: '/costs' } } });
    }
  });
});
