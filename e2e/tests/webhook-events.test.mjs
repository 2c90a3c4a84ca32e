// Webhooks as a receiver's own library sees them: every delivery verified by the official
// `standardwebhooks` package; events named as documented (approval.requested,
// course.completed…) with a summary of the course; and the signing secret rotated by an
// admin with an overlap during which both secrets sign, and only the new one after.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { Webhook } from 'standardwebhooks';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';

describe('webhook events and secret rotation', () => {
  let stack;
  let receiver;
  let port;
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
        received.push({ headers: req.headers, body });
        res.statusCode = 204;
        res.end();
      });
    });
    await new Promise((r) => receiver.listen(port, '127.0.0.1', r));
    stack = await startStack({
      env: { WEBHOOK_ALLOW_PRIVATE_HOSTS: '127.0.0.1', WEBHOOK_BACKOFF_MS: '200', PUBLIC_URL: 'https://mission-control.example.com/' },
    });
    admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
  });
  after(async () => {
    receiver?.close();
    await stack?.stop();
  });

  const delivery = (type, courseId) =>
    waitFor(
      () =>
        received.find((r) => {
          const p = JSON.parse(r.body);
          return p.type === type && p.data.courseId === courseId;
        }),
      { what: `a ${type} delivery`, timeoutMs: 90_000 },
    );
  const headersOf = (r) => ({
    'webhook-id': r.headers['webhook-id'],
    'webhook-timestamp': r.headers['webhook-timestamp'],
    'webhook-signature': r.headers['webhook-signature'],
  });
  const verifies = (secret, r) => {
    try {
      new Webhook(secret).verify(r.body, headersOf(r));
      return true;
    } catch {
      return false;
    }
  };

  it('names the events as documented, with the course summarized, verified by the standardwebhooks package', async () => {
    const { webhookSecret } = (await admin.get('/organization/webhook-secret')).body;
    const c = (await ops.post('/courses', { title: 'Hooked at a gate', approvalGates: [4], webhookUrl: `http://127.0.0.1:${port}/hooks` })).body;
    await ops.post(`/courses/${c.id}/generation`);
    const requested = await delivery('approval.requested', c.id);
    assert.ok(verifies(webhookSecret, requested), 'standardwebhooks verifies the delivery');
    assert.doesNotMatch(requested.body, /notifyWebhook|requestApproval|"effect"/);
    const payload = new Webhook(webhookSecret).verify(requested.body, headersOf(requested));
    assert.equal(payload.type, 'approval.requested');
    assert.equal(payload.data.stage, 4);
    assert.equal(payload.data.message, 'Awaiting approval');
    const s = payload.data.course;
    assert.equal(s.id, c.id);
    assert.equal(s.title, 'Hooked at a gate');
    assert.equal(s.generationStatus, 'stage_4_awaiting_approval');
    assert.ok(s.costUsd > 0, 'the cost so far');
    assert.ok(Number.isInteger(s.durationMs) && s.durationMs >= 0, 'the duration so far');
    assert.equal(s.url, `https://mission-control.example.com/#/courses/${c.id}/show`);
    const listed = (await ops.get(`/organization/webhook-deliveries?filter=${encodeURIComponent(JSON.stringify({ courseId: c.id }))}`)).body;
    assert.deepEqual(
      listed.map((d) => d.event),
      ['approval.requested'],
    );
  });

  it('rotates the secret for admins only, with both secrets signing during the overlap and only the new one after', async () => {
    assert.equal((await ops.post('/organization/webhook-secret/rotate', { overlapMinutes: 60 })).status, 403);
    const bad = await admin.post('/organization/webhook-secret/rotate', { overlapMinutes: -5 });
    assert.equal(bad.status, 400);
    assert.match(bad.body.message, /^overlapMinutes/);
    assert.equal((await admin.post('/organization/webhook-secret/rotate', { overlapMinutes: 60, secret: 'mine' })).status, 400);

    const old = (await admin.get('/organization/webhook-secret')).body.webhookSecret;
    const rotated = await admin.post('/organization/webhook-secret/rotate', { overlapMinutes: 60 });
    assert.equal(rotated.status, 200);
    const fresh = rotated.body.webhookSecret;
    assert.match(fresh, /^whsec_[A-Za-z0-9+/=]{40,}$/);
    assert.notEqual(fresh, old);
    const until = Date.parse(rotated.body.previousSecretUntil);
    assert.ok(Math.abs(until - (Date.now() + 60 * 60_000)) < 60_000, 'the overlap ends in an hour');
    assert.equal((await admin.get('/organization/webhook-secret')).body.webhookSecret, fresh);

    // During the overlap: two signatures, each secret verifies on its own.
    const during = (await ops.post('/courses', { title: 'During the overlap', approvalGates: [], webhookUrl: `http://127.0.0.1:${port}/hooks` })).body;
    await ops.post(`/courses/${during.id}/generation`);
    const inOverlap = await delivery('course.completed', during.id);
    assert.equal(inOverlap.headers['webhook-signature'].split(' ').length, 2);
    assert.ok(verifies(fresh, inOverlap), 'the new secret verifies during the overlap');
    assert.ok(verifies(old, inOverlap), 'the old secret verifies during the overlap');
    const done = JSON.parse(inOverlap.body);
    assert.equal(done.data.course.status, 'completed');
    assert.equal(done.data.course.percentage, 100);
    assert.ok(done.data.course.durationMs > 0);

    // The hour passes (moved in the database rather than waited for): only the new secret signs.
    const db = await stack.sql();
    await db.query(`UPDATE organizations SET webhook_secret_previous_until = now() - interval '1 second' WHERE webhook_secret = $1`, [fresh]);
    assert.equal((await admin.get('/organization/webhook-secret')).body.previousSecretUntil, null);
    const later = (await ops.post('/courses', { title: 'After the overlap', approvalGates: [], webhookUrl: `http://127.0.0.1:${port}/hooks` })).body;
    await ops.post(`/courses/${later.id}/generation`);
    const afterOverlap = await delivery('course.completed', later.id);
    assert.equal(afterOverlap.headers['webhook-signature'].split(' ').length, 1);
    assert.ok(verifies(fresh, afterOverlap), 'the new secret verifies after the overlap');
    assert.ok(!verifies(old, afterOverlap), 'the old secret no longer verifies');

    // No overlap at all: the replaced secret stops signing at once.
    const immediate = await admin.post('/organization/webhook-secret/rotate', { overlapMinutes: 0 });
    assert.equal(immediate.status, 200);
    assert.equal(immediate.body.previousSecretUntil, null);
  });
});
