// `npm test`: every test against real Postgres and Redis — lint and format, backend unit
// tests, backend integration tests (a fresh database per run), dashboard unit tests, and
// the e2e tests that drive the running system over HTTP, sockets and a browser.
//
// The e2e files run E2E_CONCURRENCY at a time (default: the number of cores, at least 2);
// each starts its own database, queue prefix and processes on free ports. The slowest
// files of the last run start first. `npm test -- e2e` (or unit, integration, dashboard,
// lint) runs one part; `npm test -- e2e/tests/live.test.mjs` runs chosen e2e files.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { ROOT, findServices, needsInstall, run } from './lib.mjs';

const args = process.argv.slice(2);
const chosenFiles = args.filter((a) => a.endsWith('.test.mjs')).map((f) => resolve(ROOT, f));
const parts = args.filter((a) => !a.endsWith('.test.mjs'));
if (chosenFiles.length) parts.push('e2e');
const want = (name) => parts.length === 0 || parts.includes(name);
const out = mkdtempSync(join(tmpdir(), 'mc-test-'));
const results = [];
const started = Date.now();
const TIMES = join(ROOT, 'node_modules/.cache/mission-control/e2e-times.json');

const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;

/** A command whose output goes straight to ours; resolves with its exit code. */
function spawnInherit(cmd, cmdArgs, opts) {
  return new Promise((done) => spawn(cmd, cmdArgs, { stdio: 'inherit', ...opts }).on('close', done));
}

async function jest(name, jestArgs, cwd) {
  const t0 = Date.now();
  const file = join(out, `${name}.json`);
  const code = await spawnInherit('npx', ['jest', ...jestArgs, '--json', `--outputFile=${file}`], { cwd, env: process.env });
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  results.push({ name, passed: report?.numPassedTests ?? 0, failed: report?.numFailedTests ?? (code ? 1 : 0), ok: code === 0, ms: Date.now() - t0 });
}

/** The dashboard's vitest run; its output is printed when it ends. */
function dashboardUnit() {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn('npx', ['vitest', 'run'], { cwd: join(ROOT, 'dashboard'), env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', (code) => {
      process.stdout.write(text);
      const passed = Number(/Tests\s+(\d+) passed/.exec(text)?.[1] ?? 0);
      const failed = Number(/(\d+) failed/.exec(/Tests .*/.exec(text)?.[0] ?? '')?.[1] ?? (code ? 1 : 0));
      results.push({ name: 'dashboard-unit', passed, failed, ok: code === 0, ms: Date.now() - t0 });
      done();
    });
  });
}

async function lint() {
  const t0 = Date.now();
  const dirs = ['backend/src', 'dashboard/src', 'dashboard/build', 'migrations', 'e2e', 'scripts'];
  const eslint = await spawnInherit('npx', ['eslint', ...dirs], { cwd: ROOT });
  const prettier = await spawnInherit('npx', ['prettier', '--check', '--log-level=warn', ...dirs], { cwd: ROOT });
  if (prettier !== 0) console.error('prettier: the files above are not formatted; `npm run format` formats them');
  const failed = (eslint !== 0 ? 1 : 0) + (prettier !== 0 ? 1 : 0);
  results.push({ name: 'lint', passed: 2 - failed, failed, ok: failed === 0, ms: Date.now() - t0 });
}

function e2eFiles() {
  if (chosenFiles.length) return chosenFiles;
  const dir = join(ROOT, 'e2e/tests');
  const files = existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.test.mjs'))
        .map((f) => join(dir, f))
    : [];
  // Slowest first (times of the last run; file size before there is one), so the pool ends together.
  const times = existsSync(TIMES) ? JSON.parse(readFileSync(TIMES, 'utf8')) : {};
  const weight = (f) => times[basename(f)] ?? statSync(f).size;
  return files.sort((a, b) => weight(b) - weight(a));
}

/** One e2e file in its own `node --test` process; its output is printed whole when it ends. */
function runFile(file) {
  return new Promise((done) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, ['--test', '--test-reporter=spec', file], { cwd: ROOT, env: { ...process.env, NO_COLOR: '1' } });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('close', (code) => {
      const count = (label) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(text)?.[1] ?? 0);
      const ms = Date.now() - t0;
      const r = { file: basename(file), passed: count('pass'), failed: count('fail') || (code ? 1 : 0), ok: code === 0, ms };
      process.stdout.write(`\n── ${r.file}: ${r.passed} passed, ${r.failed} failed, ${seconds(ms)}\n${text}`);
      done(r);
    });
  });
}

async function e2e() {
  const t0 = Date.now();
  const files = e2eFiles();
  if (!files.length) return;
  const concurrency = Math.max(1, Number(process.env.E2E_CONCURRENCY ?? Math.max(2, availableParallelism())));
  console.log(`e2e: ${files.length} files, ${concurrency} at a time`);
  // One migrated and seeded database for the run; each file's stacks start from a copy of it.
  const { createTemplateDatabase } = await import('../e2e/harness.mjs');
  const template = await createTemplateDatabase();
  process.env.E2E_TEMPLATE_DATABASE = template.name;
  const queue = [...files];
  const done = [];
  try {
    await Promise.all(
      Array.from({ length: Math.min(concurrency, files.length) }, async () => {
        while (queue.length) done.push(await runFile(queue.shift()));
      }),
    );
  } finally {
    delete process.env.E2E_TEMPLATE_DATABASE;
    await template.drop().catch(() => undefined);
  }
  const previous = existsSync(TIMES) ? JSON.parse(readFileSync(TIMES, 'utf8')) : {};
  mkdirSync(join(TIMES, '..'), { recursive: true });
  writeFileSync(TIMES, JSON.stringify({ ...previous, ...Object.fromEntries(done.map((r) => [r.file, r.ms])) }, null, 2));
  console.log('\ne2e files:');
  for (const r of done.sort((a, b) => b.ms - a.ms))
    console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.file}: ${r.passed} passed, ${r.failed} failed, ${seconds(r.ms)}`);
  results.push({
    name: 'e2e',
    passed: done.reduce((n, r) => n + r.passed, 0),
    failed: done.reduce((n, r) => n + r.failed, 0),
    ok: done.every((r) => r.ok),
    ms: Date.now() - t0,
  });
}

/** Backend and dashboard builds side by side. */
async function build() {
  const jobs = [];
  if (want('unit') || want('integration') || want('e2e')) jobs.push(['npm', ['run', 'build', '-w', 'backend']]);
  if (want('e2e') || want('dashboard')) jobs.push(['npm', ['run', 'build', '-w', 'dashboard']]);
  const codes = await Promise.all(jobs.map(([cmd, a]) => new Promise((ok) => spawn(cmd, a, { cwd: ROOT, stdio: 'inherit' }).on('close', ok))));
  if (codes.some((c) => c !== 0)) throw new Error('the build failed');
}

async function main() {
  if (needsInstall()) run('npm', ['ci', '--no-audit', '--no-fund']);
  await findServices();
  const t0 = Date.now();
  const built = build().then(
    () => {
      results.push({ name: 'build', passed: 0, failed: 0, ok: true, ms: Date.now() - t0 });
      return true;
    },
    (err) => {
      console.error(err.message);
      results.push({ name: 'build', passed: 0, failed: 1, ok: false, ms: Date.now() - t0 });
      return false;
    },
  );
  const backend = join(ROOT, 'backend');
  // Two lanes side by side: lint, the unit, integration and dashboard tests one after
  // another (integration tests share one database), and the pool of e2e files (each its
  // own). Lint and the unit tests read the sources and start beside the build; the
  // integration tests (one starts the built api) and the e2e files wait for it.
  const lane = async () => {
    if (want('lint')) await lint();
    if (want('unit')) await jest('backend-unit', ['--selectProjects', 'unit'], backend);
    if (!(await built)) return;
    if (want('integration')) await jest('backend-integration', ['--selectProjects', 'integration', '--runInBand', '--testTimeout=30000'], backend);
    if (want('dashboard')) await dashboardUnit();
  };
  await Promise.all([lane(), want('e2e') ? built.then((ok) => ok && e2e()) : Promise.resolve()]);
  console.log('\nsummary:');
  const order = ['build', 'lint', 'backend-unit', 'backend-integration', 'dashboard-unit', 'e2e'];
  results.sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  for (const r of results)
    console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.name === 'build' ? '' : `${r.passed} passed, ${r.failed} failed, `}${seconds(r.ms ?? 0)}`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed in ${seconds(Date.now() - started)}`);
  process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
