// Health tells an operator more than "the process is up": Postgres, Redis, and whether
// any worker is consuming; and no process starts on a Redis that may evict queue keys.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { API_ENTRY } from '../../scripts/lib.mjs';
import { Client, freePort, startStack, waitFor } from '../harness.mjs';

describe('health', () => {
  let stack;
  before(async () => {
    stack = await startStack();
  });
  after(async () => {
    await stack?.stop();
  });

  const health = async () => {
    const res = await fetch(`${stack.baseUrl}/api/health`);
    return { status: res.status, body: await res.json() };
  };

  it('reports live workers, and waiting jobs with no worker as degraded', async () => {
    const up = await waitFor(
      async () => {
        const h = await health();
        return h.body.workers?.alive >= 1 && h;
      },
      { what: 'a worker heartbeat' },
    );
    assert.equal(up.status, 200);
    assert.equal(up.body.status, 'ok');
    assert.equal(up.body.postgres.ok, true);
    assert.equal(up.body.workers.consuming, true);

    await stack.stopProcesses();
    await stack.start({ workers: 0 });
    const ops = await Client.login(stack.baseUrl, 'ops@acme.test');
    const c = (await ops.post('/courses', { title: 'Nobody home', approvalGates: [] })).body;
    await ops.post(`/courses/${c.id}/generation`);
    const down = await waitFor(
      async () => {
        const h = await health();
        return h.body.workers.waitingJobs > 0 && h;
      },
      { what: 'a waiting job' },
    );
    assert.equal(down.status, 200, 'the API itself still serves');
    assert.deepEqual(
      { status: down.body.status, alive: down.body.workers.alive, consuming: down.body.workers.consuming },
      { status: 'degraded', alive: 0, consuming: false },
    );

    await stack.stopProcesses();
    await stack.start();
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', {
      what: 'the course once a worker is back',
      timeoutMs: 120_000,
    });
    assert.equal((await health()).body.status, 'ok');
  });

  it('refuses to start on a Redis whose maxmemory-policy may evict keys', async () => {
    const port = await freePort();
    const redis = spawn(
      'redis-server',
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--maxmemory-policy', 'allkeys-lru'],
      { stdio: 'ignore' },
    );
    try {
      await waitFor(() => spawnSync('redis-cli', ['-p', String(port), 'ping'], { encoding: 'utf8' }).stdout.trim() === 'PONG', { what: 'the second Redis' });
      const api = spawnSync(process.execPath, [API_ENTRY], {
        env: { ...process.env, ...stack.env, REDIS_URL: `redis://127.0.0.1:${port}`, PORT: String(await freePort()), RUN_MIGRATIONS: 'false' },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.notEqual(api.status, 0);
      assert.match(api.stderr + api.stdout, /maxmemory-policy is "allkeys-lru"; queues need "noeviction"/);
    } finally {
      redis.kill('SIGKILL');
    }
  });
});
