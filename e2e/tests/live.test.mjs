// Live events over Socket.IO /live: a token in the handshake is required; a client gets
// its own organization's events only; workers publish through Redis, so clients of two
// different API processes see the same course.updated events.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { io } from 'socket.io-client';
import { Client, startStack, waitFor } from '../harness.mjs';

function connect(url, token) {
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { auth: token ? { token } : {}, transports: ['websocket'], reconnection: false });
    const events = [];
    socket.onAny((event, payload) => events.push({ event, payload }));
    socket.events = events;
    socket.once('connect', () => setTimeout(() => (socket.connected ? resolve(socket) : reject(new Error('disconnected after connect'))), 300));
    socket.once('disconnect', () => reject(new Error('disconnected')));
    socket.once('connect_error', reject);
  });
}

describe('live events', () => {
  let stack;
  const sockets = [];
  before(async () => {
    stack = await startStack({ apis: 2 });
  });
  after(async () => {
    for (const s of sockets) s.disconnect();
    await stack?.stop();
  });

  it('refuses a socket without a valid token', async () => {
    await assert.rejects(connect(stack.urls[0], null), /missing token/);
    await assert.rejects(connect(stack.urls[0], 'not-a-token'), /invalid or expired token/);
  });

  it('sends each organization its own course events, from any API process', async () => {
    const ops = await Client.login(stack.urls[0], 'ops@acme.test');
    const reviewer = await Client.login(stack.urls[1], 'reviewer@acme.test');
    const globex = await Client.login(stack.urls[0], 'ops@globex.test');
    const a0 = await connect(stack.urls[0], ops.token);
    const a1 = await connect(stack.urls[1], reviewer.token);
    const g0 = await connect(stack.urls[0], globex.token);
    sockets.push(a0, a1, g0);
    const acme = (await ops.post('/courses', { title: 'Live Acme', approvalGates: [] })).body;
    const other = (await globex.post('/courses', { title: 'Live Globex', approvalGates: [] })).body;
    await ops.post(`/courses/${acme.id}/generation`);
    await globex.post(`/courses/${other.id}/generation`);
    await waitFor(
      async () => (await ops.get(`/courses/${acme.id}`)).body.status === 'completed' && (await globex.get(`/courses/${other.id}`)).body.status === 'completed',
      { what: 'both courses', timeoutMs: 120_000 },
    );
    await waitFor(
      () =>
        a0.events.some((e) => e.event === 'course.updated' && e.payload.status === 'completed' && e.payload.id === acme.id) &&
        a1.events.some((e) => e.event === 'course.updated' && e.payload.status === 'completed' && e.payload.id === acme.id),
      { what: 'the completed event on both API processes' },
    );
    const updates = (s, id) =>
      s.events.filter((e) => e.event === 'course.updated' && e.payload.id === id).map((e) => `${e.payload.generationStatus}:${e.payload.percentage}`);
    assert.deepEqual(updates(a1, acme.id), updates(a0, acme.id));
    assert.ok(updates(a0, acme.id).length >= 10);
    // Not one event of the other organization crossed over.
    assert.ok(a0.events.every((e) => e.payload?.id !== other.id && e.payload?.courseId !== other.id));
    assert.ok(a1.events.every((e) => e.payload?.id !== other.id && e.payload?.courseId !== other.id));
    assert.ok(g0.events.every((e) => e.payload?.id !== acme.id && e.payload?.courseId !== acme.id));
    assert.ok(g0.events.some((e) => e.payload?.id === other.id));
    const pct = a0.events.filter((e) => e.event === 'course.updated' && e.payload.id === acme.id).map((e) => e.payload.percentage);
    for (let i = 1; i < pct.length; i++) assert.ok(pct[i] >= pct[i - 1], 'events carried a falling percentage');
  });

  it('lets a client follow a course of its own organization only', async () => {
    const ops = await Client.login(stack.urls[0], 'ops@acme.test');
    const globex = await Client.login(stack.urls[0], 'ops@globex.test');
    const mine = (await ops.post('/courses', { title: 'Followed' })).body;
    const g = await connect(stack.urls[0], globex.token);
    const a = await connect(stack.urls[0], ops.token);
    sockets.push(g, a);
    assert.deepEqual(await g.emitWithAck('course.subscribe', { courseId: mine.id }), { ok: false, error: 'course not found' });
    assert.deepEqual(await a.emitWithAck('course.subscribe', { courseId: mine.id }), { ok: true });
    assert.deepEqual(await a.emitWithAck('course.subscribe', { courseId: 'nope' }), { ok: false, error: 'courseId: must be a UUID' });
  });
});
