// User management and the audit log: admins invite, change roles and disable users; a
// change of role or a disabled account ends that user's tokens; an organization keeps an
// admin; every change anyone makes is in the audit log, which only admins read.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { Client, startStack, waitFor } from '../harness.mjs';

describe('users and audit', () => {
  let stack;
  let admin;
  before(async () => {
    stack = await startStack({ workers: 0 });
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  const patch = (c, path, body) => c.request('PATCH', path, body);

  it('invites a user who sets a password and signs in; a role change and disabling end their tokens', async () => {
    const invited = await admin.post('/users', { email: 'New.Analyst@Acme.test', name: 'New Analyst', role: 'finance' });
    assert.equal(invited.status, 201);
    assert.equal(invited.body.email, 'new.analyst@acme.test');
    assert.equal(invited.body.invited, true);
    assert.ok(invited.body.inviteToken.length >= 30);
    // Not before the invitation is accepted.
    assert.equal((await new Client(stack.baseUrl).post('/auth/login', { email: 'new.analyst@acme.test', password: 'whatever-password' })).status, 401);
    const weak = await new Client(stack.baseUrl).post('/auth/accept-invite', { token: invited.body.inviteToken, password: 'short' });
    assert.equal(weak.status, 400);
    assert.match(weak.body.message, /^password/);
    const accepted = await new Client(stack.baseUrl).post('/auth/accept-invite', { token: invited.body.inviteToken, password: 'a long enough password' });
    assert.equal(accepted.status, 200);
    assert.equal(accepted.body.user.role, 'finance');
    assert.equal(
      (await new Client(stack.baseUrl).post('/auth/accept-invite', { token: invited.body.inviteToken, password: 'a long enough password' })).status,
      401,
    );
    const analyst = await Client.login(stack.baseUrl, 'new.analyst@acme.test', 'a long enough password');
    assert.equal((await analyst.get('/reports/costs?from=2026-01-01&to=2026-12-31&groupBy=day')).status, 200);
    assert.equal((await analyst.get('/users')).status, 403);

    const socket = io(`${stack.baseUrl}/live`, { auth: { token: analyst.token }, transports: ['websocket'], reconnection: false });
    await new Promise((resolve, reject) => {
      socket.once('connect', resolve);
      socket.once('connect_error', reject);
    });

    const changed = await patch(admin, `/users/${analyst.user.id}`, { role: 'reviewer' });
    assert.equal(changed.status, 200);
    assert.deepEqual([changed.body.role, changed.body.previous.role], ['reviewer', 'finance']);
    assert.equal((await analyst.get('/courses')).status, 401);
    const again = await Client.login(stack.baseUrl, 'new.analyst@acme.test', 'a long enough password');
    assert.equal((await again.get('/reports/costs?from=2026-01-01&to=2026-12-31&groupBy=day')).status, 403);
    // The socket of the old token is ended at the next check.
    await waitFor(() => socket.disconnected, { what: 'the socket of a changed role to end', timeoutMs: 40_000, intervalMs: 200 });

    const disabled = await patch(admin, `/users/${analyst.user.id}`, { disabled: true });
    assert.equal(disabled.body.disabled, true);
    assert.equal((await again.get('/courses')).status, 401);
    assert.equal((await new Client(stack.baseUrl).post('/auth/login', { email: 'new.analyst@acme.test', password: 'a long enough password' })).status, 401);
    assert.equal((await patch(admin, `/users/${analyst.user.id}`, { disabled: false })).body.disabled, false);
    assert.equal((await Client.login(stack.baseUrl, 'new.analyst@acme.test', 'a long enough password')).user.role, 'reviewer');
  });

  it('refuses duplicates, bad roles, unknown fields and lockouts, naming the problem', async () => {
    const dup = await admin.post('/users', { email: 'ops@globex.test', name: 'Taken elsewhere', role: 'ops' });
    assert.equal(dup.status, 409);
    assert.match(dup.body.message, /^email/);
    const role = await admin.post('/users', { email: 'x@acme.test', name: 'X', role: 'root' });
    assert.equal(role.status, 400);
    assert.match(role.body.message, /^role/);
    const extra = await patch(admin, `/users/${admin.user.id}`, { name: 'A', organizationId: admin.user.organizationId });
    assert.equal(extra.status, 400);
    assert.match(extra.body.message, /organizationId/);
    const self = await patch(admin, `/users/${admin.user.id}`, { role: 'ops' });
    assert.equal(self.status, 409);
    assert.match(self.body.message, /own admin role/);
    // Another admin may not remove the last admin either.
    const second = await admin.post('/users', { email: 'second.admin@acme.test', name: 'Second', role: 'admin' });
    const secondSession = await new Client(stack.baseUrl).post('/auth/accept-invite', { token: second.body.inviteToken, password: 'second admin password' });
    const other = new Client(stack.baseUrl, secondSession.body.accessToken);
    assert.equal((await patch(other, `/users/${admin.user.id}`, { role: 'ops' })).status, 200);
    const last = await patch(admin, `/users/${second.body.id}`, { disabled: true });
    assert.equal(last.status, 401); // the first admin's token ended with the role change
    const lastByItself = await patch(other, `/users/${second.body.id}`, { disabled: true });
    assert.equal(lastByItself.status, 409);
    assert.equal((await patch(other, `/users/${admin.user.id}`, { role: 'admin' })).status, 200);
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
  });

  it('keeps an append-only audit log of every change, readable by admins of the organization only', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'Audited course' })).body;
    await ops.request('PUT', `/courses/${course.id}`, { title: 'Audited course, renamed' });
    const log = await admin.get('/audit?sort=["id","DESC"]&range=[0,99]');
    assert.equal(log.status, 200);
    const actions = log.body.map((e) => e.action);
    for (const a of ['auth.login', 'users.invite', 'users.update', 'auth.accept_invite', 'courses.create', 'courses.update'])
      assert.ok(actions.includes(a), `${a} missing from ${actions.join(', ')}`);
    const roleChange = log.body.find((e) => e.action === 'users.update' && e.details.body?.role === 'reviewer');
    assert.ok(roleChange);
    assert.equal(roleChange.actorEmail, 'admin@acme.test');
    // A created thing is the subject of its audit row.
    assert.ok(log.body.some((e) => e.action === 'courses.create' && e.subjectId === course.id && e.actorEmail === 'ops@acme.test'));
    const rename = log.body.find((e) => e.action === 'courses.update');
    assert.deepEqual([rename.subjectId, rename.actorEmail, rename.details.body.title], [course.id, 'ops@acme.test', 'Audited course, renamed']);
    // Passwords never reach the log.
    assert.ok(!JSON.stringify(log.body).includes('a long enough password'));
    // Other roles and other organizations see none of it.
    assert.equal((await ops.get('/audit')).status, 403);
    const globexAdmin = await Client.login(stack.baseUrl, 'ops@globex.test');
    assert.equal((await globexAdmin.get(`/audit/${log.body[0].id}`)).status, 403);
    const db = await stack.sql();
    await assert.rejects(db.query(`UPDATE audit_log SET action = 'nothing' WHERE id = $1`, [log.body[0].id]), /append-only/);
    await assert.rejects(db.query(`DELETE FROM audit_log`), /append-only/);
    const filtered = await admin.get(`/audit?filter=${encodeURIComponent(JSON.stringify({ action: 'courses.update' }))}`);
    assert.ok(filtered.body.length >= 1 && filtered.body.every((e) => e.action === 'courses.update'));
  });
});

describe('the polled status route', () => {
  let stack;
  before(async () => {
    stack = await startStack({ workers: 0 });
  });
  after(async () => {
    await stack?.stop();
  });

  it('answers from its cache only what the route itself would: same body and headers, refusals, changes at once', async () => {
    const admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const course = (await ops.post('/courses', { title: 'Polled course', approvalGates: [] })).body;
    const path = `/courses/${course.id}/status`;
    const first = await ops.get(path); // read from the database, then cached
    const again = await ops.get(path); // answered from the cache
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal(again.body.courseId, course.id);
    for (const h of ['content-type', 'content-security-policy', 'x-content-type-options', 'cache-control'])
      assert.equal(again.headers.get(h), first.headers.get(h), h);
    assert.match(again.headers.get('content-type'), /^application\/json/);
    // Another language is another answer.
    const ru = await new Client(stack.baseUrl, ops.token, 'ru').get(path);
    assert.equal(ru.status, 200);
    assert.notEqual(ru.body.message, again.body.message);
    // While the course is cached: another organization, no token, a bad token are refused as by the route.
    const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
    const foreign = await globex.get(path);
    assert.equal(foreign.status, 404);
    assert.match(foreign.body.message, /not found/);
    assert.equal((await new Client(stack.baseUrl).get(path)).status, 401);
    assert.equal((await new Client(stack.baseUrl, `${ops.token.slice(0, -2)}xx`).get(path)).status, 401);
    // A user disabled a moment ago is refused at once.
    const invited = await admin.post('/users', { email: 'poller@acme.test', name: 'Poller', role: 'finance' });
    await new Client(stack.baseUrl).post('/auth/accept-invite', { token: invited.body.inviteToken, password: 'a long enough password' });
    const poller = await Client.login(stack.baseUrl, 'poller@acme.test', 'a long enough password');
    assert.equal((await poller.get(path)).status, 200);
    assert.equal((await admin.request('PATCH', `/users/${poller.user.id}`, { disabled: true })).status, 200);
    assert.equal((await poller.get(path)).status, 401);
    // A change shows at once, not when a cached answer runs out.
    assert.equal((await ops.post(`/courses/${course.id}/generation`)).status, 202);
    assert.equal((await ops.get(path)).body.status, 'queued');
    assert.equal((await ops.post(`/courses/${course.id}/cancel`, {})).status, 200);
    assert.equal((await ops.get(path)).body.status, 'cancelled');
  });
});

describe('socket sessions', () => {
  let stack;
  before(async () => {
    stack = await startStack({ workers: 0, env: { JWT_TTL_SECONDS: '4' } });
  });
  after(async () => {
    await stack?.stop();
  });

  it('ends a socket when its token expires, unless the client renewed it', async () => {
    const open = (token) =>
      new Promise((resolve, reject) => {
        const s = io(`${stack.baseUrl}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
        s.expired = [];
        s.on('session.expired', (e) => s.expired.push(e));
        s.once('connect', () => resolve(s));
        s.once('connect_error', reject);
      });
    const first = await Client.login(stack.baseUrl, 'ops@acme.test');
    const plain = await open(first.token);
    const renewed = await open(first.token);
    await new Promise((r) => setTimeout(r, 2000));
    const fresh = await Client.login(stack.baseUrl, 'ops@acme.test');
    const other = await Client.login(stack.baseUrl, 'reviewer@acme.test');
    assert.deepEqual(await renewed.emitWithAck('auth.renew', { token: other.token }), { ok: false, error: 'token: not a valid token of this user' });
    const ack = await renewed.emitWithAck('auth.renew', { token: fresh.token });
    assert.equal(ack.ok, true);
    await waitFor(() => plain.disconnected, { what: 'the expired socket to end', timeoutMs: 10_000, intervalMs: 100 });
    assert.equal(plain.expired[0]?.reason, 'token expired');
    assert.equal(renewed.connected, true);
    await waitFor(() => renewed.disconnected, { what: 'the renewed socket to end at its new expiry', timeoutMs: 10_000, intervalMs: 100 });
  });
});
