// Private Redis and Postgres servers for the chaos drill, on free ports in temporary
// directories, so that restarting or flushing them never touches anyone else's.
// Postgres refuses to run as root: initdb and pg_ctl run as the postgres user (runuser).
import { spawn, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitFor } from '../harness.mjs';

export async function startPrivateRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mc-chaos-redis-'));
  // Append-only file: a restart keeps what was written (a FLUSHALL is the drill for losing it).
  const args = [
    '--port',
    String(port),
    '--bind',
    '127.0.0.1',
    '--dir',
    dir,
    '--save',
    '',
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--maxmemory-policy',
    'noeviction',
    '--loglevel',
    'warning',
  ];
  let proc = null;
  const cli = (...a) => spawnSync('redis-cli', ['-p', String(port), ...a], { encoding: 'utf8' });
  const redis = {
    url: `redis://127.0.0.1:${port}`,
    port,
    async start() {
      proc = spawn('redis-server', args, { stdio: 'ignore' });
      await waitFor(() => cli('ping').stdout.trim() === 'PONG', { what: 'the private Redis', timeoutMs: 20_000 });
    },
    async stop(signal = 'SIGTERM') {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      await new Promise((resolve) => {
        p.once('exit', resolve);
        p.kill(signal);
      });
    },
    async restart() {
      await redis.stop();
      await redis.start();
    },
    flushall() {
      const r = cli('flushall');
      if (r.stdout.trim() !== 'OK') throw new Error(`FLUSHALL failed: ${r.stdout}${r.stderr}`);
    },
    async close() {
      await redis.stop('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    },
  };
  await redis.start();
  return redis;
}

const PG_BIN = ['/usr/lib/postgresql/17/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/15/bin'].find((d) => existsSync(join(d, 'initdb')));

export async function startPrivatePostgres() {
  if (!PG_BIN) throw new Error('no Postgres server binaries found under /usr/lib/postgresql/<version>/bin');
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'mc-chaos-pg-'));
  const uid = Number(spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  const gid = Number(spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).stdout.trim());
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const asPostgres = (bin, args) => {
    const r = spawnSync('runuser', ['-u', 'postgres', '--', join(PG_BIN, bin), ...args], { encoding: 'utf8', cwd: dir });
    if (r.status !== 0) throw new Error(`${bin} ${args.join(' ')} failed: ${r.stdout}${r.stderr}`);
    return r;
  };
  asPostgres('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync']);
  // A throwaway cluster: fsync off for speed — a crash of Postgres itself (the drill's
  // immediate stop) loses nothing, only an OS crash would. synchronous_commit stays on:
  // off, a crash would lose commits already acknowledged, which no real set-up accepts.
  const options = `-p ${port} -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c full_page_writes=off`;
  const pg = {
    url: `postgres://postgres@127.0.0.1:${port}`,
    port,
    start() {
      asPostgres('pg_ctl', ['-D', data, '-l', join(dir, 'server.log'), '-o', options, '-w', '-t', '60', 'start']);
    },
    /** immediate: like a crash — no checkpoint, connections cut, recovery at start */
    stop(mode = 'immediate') {
      asPostgres('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '60', 'stop']);
    },
    restart() {
      pg.stop('immediate');
      pg.start();
    },
    log() {
      try {
        return readFileSync(join(dir, 'server.log'), 'utf8');
      } catch {
        return '';
      }
    },
    close() {
      try {
        pg.stop('immediate');
      } catch {
        /* already down */
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
  pg.start();
  return pg;
}
