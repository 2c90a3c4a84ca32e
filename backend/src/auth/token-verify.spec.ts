// AuthService.verify: a correctly signed token must carry exp and iat and be younger
// than the access-token lifetime; a token that fails never enters the verified cache.
import { JwtService } from '@nestjs/jwt';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../config/app-config';
import { AuthService } from './auth.service';

const config = loadConfig({ NODE_ENV: 'test' });
const jwt = new JwtService({ secret: config.jwt.secret });
const user = { id: randomUUID(), email: 'ops@acme.test', name: 'Ops', role: 'ops', organization_id: randomUUID(), token_version: 3, disabled_at: null };
const signIn = { userAccess: async () => user } as never;
const service = () => new AuthService(signIn, {} as never, jwt, config, {} as never, {} as never);
const claims = { sub: user.id, org: user.organization_id, role: 'ops', tv: 3 };
const opts = { algorithm: 'HS256' as const, issuer: config.jwt.issuer, audience: config.jwt.audience };
const cacheSize = (s: AuthService) => (s as unknown as { verified: Map<string, unknown> }).verified.size;
const now = () => Math.floor(Date.now() / 1000);

describe('access token verification', () => {
  it('accepts an issued token and remembers it until it expires', async () => {
    const s = service();
    const token = jwt.sign(claims, { ...opts, expiresIn: config.jwt.ttlSeconds });
    const user1 = await s.verify(token);
    expect(user1).toMatchObject({ id: user.id, role: 'ops' });
    expect(user1!.expiresAt).toBe(jwt.decode(token).exp * 1000);
    expect(cacheSize(s)).toBe(1);
  });

  it('refuses a correctly signed token without exp and never caches it', async () => {
    const s = service();
    const token = jwt.sign(claims, opts);
    expect(jwt.decode(token).exp).toBeUndefined();
    expect(await s.verify(token)).toBeNull();
    expect(await s.verify(token)).toBeNull();
    expect(cacheSize(s)).toBe(0);
  });

  it('refuses a token without iat', async () => {
    const s = service();
    expect(await s.verify(jwt.sign(claims, { ...opts, expiresIn: 600, noTimestamp: true }))).toBeNull();
    expect(cacheSize(s)).toBe(0);
  });

  it('refuses a token older than the access-token lifetime (maxAge), whatever its exp', async () => {
    const s = service();
    const old = jwt.sign({ ...claims, iat: now() - config.jwt.ttlSeconds - 5, exp: now() + 3600 }, opts);
    expect(await s.verify(old)).toBeNull();
    expect(cacheSize(s)).toBe(0);
  });

  it('a token with a far exp is only valid, and remembered, until iat + lifetime', async () => {
    const s = service();
    const iat = now();
    const far = jwt.sign({ ...claims, iat, exp: iat + 365 * 24 * 3600 }, opts);
    const u = await s.verify(far);
    expect(u!.expiresAt).toBe((iat + config.jwt.ttlSeconds) * 1000);
    const realNow = Date.now;
    try {
      Date.now = () => (iat + config.jwt.ttlSeconds + 1) * 1000;
      expect(await s.verify(far)).toBeNull();
      expect(cacheSize(s)).toBe(0);
    } finally {
      Date.now = realNow;
    }
  });
});
