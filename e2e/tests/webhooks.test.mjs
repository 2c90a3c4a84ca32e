// Webhooks as a receiver sees them: signed per Standard Webhooks, retried with backoff
// under the same id until the receiver accepts, every attempt recorded; and URLs that
// point inside the network refused.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';

function verify(secret, id, timestamp, body, header) {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
  return header.split(' ').includes(expected);
}

describe('webhooks', () => {
  let stack;
  let receiver;
  let port;
  const received = [];
  before(async () => {
    port = await freePort();
    let calls = 0;
    receiver = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => {
        body += c;
      });
      req.on('end', () => {
        calls++;
        received.push({ headers: req.headers, body, at: Date.now() });
        res.statusCode = calls <= 2 ? 500 : 204;
        res.end();
      });
    });
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    stack = await startStack({ env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200' } });
  });
  after(async () => {
    receiver?.close();
    await stack?.stop();
  });

  it('delivers course.completed signed, retrying a failing receiver under the same id', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    const { webhookSecret } = (await admin.get('/organization/webhook-secret')).body;
    assert.match(webhookSecret, /^whsec_/);
    const c = (await ops.post('/courses', { title: 'Hooked', approvalGates: [], webhookUrl: `http://127.0.0.1:${port}/hooks` })).body;
    assert.equal(c.webhookUrl, `http://127.0.0.1:${port}/hooks`);
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(() => received.length >= 3, { what: 'three delivery attempts', timeoutMs: 60_000 });
    const ids = new Set(received.map((r) => r.headers['webhook-id']));
    assert.equal(ids.size, 1);
    for (const r of received) {
      assert.ok(verify(webhookSecret, r.headers['webhook-id'], r.headers['webhook-timestamp'], r.body, r.headers['webhook-signature']), 'bad signature');
      const payload = JSON.parse(r.body);
      assert.equal(payload.type, 'course.completed');
      assert.equal(payload.data.courseId, c.id);
    }
    assert.ok(received[2].at - received[1].at >= 150, 'retries back off');
    const deliveries = await waitFor(
      async () => {
        const d = (await ops.get(`/organization/webhook-deliveries?filter=${encodeURIComponent(JSON.stringify({ courseId: c.id }))}`)).body;
        return d[0]?.status === 'delivered' && d;
      },
      { what: 'the delivery to be marked delivered' },
    );
    assert.equal(deliveries.length, 1);
    assert.equal(deliveries[0].attempts, 3);
    assert.deepEqual(
      deliveries[0].attemptLog.map((a) => a.statusCode),
      [500, 500, 204],
    );
  });

  it('refuses webhook URLs that point at loopback, private, link-local or metadata addresses', async () => {
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    for (const url of [
      'http://169.254.169.254/latest/meta-data',
      'http://10.0.0.8/hook',
      'http://localhost:8080/',
      'http://[::1]/',
      'http://192.168.1.20/',
      'ftp://example.com/',
    ]) {
      const res = await ops.post('/courses', { title: 'SSRF', webhookUrl: url });
      assert.equal(res.status, 400, url);
      assert.match(res.body.message, /^webhookUrl/);
    }
    const c = (await ops.post('/courses', { title: 'Later SSRF' })).body;
    const res = await ops.request('PUT', `/courses/${c.id}`, { webhookUrl: 'http://172.16.5.4/x' });
    assert.equal(res.status, 400);
    assert.match(res.body.message, /webhookUrl: resolves to a private/);
  });
});
