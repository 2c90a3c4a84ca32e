// Starts the real system for a test: a fresh database, the demo seed, and api + worker
// processes from the built code, on a free port. stop() ends them and drops the database.
import net from 'node:net';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { API_ENTRY, ROOT, WORKER_ENTRY, databaseExists, dropDatabase, ensureDatabase, startProcess, waitForHealth } from '../scripts/lib.mjs';

export function freePort() {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/**
 * pgServer: a Postgres server other than the shared one (e.g. a private cluster a chaos drill may restart).
 * seed: false starts on an empty database without the demo seed: `prepare(env)` runs first
 * (e.g. the production bootstrap), then the migrations.
 * capture: every process keeps its whole stdout in `child.stdoutLines` (the log tests).
 * database + keep: a named database that stop() leaves in place; started again on it, the
 * stack only migrates it (`stack.kept` says so), so a long load can be measured again.
 */
const SHARED_PG = 'postgres://postgres@127.0.0.1:5432';

/** Runs a setup command of the built backend (seed-demo, migrate) against env.DATABASE_URL. */
function setupDatabase(setup, env) {
  const r = spawnSync(process.execPath, [join(ROOT, `backend/dist/backend/src/cli/${setup}.js`)], { env: { ...process.env, ...env }, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${setup} failed: ${r.stderr}`);
}

/**
 * A migrated database with the demo seed on the shared Postgres, made once for a run of
 * many files: with its name in E2E_TEMPLATE_DATABASE, startStack copies it (CREATE
 * DATABASE … TEMPLATE, about a second) instead of migrating and seeding each new
 * database. Nothing may stay connected to it; drop() removes it.
 */
export async function createTemplateDatabase() {
  const name = `mc_e2e_template_${Date.now().toString(36)}_${process.pid}`;
  const databaseUrl = `${SHARED_PG}/${name}`;
  await ensureDatabase(databaseUrl);
  setupDatabase('seed-demo', { DATABASE_URL: databaseUrl, NODE_ENV: 'test', REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379' });
  return { name, drop: () => dropDatabase(databaseUrl) };
}

export async function startStack({
  apis = 1,
  workers = 1,
  env = {},
  pgServer = SHARED_PG,
  seed: demoSeed = true,
  prepare,
  capture = false,
  database,
  keep = false,
  ...opts
} = {}) {
  const name = database ?? `mc_e2e_${Date.now().toString(36)}_${process.pid}`;
  const databaseUrl = `${pgServer}/${name}`;
  // A named database kept from an earlier run is only migrated (its data stays).
  const kept = database ? await databaseExists(databaseUrl) : false;
  // The run's seeded template when there is one (the same migrations and demo seed), else migrated and seeded below.
  const template = demoSeed && pgServer === SHARED_PG && !kept ? process.env.E2E_TEMPLATE_DATABASE : undefined;
  await ensureDatabase(databaseUrl, template);
  const base = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    QUEUE_PREFIX: `mce${Date.now().toString(36)}`,
    SIMULATED_LATENCY: 'instant',
    NODE_ENV: 'test',
    OUTBOX_POLL_MS: '250',
    // Several workers share this machine: no probe port unless a test gives each its own.
    WORKER_HEALTH_PORT: '0',
    ...env,
  };
  if (!demoSeed) await prepare?.(base);
  if (kept) setupDatabase('migrate', base);
  else if (!template) setupDatabase(demoSeed ? 'seed-demo' : 'migrate', base);
  const ports = [];
  for (let i = 0; i < apis; i++) ports.push(await freePort());
  const urls = ports.map((p) => `http://127.0.0.1:${p}`);
  const quiet = !process.env.E2E_VERBOSE;
  const clients = [];
  const stack = {
    baseUrl: urls[0],
    urls,
    databaseUrl,
    kept,
    env: base,
    children: [],
    /** starts the api and worker processes (again); extra env per role */
    async start({ apiEnv = {}, workerEnv = {}, workers: workerCount = workers } = {}) {
      for (let i = 0; i < apis; i++) {
        stack.children.push(startProcess(`api${i}`, API_ENTRY, { ...base, PORT: String(ports[i]), RUN_MIGRATIONS: 'false', ...apiEnv }, { quiet, capture }));
      }
      for (let i = 0; i < workerCount; i++) {
        stack.children.push(startProcess(`worker${i}`, WORKER_ENTRY, { ...base, RUN_MIGRATIONS: 'false', ...workerEnv }, { quiet, capture }));
      }
      try {
        for (const u of urls) await waitForHealth(u, 90_000);
      } catch (err) {
        for (const c of stack.children) c.kill('SIGKILL');
        throw new Error(`${err.message}\n${stack.children.map((c) => (c.lastLines ?? []).join('\n')).join('\n')}`);
      }
    },
    /** stops every process (SIGTERM, then SIGKILL after 5 s) */
    async stopProcesses(signal = 'SIGTERM') {
      const children = stack.children;
      stack.children = [];
      await Promise.all(
        children.map(
          (c) =>
            new Promise((resolve) => {
              if (c.exitCode !== null || c.signalCode !== null) return resolve();
              c.once('exit', resolve);
              c.kill(signal);
              setTimeout(() => c.kill('SIGKILL'), 5000).unref();
            }),
        ),
      );
    },
    /** A Postgres client on the stack's database, closed by stop(). */
    async sql() {
      const { default: pg } = await import('pg');
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      clients.push(client);
      return client;
    },
    async stop() {
      await Promise.all(clients.map((c) => c.end().catch(() => undefined)));
      await stack.stopProcesses();
      if (!keep) await dropDatabase(databaseUrl).catch(() => undefined);
    },
  };
  await stack.start(opts);
  return stack;
}

export class Client {
  constructor(baseUrl, token = null, lang = 'en') {
    this.baseUrl = baseUrl;
    this.token = token;
    this.lang = lang;
  }

  static async login(baseUrl, email, password = 'mission-control') {
    const c = new Client(baseUrl);
    const res = await c.request('POST', '/auth/login', { email, password });
    if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${JSON.stringify(res.body)}`);
    c.token = res.body.accessToken;
    c.user = res.body.user;
    return c;
  }

  async request(method, path, body) {
    const res = await fetch(`${this.baseUrl}/api${path}`, {
      method,
      headers: {
        ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        'accept-language': this.lang,
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    let parsed = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = text;
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }

  get(path) {
    return this.request('GET', path);
  }
  post(path, body = {}) {
    return this.request('POST', path, body);
  }
}

export async function waitFor(fn, { timeoutMs = 60_000, intervalMs = 100, what = 'condition' } = {}) {
  const end = Date.now() + timeoutMs;
  let last;
  while (Date.now() < end) {
    last = await fn();
    if (last) return last;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A course created by `client` with `gates` and started, once it waits at its first gate. */
export async function startAtGate(client, title, gates, extra = {}) {
  const course = (await client.post('/courses', { title, approvalGates: gates, ...extra })).body;
  const started = await client.post(`/courses/${course.id}/generation`);
  if (started.status !== 202) throw new Error(`${title}: start answered ${started.status}`);
  await waitFor(async () => /_awaiting_approval$/.test((await client.get(`/courses/${course.id}`)).body.generationStatus), {
    what: `${title} at its gate`,
    timeoutMs: 90_000,
    intervalMs: 50,
  });
  return course;
}

/** A /live socket with the token in its handshake; every event it receives is kept in `socket.events`. */
export async function connectLive(url, token) {
  const { io } = await import('socket.io-client');
  return new Promise((resolve, reject) => {
    const socket = io(`${url}/live`, { auth: { token }, transports: ['websocket'], reconnection: false });
    socket.events = [];
    socket.onAny((event, payload) => socket.events.push({ event, payload }));
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}
