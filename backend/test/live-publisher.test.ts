// Live events reach sockets through Redis (the emitter in any process, the adapter in the
// API's Socket.IO server). A phase-start update waits its deferMs and gives way to a
// newer update of the same course; the status caches hear of every change at once.
import { createServer, Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAdapter } from '@socket.io/redis-adapter';
import IORedis from 'ioredis';
import { Server } from 'socket.io';
import { io as connect, Socket } from 'socket.io-client';
import { LIVE_NAMESPACE, LivePublisher, orgRoom } from '../src/repositories/live.publisher';

const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const key = `mc-live-test-${process.pid}-${Date.now().toString(36)}`;
const changed = `${key}:course-changed`;
const room = orgRoom('00000000-0000-4000-8000-000000000001', 'course.updated');

let http: HttpServer;
let server: Server;
let client: Socket;
const connections: IORedis[] = [];
const redis = () => {
  const r = new IORedis(redisUrl, { maxRetriesPerRequest: null });
  connections.push(r);
  return r;
};
let publisher: LivePublisher;
const received: { id: string; phase: string; at: number }[] = [];
const invalidated: { id: string; at: number }[] = [];

beforeAll(async () => {
  http = createServer();
  server = new Server(http);
  server.adapter(createAdapter(redis(), redis(), { key }));
  server.of(LIVE_NAMESPACE).on('connection', (socket) => void socket.join(room));
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  client = connect(`http://127.0.0.1:${(http.address() as AddressInfo).port}${LIVE_NAMESPACE}`, { transports: ['websocket'], reconnection: false });
  client.on('course.updated', (p: { id: string; phase: string }) => received.push({ id: p.id, phase: p.phase, at: Date.now() }));
  await new Promise<void>((resolve, reject) => {
    client.once('connect', resolve);
    client.once('connect_error', reject);
  });
  const sub = redis();
  sub.on('message', (_c: string, id: string) => invalidated.push({ id, at: Date.now() }));
  await sub.subscribe(changed);
  publisher = new LivePublisher(redis(), key, changed);
});

afterAll(async () => {
  client.disconnect();
  server.close();
  for (const r of connections) r.disconnect();
});

let clock = Date.parse('2026-01-01T00:00:00Z');
/** A course.updated stamped later than every one before it, as the orchestrator stamps them. */
const update = (id: string, phase: string, deferMs?: number) => ({
  room,
  event: 'course.updated' as const,
  payload: { id, phase, at: new Date(clock++).toISOString() },
  ...(deferMs ? { deferMs } : {}),
});
const settle = () => new Promise((r) => setTimeout(r, 250));

describe('live publisher', () => {
  it('drops a phase start that a newer update of the course overtakes, and still tells the caches at once', async () => {
    received.length = 0;
    invalidated.length = 0;
    publisher.publish(update('course-a', 'lesson started', 50));
    publisher.publish(update('course-a', 'lesson done'));
    await settle();
    expect(received.filter((r) => r.id === 'course-a').map((r) => r.phase)).toEqual(['lesson done']);
    expect(invalidated.filter((r) => r.id === 'course-a')).toHaveLength(2);
  });

  it('sends a phase start nobody overtook after its delay, and keeps only the newest of several', async () => {
    received.length = 0;
    const sent = Date.now();
    publisher.publish(update('course-b', 'first started', 50));
    publisher.publish(update('course-b', 'second started', 50));
    // Another course is not held up by course-b's wait.
    publisher.publish(update('course-c', 'done'));
    await settle();
    const b = received.filter((r) => r.id === 'course-b');
    expect(b.map((r) => r.phase)).toEqual(['second started']);
    expect(b[0].at - sent).toBeGreaterThanOrEqual(45);
    const c = received.find((r) => r.id === 'course-c')!;
    expect(c.at).toBeLessThan(b[0].at);
  });

  it('drops a waiting phase start when another process sent a newer update of the course meanwhile', async () => {
    received.length = 0;
    const other = new LivePublisher(redis(), key, changed); // another worker
    const started = update('course-d', 'lesson 3 started', 50);
    const done = update('course-d', 'lesson 2 done');
    publisher.publish(started);
    other.publish(done);
    await settle();
    expect(received.filter((r) => r.id === 'course-d').map((r) => r.phase)).toEqual(['lesson 2 done']);
    // An older update sent elsewhere does not hold a newer start back.
    received.length = 0;
    const older = update('course-e', 'older');
    const newer = update('course-e', 'newer start', 50);
    other.publish(older);
    publisher.publish(newer);
    await settle();
    expect(received.filter((r) => r.id === 'course-e').map((r) => r.phase)).toEqual(['older', 'newer start']);
  });

  it("never delivers a course's older version after a newer one, whichever process publishes last", async () => {
    received.length = 0;
    const other = new LivePublisher(redis(), key, changed);
    const versioned = (seq: number) => ({
      room,
      event: 'course.updated' as const,
      payload: { id: 'course-f', phase: `v${seq}`, seq, at: new Date(clock++).toISOString() },
    });
    // Transition 7 committed first in one process, 8 in another; 8's publish got out first.
    other.publish(versioned(8));
    await settle();
    publisher.publish(versioned(7));
    publisher.publish(versioned(9));
    other.publish(versioned(9)); // a sweep re-sending the same version
    await settle();
    expect(received.filter((r) => r.id === 'course-f').map((r) => r.phase)).toEqual(['v8', 'v9']);
  });
});
