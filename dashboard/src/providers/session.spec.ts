import { describe, expect, it } from 'vitest';
import { browserLanguage, isTokenExpired, preferredLanguage, type SessionUser } from './session';

const jwt = (claims: object) => `h.${btoa(JSON.stringify(claims)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_')}.s`;

describe('isTokenExpired', () => {
  it('reads exp from the token', () => {
    expect(isTokenExpired(jwt({ sub: 'u', exp: 1000 }), 999_000)).toBe(false);
    expect(isTokenExpired(jwt({ sub: 'u', exp: 1000 }), 1_000_000)).toBe(true);
  });

  it('leaves tokens it cannot read to the API', () => {
    expect(isTokenExpired('opaque', Date.now())).toBe(false);
    expect(isTokenExpired('a.!!!.b', Date.now())).toBe(false);
    expect(isTokenExpired(jwt({ sub: 'u' }), Date.now())).toBe(false);
  });
});

describe('preferredLanguage', () => {
  const user = (language: 'en' | 'ru' | null, organizationLanguage: 'en' | 'ru'): SessionUser => ({
    id: 'u',
    email: 'e',
    name: 'n',
    role: 'ops',
    organizationId: 'o',
    organizationName: 'O',
    language,
    organizationLanguage,
  });

  it("takes the user's language, else the organization's, else the browser's", () => {
    expect(preferredLanguage(user('en', 'ru'), ['ru-RU'])).toBe('en');
    expect(preferredLanguage(user(null, 'ru'), ['en-US', 'en'])).toBe('ru');
    expect(preferredLanguage(undefined, ['de-DE', 'ru'])).toBe('ru');
    expect(preferredLanguage(undefined, ['de-DE'])).toBe('en');
  });

  it("reads the browser's languages in order", () => {
    expect(browserLanguage(['fr', 'en-GB', 'ru'])).toBe('en');
    expect(browserLanguage([])).toBeNull();
  });
});
