// Helpers shared by `npm run up`, `npm test` and the e2e/bench harness: finding
// Postgres and Redis, creating databases, starting the api and worker processes.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const API_ENTRY = join(ROOT, 'backend/dist/backend/src/main-api.js');
export const WORKER_ENTRY = join(ROOT, 'backend/dist/backend/src/main-worker.js');

export function portOpen(host, port, timeoutMs = 1000) {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

export function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: ROOT, ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status}`);
}

export function hasDocker() {
  const r = spawnSync('docker', ['info'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Finds Postgres and Redis: the URLs in the environment, else localhost, else docker compose. */
export async function findServices(env = process.env) {
  const pgUrl = new URL(env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/mission_control');
  const redisUrl = new URL(env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const pgUp = () => portOpen(pgUrl.hostname, Number(pgUrl.port || 5432));
  const redisUp = () => portOpen(redisUrl.hostname, Number(redisUrl.port || 6379));
  if (!(await pgUp()) || !(await redisUp())) {
    if (hasDocker() && !env.DATABASE_URL && !env.REDIS_URL) {
      console.log('starting Postgres and Redis with docker compose (docker-compose.dev.yml)…');
      run('docker', ['compose', '-f', 'docker-compose.dev.yml', 'up', '-d', 'postgres', 'redis']);
      for (let i = 0; i < 60 && !((await pgUp()) && (await redisUp())); i++) await new Promise((r) => setTimeout(r, 1000));
    }
  }
  const missing = [];
  if (!(await pgUp())) missing.push(`Postgres at ${pgUrl.host}`);
  if (!(await redisUp())) missing.push(`Redis at ${redisUrl.host}`);
  if (missing.length) {
    throw new Error(
      `cannot reach ${missing.join(' and ')}: set DATABASE_URL and REDIS_URL, start them locally, or install Docker and run \`docker compose up -d\`.`,
    );
  }
  return { databaseUrl: pgUrl.toString(), redisUrl: redisUrl.toString() };
}

/** Runs `fn(client, name)` on the server's postgres database, for the database named in `databaseUrl`. */
async function onServer(databaseUrl, fn) {
  const { default: pg } = await import('pg');
  const url = new URL(databaseUrl);
  const name = url.pathname.slice(1);
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    return await fn(client, name);
  } finally {
    await client.end();
  }
}

export async function databaseExists(databaseUrl) {
  return onServer(databaseUrl, async (client, name) => (await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name])).rowCount > 0);
}

/** Creates the database named in the URL when it does not exist yet (a copy of `template` when given). */
export async function ensureDatabase(databaseUrl, template) {
  const quote = (n) => `"${n.replace(/"/g, '')}"`;
  if (await databaseExists(databaseUrl)) return;
  await onServer(databaseUrl, (client, name) => client.query(`CREATE DATABASE ${quote(name)}${template ? ` TEMPLATE ${quote(template)}` : ''}`));
}

export async function dropDatabase(databaseUrl) {
  await onServer(databaseUrl, (client, name) => client.query(`DROP DATABASE IF EXISTS "${name.replace(/"/g, '')}" WITH (FORCE)`));
}

/**
 * Starts a node process with a name prefix on each output line. The last 50 lines are
 * kept in `lastLines`; with `capture`, every stdout line (up to 50 000) in `stdoutLines`.
 */
export function startProcess(name, entry, env, { quiet = false, capture = false } = {}) {
  // MC_CPU_PROF_DIR=<dir>: every api/worker writes a V8 CPU profile there when it exits.
  const profile = process.env.MC_CPU_PROF_DIR ? ['--cpu-prof', `--cpu-prof-dir=${process.env.MC_CPU_PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];
  const child = spawn(process.execPath, [...profile, entry], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdoutLines = [];
  const prefix = (stream, out) => {
    let buf = '';
    stream.on('data', (chunk) => {
      buf += chunk;
      const lines = buf.split('\n');
      buf = lines.pop();
      if (!quiet) for (const line of lines) out.write(`[${name}] ${line}\n`);
      child.lastLines = [...(child.lastLines ?? []), ...lines].slice(-50);
      if (capture && stream === child.stdout && child.stdoutLines.length < 50_000) child.stdoutLines.push(...lines);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  return child;
}

export async function waitForHealth(baseUrl, timeoutMs = 60_000) {
  const end = Date.now() + timeoutMs;
  let last = '';
  while (Date.now() < end) {
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.ok) return;
      last = `health answered ${res.status}`;
    } catch (err) {
      last = err.message;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`API did not become healthy at ${baseUrl}: ${last}`);
}

export function needsInstall() {
  return !existsSync(join(ROOT, 'node_modules/@nestjs/core')) || !existsSync(join(ROOT, 'node_modules/react-admin'));
}
