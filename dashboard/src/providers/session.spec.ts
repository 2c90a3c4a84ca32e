import { describe, expect, it } from 'vitest';
import { isTokenExpired } from './session';

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
