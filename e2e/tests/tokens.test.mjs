// Access tokens: HS256 pinned, exp, iss and aud checked, and the user's token version,
// role and status checked on every request — each forgery or stale token is a 401.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import jwt from 'jsonwebtoken';
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
  const base = () => ({ sub: claims.sub, org: claims.org, role: claims.role, tv: claims.tv, iss: 'mission-control', aud: 'mission-control-api', exp: Math.floor(Date.now() / 1000) + 600 });

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
});
