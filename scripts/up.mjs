// `npm run up`: everything from a fresh clone — install, find Postgres and Redis,
// build, migrate, seed the demo, start api + worker, start a few demo courses (their
// gates approved by the demo reviewer), and print the URL. Ctrl-C stops everything.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { API_ENTRY, ROOT, WORKER_ENTRY, ensureDatabase, findServices, needsInstall, run, startProcess, waitForHealth } from './lib.mjs';
import { startDemoCourses, autoApprove } from './demo-courses.mjs';

async function main() {
  if (needsInstall()) {
    console.log('installing dependencies…');
    run('npm', [existsSync(join(ROOT, 'package-lock.json')) ? 'ci' : 'install', '--no-audit', '--no-fund']);
  }
  const { databaseUrl, redisUrl } = await findServices();
  await ensureDatabase(databaseUrl);
  console.log('building backend and dashboard…');
  run('npm', ['run', 'build']);
  const port = process.env.PORT ?? '3000';
  const env = {
    DATABASE_URL: databaseUrl,
    REDIS_URL: redisUrl,
    PORT: port,
    SIMULATED_LATENCY: process.env.SIMULATED_LATENCY ?? 'fast',
    NODE_ENV: process.env.NODE_ENV ?? 'development',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    // The processes write to a pipe (prefixed here): pretty text when a person watches this terminal.
    LOG_FORMAT: process.env.LOG_FORMAT ?? (process.stdout.isTTY ? 'pretty' : 'json'),
  };
  run(process.execPath, [join(ROOT, 'backend/dist/backend/src/cli/seed-demo.js')], { env: { ...process.env, ...env } });
  const children = [startProcess('api', API_ENTRY, env), startProcess('worker', WORKER_ENTRY, { ...env, RUN_MIGRATIONS: 'false' })];
  const stop = () => {
    for (const c of children) c.kill('SIGTERM');
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  for (const c of children)
    c.on('exit', (code) => {
      if (code) {
        console.error(`a process exited with ${code}; stopping`);
        stop();
      }
    });
  const host = process.env.HOST ?? '127.0.0.1';
  const baseUrl = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${port}`;
  await waitForHealth(baseUrl);
  const started = await startDemoCourses(baseUrl);
  console.log('');
  console.log(`Mission Control is up: ${baseUrl}`);
  console.log(`  log in as admin@acme.test, ops@acme.test, reviewer@acme.test, finance@acme.test or ops@globex.test — password "mission-control"`);
  console.log(`  API docs: ${baseUrl}/api/docs · ${started} demo course(s) generating · Ctrl-C stops`);
  await autoApprove(baseUrl);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
