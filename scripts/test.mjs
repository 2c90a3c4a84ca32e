// `npm test`: every test against real Postgres and Redis — backend unit tests, backend
// integration tests (a fresh database per run), dashboard unit tests, and the e2e
// tests that drive the running system over HTTP, sockets and a browser.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, findServices, needsInstall, run } from './lib.mjs';

const only = process.argv.slice(2);
const want = (name) => only.length === 0 || only.includes(name);
const out = mkdtempSync(join(tmpdir(), 'mc-test-'));
const results = [];

function jest(name, args, cwd) {
  const file = join(out, `${name}.json`);
  const r = spawnSync('npx', ['jest', ...args, '--json', `--outputFile=${file}`], { cwd, stdio: 'inherit', env: process.env });
  const report = existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null;
  results.push({ name, passed: report?.numPassedTests ?? 0, failed: report?.numFailedTests ?? (r.status ? 1 : 0), ok: r.status === 0 });
}

function nodeTest(name, files) {
  const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', '--test-reporter=spec', ...files], { cwd: ROOT, encoding: 'utf8', env: process.env, maxBuffer: 64 * 1024 * 1024 });
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  const count = (label) => Number(new RegExp(`ℹ ${label} (\\d+)`).exec(r.stdout)?.[1] ?? 0);
  results.push({ name, passed: count('pass'), failed: count('fail') || (r.status ? 1 : 0), ok: r.status === 0 });
}

async function main() {
  if (needsInstall()) run('npm', ['ci', '--no-audit', '--no-fund']);
  await findServices();
  if (want('unit') || want('integration') || want('e2e')) run('npm', ['run', 'build', '-w', 'backend']);
  if (want('e2e') || want('dashboard')) run('npm', ['run', 'build', '-w', 'dashboard']);
  const backend = join(ROOT, 'backend');
  if (want('unit')) jest('backend-unit', ['--selectProjects', 'unit'], backend);
  if (want('integration')) jest('backend-integration', ['--selectProjects', 'integration', '--runInBand'], backend);
  if (want('dashboard')) {
    const r = spawnSync('npx', ['vitest', 'run'], { cwd: join(ROOT, 'dashboard'), encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
    process.stdout.write(r.stdout);
    process.stderr.write(r.stderr);
    const passed = Number(/Tests\s+(\d+) passed/.exec(r.stdout)?.[1] ?? 0);
    const failed = Number(/(\d+) failed/.exec(/Tests .*/.exec(r.stdout)?.[0] ?? '')?.[1] ?? (r.status ? 1 : 0));
    results.push({ name: 'dashboard-unit', passed, failed, ok: r.status === 0 });
  }
  if (want('e2e')) {
    const dir = join(ROOT, 'e2e/tests');
    const files = existsSync(dir) ? spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.split('\n').filter((f) => f.endsWith('.test.mjs')).map((f) => join(dir, f)) : [];
    if (files.length) nodeTest('e2e', files);
  }
  console.log('\nsummary:');
  for (const r of results) console.log(`  ${r.ok ? 'ok  ' : 'FAIL'} ${r.name}: ${r.passed} passed, ${r.failed} failed`);
  const passed = results.reduce((n, r) => n + r.passed, 0);
  const failed = results.reduce((n, r) => n + r.failed, 0);
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(results.every((r) => r.ok) && failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err.message ?? err);
  process.exit(1);
});
