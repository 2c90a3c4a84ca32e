// `redocly lint` of the checked-in spec with the repository's redocly.yaml (the
// recommended rules, warnings raised to errors): any problem fails the test.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { REPO_ROOT, SPEC_FILE } from './api-document';

it('redocly lint finds no problem in backend/openapi.json', () => {
  const bin = join(REPO_ROOT, 'node_modules/.bin/redocly');
  const r = spawnSync(bin, ['lint', SPEC_FILE, '--config', join(REPO_ROOT, 'redocly.yaml'), '--format', 'json'], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    maxBuffer: 32 * 1024 * 1024,
    env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
  });
  const json = r.stdout.slice(r.stdout.indexOf('{'));
  const report = JSON.parse(json) as {
    totals: { errors: number; warnings: number };
    problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
  };
  const problems = report.problems.map((p) => `${p.ruleId}: ${p.message} at ${p.location.map((l) => l.pointer).join(', ')}`);
  expect(problems).toEqual([]);
  expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  expect(r.status).toBe(0);
}, 60_000);
