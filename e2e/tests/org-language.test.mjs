// Seed 003 wants Russian status messages. A Russian organization gets them without
// configuring its clients: a request without Accept-Language is answered in the user's
// own language, else the organization's default; webhook payloads speak the
// organization's default. The dashboard follows the same choice (see the browser test).
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';

/** GET with the bearer token and no Accept-Language at all (or the one given). */
async function get(client, path, acceptLanguage) {
  const headers = { authorization: `Bearer ${client.token}` };
  if (acceptLanguage) headers['accept-language'] = acceptLanguage;
  const res = await fetch(`${client.baseUrl}/api${path}`, { headers });
  return { status: res.status, body: await res.json() };
}

async function send(client, method, path, body) {
  const res = await fetch(`${client.baseUrl}/api${path}`, {
    method,
    headers: { authorization: `Bearer ${client.token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

describe('organization default language', () => {
  let stack;
  let receiver;
  let port;
  let db;
  let admin;
  let ops;
  const received = [];
  before(async () => {
    port = await freePort();
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        received.push(JSON.parse(body));
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    stack = await startStack({ env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1' } });
    db = await stack.sql();
    // The demo data gives Globex no admin: one with the demo password, for PUT /api/organization.
    await db.query(`INSERT INTO users (organization_id, email, name, role, password_hash)
                    SELECT organization_id, 'admin@globex.test', 'Gloria Admin', 'admin', password_hash FROM users WHERE email = 'ops@globex.test'`);
    admin = await Client.login(stack.baseUrl, 'admin@globex.test');
    ops = await Client.login(stack.baseUrl, 'ops@globex.test');
  });
  after(async () => {
    receiver?.close();
    await stack?.stop();
  });

  it('answers in English before, and in Russian once the admin sets the organization to ru', async () => {
    const c = (await ops.post('/courses', { title: 'Язык по умолчанию', approvalGates: [] })).body;
    assert.equal((await get(ops, `/courses/${c.id}/status`)).body.message, 'Generation not started');
    assert.equal((await get(ops, '/auth/me')).body.organizationLanguage, 'en');

    assert.equal((await send(admin, 'PUT', '/organization', { defaultLanguage: 'de' })).status, 400);
    const put = await send(admin, 'PUT', '/organization', { defaultLanguage: 'ru' });
    assert.equal(put.status, 200, JSON.stringify(put.body));
    assert.equal(put.body.defaultLanguage, 'ru');
    assert.equal((await get(ops, '/organization')).body.defaultLanguage, 'ru');
    // Twice: the first answer fills the status cache, the second comes from the fast path.
    for (let i = 0; i < 2; i++) {
      const res = await get(ops, `/courses/${c.id}/status`);
      assert.equal(res.status, 200);
      assert.equal(res.body.message, 'Генерация не начата', `answer ${i + 1}`);
    }
    assert.equal((await get(ops, `/courses/${c.id}`)).body.message, 'Генерация не начата');
    const me = (await get(ops, '/auth/me')).body;
    assert.equal(me.language, null);
    assert.equal(me.organizationLanguage, 'ru');
  });

  it("lets Accept-Language override the organization, and a user's own language override it too", async () => {
    const c = (await ops.post('/courses', { title: 'Override', approvalGates: [] })).body;
    for (let i = 0; i < 2; i++) assert.equal((await get(ops, `/courses/${c.id}/status`, 'en-US,en;q=0.9')).body.message, 'Generation not started');

    const set = await send(ops, 'PUT', '/auth/me', { language: 'en' });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.language, 'en');
    assert.equal((await send(ops, 'PUT', '/auth/me', { language: 'fr' })).status, 400);
    for (let i = 0; i < 2; i++) assert.equal((await get(ops, `/courses/${c.id}/status`)).body.message, 'Generation not started', `answer ${i + 1}`);
    // The header still wins over the user's choice.
    for (let i = 0; i < 2; i++) assert.equal((await get(ops, `/courses/${c.id}/status`, 'ru')).body.message, 'Генерация не начата');

    // An admin sets a user's language; null hands the choice back to the organization.
    const patched = await send(admin, 'PATCH', `/users/${ops.user.id}`, { language: null });
    assert.equal(patched.status, 200, JSON.stringify(patched.body));
    assert.equal(patched.body.language, null);
    await waitFor(async () => (await get(ops, `/courses/${c.id}/status`)).body.message === 'Генерация не начата', {
      what: 'the organization default again',
      timeoutMs: 5000,
    });
    assert.equal((await send(admin, 'PATCH', `/users/${ops.user.id}`, { language: 'es' })).status, 400);
  });

  it("words the webhook payload in the organization's default language", async () => {
    const c = (await ops.post('/courses', { title: 'Webhook по-русски', approvalGates: [], webhookUrl: `http://127.0.0.1:${port}/hooks` })).body;
    assert.equal((await ops.post(`/courses/${c.id}/generation`)).status < 300, true);
    const payload = await waitFor(() => received.find((p) => p.data?.courseId === c.id), { what: 'the course.completed delivery', timeoutMs: 90_000 });
    assert.equal(payload.type, 'course.completed');
    assert.equal(payload.data.message, 'Генерация завершена');
    const [row] = (await db.query(`SELECT payload FROM webhook_deliveries WHERE course_id = $1`, [c.id])).rows;
    assert.equal(row.payload.data.message, 'Генерация завершена');
  });
});
