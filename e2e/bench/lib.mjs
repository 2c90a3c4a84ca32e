// Helpers shared by the benchmark figures: child processes for the bare baselines,
// autocannon runs, percentiles, RSS and Postgres transaction counters.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';

export const BENCH_DIR = dirname(fileURLToPath(import.meta.url));
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Starts e2e/bench/baselines/<file> and resolves once it prints `ready <json>`. */
export function startBaseline(file, env = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(BENCH_DIR, 'baselines', file)], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
    let buf = '';
    const onData = (chunk) => {
      buf += chunk;
      const m = /^ready (.*)$/m.exec(buf);
      if (m) {
        child.stdout.off('data', onData);
        child.stdout.resume();
        resolve({ child, info: JSON.parse(m[1]), stop: () => stopChild(child) });
      }
    };
    child.stdout.on('data', onData);
    child.once('exit', (code) => reject(new Error(`${file} exited with ${code} before it was ready`)));
  });
}

export function stopChild(child) {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

/** autocannon against one URL; returns req/s (mean), p99 latency (ms) and non-2xx count. */
export async function cannon(url, { connections = 50, duration = 8, headers = {} } = {}) {
  const result = await autocannon({ url, connections, duration, headers, pipelining: 1 });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    total: result.requests.total,
    errors: result.errors + result.timeouts + result.non2xx,
  };
}

export function percentile(values, p) {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

/** VmRSS of a process, in bytes. */
export function rssBytes(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

/** CPU time (user + system) a process has used so far, in ms; 0 when it is gone. */
export function cpuMs(pid) {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8')
      .replace(/^.*\) /, '')
      .split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10; // utime + stime, in 100 Hz ticks
  } catch {
    return 0;
  }
}

export const mb = (bytes) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
export const fmt = (n, digits = 0) => Number(n).toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/**
 * Committed + rolled back transactions of one database, as Postgres counts them.
 * Backends report their counters at most once a second while busy and within 10 s
 * once idle (PostgreSQL 15), so callers wait `settleMs` before reading.
 */
export async function xacts(db, name) {
  const {
    rows: [r],
  } = await db.query(`SELECT (xact_commit + xact_rollback)::bigint AS n FROM pg_stat_database WHERE datname = $1`, [name]);
  return Number(r.n);
}
