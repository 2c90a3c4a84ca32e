// Access tokens: HS256 pinned, exp, iss and aud checked, and the user's token version,
// role and status checked on every request — each forgery or stale token is a 401.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
import { io } from 'socket.io-client';
import { Client, startStack } from '../harness.mjs';

const SECRET = 'mission-control-development-secret';
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');

describe('access tokens', () => {
  let stack;
  let db;
  let good;
  let claims;
  before(async () => {
    stack = await startStack({ workers: 0 });
    db = await stack.sql();
    good = await Client.login(stack.baseUrl, 'ops@acme.test');
    claims = jwt.decode(good.token);
  });
  after(async () => {
    await stack?.stop();
  });

  const status = async (token) => (await new Client(stack.baseUrl, token).get('/courses')).status;
  const sign = (payload, opts = {}) => jwt.sign(payload, SECRET, { algorithm: 'HS256', ...opts });
  const base = () => ({
    sub: claims.sub,
    org: claims.org,
    role: claims.role,
    tv: claims.tv,
    iss: 'mission-control',
    aud: 'mission-control-api',
    exp: Math.floor(Date.now() / 1000) + 600,
  });

  it('accepts the issued token and one forged only with the real secret and claims', async () => {
    assert.equal(claims.iss, 'mission-control');
    assert.equal(claims.aud, 'mission-control-api');
    assert.ok(claims.exp - claims.iat <= 15 * 60);
    assert.equal(await status(good.token), 200);
    assert.equal(await status(sign(base())), 200);
  });

  it('refuses alg none, another algorithm, a bad signature, expiry and foreign iss or aud', async () => {
    const forged = [
      `${b64({ alg: 'none', typ: 'JWT' })}.${b64(base())}.`,
      jwt.sign(base(), SECRET, { algorithm: 'HS512' }),
      `${good.token.slice(0, good.token.lastIndexOf('.'))}.${'A'.repeat(43)}`,
      jwt.sign(base(), 'another-secret-of-enough-length'),
      sign({ ...base(), exp: Math.floor(Date.now() / 1000) - 10 }),
      sign({ ...base(), aud: 'someone-else' }),
      sign({ ...base(), iss: 'someone-else' }),
      sign({ ...base(), role: 'admin' }),
    ];
    for (const token of forged) assert.equal(await status(token), 401, token);
  });

  const handshake = (token) =>
    new Promise((resolve) => {
      const socket = io(`${stack.baseUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
      socket.once('connect', () => {
        socket.close();
        resolve('connected');
      });
      socket.once('connect_error', (err) => {
        socket.close();
        resolve(err.message);
      });
    });

  it('refuses a correctly signed token without exp, without iat, or older than the access-token lifetime — REST and the live handshake', async () => {
    const now = Math.floor(Date.now() / 1000);
    const { exp: _exp, ...noExpClaims } = base();
    const noExp = sign(noExpClaims);
    assert.equal(jwt.decode(noExp).exp, undefined);
    // Twice: the second answer must not come from the verified-token cache either.
    assert.equal(await status(noExp), 401);
    assert.equal(await status(noExp), 401);
    assert.equal(await handshake(noExp), 'invalid or expired token');
    const noIat = sign(base(), { noTimestamp: true });
    assert.equal(await status(noIat), 401);
    // Signed 16 min ago with a far exp: older than the 15-min lifetime (maxAge).
    const tooOld = sign({ ...base(), iat: now - 16 * 60, exp: now + 3600 });
    assert.equal(await status(tooOld), 401);
    assert.equal(await handshake(tooOld), 'invalid or expired token');
    // The issued token still works on both.
    assert.equal(await status(good.token), 200);
    assert.equal(await handshake(good.token), 'connected');
  });

  it('ends old tokens when the token version moves, the role changes or the user is disabled', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@globex.test');
    assert.equal(await status(ops.token), 200);
    await db.query(`UPDATE users SET token_version = token_version + 1 WHERE email = 'ops@globex.test'`);
    await new Promise((r) => setTimeout(r, 2100)); // the user cache lives 2 s
    assert.equal(await status(ops.token), 401);
    const fresh = await Client.login(stack.baseUrl, 'ops@globex.test');
    assert.equal(await status(fresh.token), 200);
    await db.query(`UPDATE users SET role = 'reviewer' WHERE email = 'ops@globex.test'`);
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal(await status(fresh.token), 401);
    await db.query(`UPDATE users SET role = 'ops', disabled_at = now() WHERE email = 'ops@globex.test'`);
    await new Promise((r) => setTimeout(r, 2100));
    assert.equal(await status(fresh.token), 401);
    const login = await new Client(stack.baseUrl).post('/auth/login', { email: 'ops@globex.test', password: 'mission-control' });
    assert.equal(login.status, 401);
    assert.equal(login.body.message, 'invalid email or password');
  });

  it('gives the same answer for an unknown user and a wrong password', async () => {
    const a = await new Client(stack.baseUrl).post('/auth/login', { email: 'nobody@acme.test', password: 'x' });
    const b = await new Client(stack.baseUrl).post('/auth/login', { email: 'ops@acme.test', password: 'wrong' });
    assert.deepEqual([a.status, a.body.message], [401, 'invalid email or password']);
    assert.deepEqual([b.status, b.body.message], [401, 'invalid email or password']);
    const bad = await new Client(stack.baseUrl).post('/auth/login', { email: 'not-an-email', password: 'x' });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^email/);
  });

  const login = (email, password = 'mission-control') => new Client(stack.baseUrl).post('/auth/login', { email, password });
  const refresh = (refreshToken) => new Client(stack.baseUrl).post('/auth/refresh', { refreshToken });

  it('rotates refresh tokens, and a refresh token used twice ends the whole sign-in', async () => {
    const first = await login('reviewer@acme.test');
    assert.equal(first.status, 200);
    assert.ok(first.body.refreshToken.length >= 40);
    const second = await refresh(first.body.refreshToken);
    assert.equal(second.status, 200);
    assert.notEqual(second.body.refreshToken, first.body.refreshToken);
    assert.equal(await status(second.body.accessToken), 200);
    // The first token again: someone else holds a copy. Both it and its successor die.
    const replay = await refresh(first.body.refreshToken);
    assert.equal(replay.status, 401);
    assert.match(replay.body.message, /already used/);
    assert.equal((await refresh(second.body.refreshToken)).status, 401);
    // Another sign-in of the same user is a different family and lives on.
    const other = await login('reviewer@acme.test');
    const rotated = await refresh(other.body.refreshToken);
    assert.equal(rotated.status, 200);
    // Logging out ends that family.
    assert.equal((await new Client(stack.baseUrl).post('/auth/logout', { refreshToken: rotated.body.refreshToken })).status, 204);
    assert.equal((await refresh(rotated.body.refreshToken)).status, 401);
    for (const bad of [{}, { refreshToken: 'short' }, { refreshToken: 'x'.repeat(40), extra: 1 }]) {
      const res = await new Client(stack.baseUrl).post('/auth/refresh', bad);
      assert.equal(res.status, 400, JSON.stringify(bad));
    }
    assert.equal((await refresh('y'.repeat(43))).status, 401);
  });

  it('refuses a refresh once the user changed role or was disabled', async () => {
    const s = await login('finance@acme.test');
    await db.query(`UPDATE users SET token_version = token_version + 1 WHERE email = 'finance@acme.test'`);
    const res = await refresh(s.body.refreshToken);
    assert.equal(res.status, 401);
    assert.match(res.body.message, /sign in again/);
  });

  it('locks sign-in for an account after repeated failures, even with the right password', async () => {
    const email = 'admin@globex.test';
    await db.query(
      `INSERT INTO users (organization_id, email, name, role, password_hash)
      VALUES ((SELECT organization_id FROM users WHERE email = 'ops@globex.test'), $1, 'Globex admin', 'admin',
              (SELECT password_hash FROM users WHERE email = 'ops@acme.test'))`,
      [email],
    );
    assert.equal((await login(email)).status, 200);
    for (let i = 0; i < 5; i++) assert.equal((await login(email, `wrong-${i}`)).status, 401);
    const locked = await login(email);
    assert.equal(locked.status, 429);
    assert.match(locked.body.message, /too many failed sign-ins/);
    assert.ok(Number(locked.headers.get('retry-after')) > 0);
    // Other accounts are not affected.
    assert.equal((await login('ops@acme.test')).status, 200);
  });
});
