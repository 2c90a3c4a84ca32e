// The probes an orchestrator asks: /api/health/live (the process, no I/O) and
// /api/health/ready (Postgres, Redis, migrations applied, not shutting down) on the api;
// the same two on the worker's WORKER_HEALTH_PORT (Postgres, Redis, its BullMQ workers).
// Postgres is made unreachable by refusing connections to the stack's database and
// ending the open ones: ready turns 503 naming postgres while live keeps answering 200,
// and both come back when connections are allowed again. A missing schema_migrations row
// makes ready 503 naming the migration. SIGTERM makes the api's ready 503 at once, for
// SHUTDOWN_DELAY_MS, before the server stops taking connections.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import pg from 'pg';
import { API_ENTRY } from '../../scripts/lib.mjs';
import { freePort, startStack, waitFor } from '../harness.mjs';

async function probe(url) {
  const res = await fetch(url);
  return { status: res.status, body: await res.json() };
}

describe('probes', () => {
  let stack;
  let workerUrl;
  let dbName;
  let admin;
  let processEnv;
  before(async () => {
    const workerPort = await freePort();
    workerUrl = `http://127.0.0.1:${workerPort}`;
    processEnv = { apiEnv: { SHUTDOWN_DELAY_MS: '1500' }, workerEnv: { WORKER_HEALTH_PORT: String(workerPort) } };
    stack = await startStack(processEnv);
    dbName = new URL(stack.databaseUrl).pathname.slice(1);
    admin = new pg.Client({ connectionString: stack.databaseUrl.replace(/\/[^/]+$/, '/postgres') });
    await admin.connect();
    await waitFor(async () => (await probe(`${workerUrl}/health/ready`).catch(() => ({ status: 0 }))).status === 200, {
      what: 'worker ready',
      timeoutMs: 30_000,
    });
  });
  after(async () => {
    await admin?.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`).catch(() => undefined);
    await admin?.end().catch(() => undefined);
    await stack?.stop();
  });

  it('answers live and ready on a healthy stack, api and worker alike', async () => {
    const live = await probe(`${stack.baseUrl}/api/health/live`);
    assert.deepEqual(live, { status: 200, body: { status: 'ok' } });
    const ready = await probe(`${stack.baseUrl}/api/health/ready`);
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(ready.body.status, 'ok');
    assert.deepEqual(ready.body.failed, []);
    assert.deepEqual(Object.keys(ready.body.checks).sort(), ['migrations', 'postgres', 'redis']);
    for (const c of Object.values(ready.body.checks)) assert.equal(c.ok, true);

    assert.deepEqual(await probe(`${workerUrl}/health/live`), { status: 200, body: { status: 'ok' } });
    const wready = await probe(`${workerUrl}/health/ready`);
    assert.equal(wready.status, 200, JSON.stringify(wready.body));
    assert.deepEqual(Object.keys(wready.body.checks).sort(), ['postgres', 'redis', 'workers']);
    assert.equal((await probe(`${workerUrl}/api/health/ready`)).status, 200, 'the api paths answer on the worker too');
    assert.equal((await fetch(`${workerUrl}/metrics`)).status, 200, 'the worker serves its own metrics on the probe port');
    // Public: no token needed, and the detailed health is still there for operations.
    const detailed = await probe(`${stack.baseUrl}/api/health`);
    assert.equal(detailed.status, 200);
    assert.ok(detailed.body.postgres && detailed.body.redis && 'workers' in detailed.body);
  });

  it('is not ready while a migration of the build is not applied', async () => {
    await stack.stopProcesses();
    const db = new pg.Client({ connectionString: stack.databaseUrl });
    await db.connect();
    try {
      const {
        rows: [last],
      } = await db.query(`DELETE FROM schema_migrations WHERE id = (SELECT max(id) FROM schema_migrations) RETURNING *`);
      await stack.start(processEnv);
      const ready = await probe(`${stack.baseUrl}/api/health/ready`);
      assert.equal(ready.status, 503, JSON.stringify(ready.body));
      assert.deepEqual(ready.body.failed, ['migrations']);
      assert.match(ready.body.checks.migrations.error, new RegExp(`1 pending: ${last.name}`));
      assert.equal((await probe(`${stack.baseUrl}/api/health/live`)).status, 200);
      await db.query(`INSERT INTO schema_migrations (id, timestamp, name) VALUES ($1, $2, $3)`, [last.id, last.timestamp, last.name]);
      assert.equal((await probe(`${stack.baseUrl}/api/health/ready`)).status, 200);
    } finally {
      await db.end();
    }
    await waitFor(async () => (await probe(`${workerUrl}/health/ready`).catch(() => ({ status: 0 }))).status === 200, {
      what: 'worker ready again',
      timeoutMs: 30_000,
    });
  });

  it('answers ready 503 naming postgres while the database is unreachable, live 200 all along', async () => {
    await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()`, [dbName]);
    try {
      for (const [name, url] of [
        ['api', `${stack.baseUrl}/api/health`],
        ['worker', `${workerUrl}/health`],
      ]) {
        const ready = await waitFor(
          async () => {
            const r = await probe(`${url}/ready`);
            return r.status === 503 ? r : null;
          },
          { what: `${name} ready 503`, timeoutMs: 15_000 },
        );
        assert.deepEqual(ready.body.failed, ['postgres'], `${name}: ${JSON.stringify(ready.body)}`);
        assert.equal(ready.body.status, 'unavailable');
        assert.ok(ready.body.checks.postgres.error, 'says why');
        assert.equal(ready.body.checks.redis.ok, true);
        const t = Date.now();
        assert.deepEqual(await probe(`${url}/live`), { status: 200, body: { status: 'ok' } }, `${name} live`);
        assert.ok(Date.now() - t < 1000, 'live asks nothing of Postgres');
      }
    } finally {
      await admin.query(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    }
    for (const url of [`${stack.baseUrl}/api/health/ready`, `${workerUrl}/health/ready`]) {
      await waitFor(async () => (await probe(url)).status === 200, { what: `${url} ready again`, timeoutMs: 15_000 });
    }
  });

  it('turns ready 503 on SIGTERM before the api stops taking connections', async () => {
    const api = stack.children.find((c) => c.spawnargs.includes(API_ENTRY));
    const exited = new Promise((resolve) => api.once('exit', resolve));
    assert.equal((await probe(`${stack.baseUrl}/api/health/ready`)).status, 200);
    const sent = Date.now();
    api.kill('SIGTERM');
    const seen = [];
    for (;;) {
      try {
        const [ready, live] = await Promise.all([probe(`${stack.baseUrl}/api/health/ready`), probe(`${stack.baseUrl}/api/health/live`)]);
        seen.push({ at: Date.now() - sent, ready: ready.status, failed: ready.body.failed, live: live.status });
      } catch {
        break; // connection refused: the server has closed
      }
      if (Date.now() - sent > 10_000) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    await exited;
    const firstUnready = seen.findIndex((s) => s.ready === 503);
    assert.ok(firstUnready >= 0, `ready answered 503 before the server closed: ${JSON.stringify(seen)}`);
    assert.ok(firstUnready <= 1, `503 at once: ${JSON.stringify(seen.slice(0, 3))}`);
    assert.ok(
      seen.slice(firstUnready).every((s) => s.ready === 503 && s.failed?.includes('shutdown')),
      'never ready again',
    );
    assert.ok(
      seen.every((s) => s.live === 200),
      'live while draining',
    );
    assert.ok(seen.length >= 10, `503 for the shutdown delay (${seen.length} answers)`);
  });
});
