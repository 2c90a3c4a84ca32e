// A first day in production: an empty database, NODE_ENV=production, no demo seed.
// `npm run bootstrap` creates the platform organization, its admin and the model catalog;
// the admin signs in, must change the password before anything else, then creates a
// course and generates it with the simulated provider. Running the bootstrap again
// changes nothing; a weak password file is refused. The worker's healthcheck command
// says healthy while it runs and unhealthy once it stopped.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib.mjs';
import { chromiumPath, launch, newPage } from '../browser.mjs';
import { Client, startStack, waitFor } from '../harness.mjs';

const BOOTSTRAP = join(ROOT, 'backend/dist/backend/src/cli/bootstrap.js');
const WORKER_HEALTH = join(ROOT, 'backend/dist/backend/src/cli/worker-health.js');
const ADMIN = 'first.admin@operator.example';
const FIRST_PASSWORD = 'lantern-orbit-5-meadow';
const NEW_PASSWORD = 'copper-tide-28-saffron';

const dir = mkdtempSync(join(tmpdir(), 'mc-bootstrap-'));
const passwordFile = join(dir, 'admin-password');
writeFileSync(passwordFile, `${FIRST_PASSWORD}\n`, { mode: 0o600 });

function run(script, env, extra = {}) {
  return spawnSync(process.execPath, [script], { env: { ...process.env, ...env, ...extra }, encoding: 'utf8' });
}

describe('production bootstrap', () => {
  let stack;
  let first;
  let printed;
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: 'production-secret-of-more-than-32-bytes-0123456789',
    PLATFORM_ORGANIZATION: 'operator',
    PLATFORM_ORGANIZATION_NAME: 'Operator Inc.',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN,
    BOOTSTRAP_ADMIN_PASSWORD_FILE: passwordFile,
  };

  before(async () => {
    stack = await startStack({
      seed: false,
      env: production,
      prepare: (env) => {
        first = run(BOOTSTRAP, env);
      },
    });
  });
  after(async () => {
    await stack?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates the platform organization, its admin and the catalog from an empty database', async () => {
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /applied \d+ migration\(s\)/);
    assert.match(first.stdout, /platform organization "Operator Inc\." \(operator\): created/);
    assert.match(first.stdout, new RegExp(`admin ${ADMIN}: created; the password must be changed at first sign-in`));
    assert.match(first.stdout, /model catalog: 4 added, 0 already there/);
    assert.match(first.stdout, /^bootstrap done$/m);
    assert.doesNotMatch(first.stdout, /generated password/, 'a password from the file is never printed');
    assert.ok(!first.stdout.includes(FIRST_PASSWORD));
    const sql = await stack.sql();
    const orgs = (await sql.query(`SELECT slug, name, is_platform FROM organizations`)).rows;
    assert.deepEqual(orgs, [{ slug: 'operator', name: 'Operator Inc.', is_platform: true }]);
    const users = (await sql.query(`SELECT email, role, must_change_password FROM users`)).rows;
    assert.deepEqual(users, [{ email: ADMIN, role: 'admin', must_change_password: true }]);
    const models = (await sql.query(`SELECT id, display_name FROM llm_models ORDER BY id`)).rows;
    assert.equal(models.length, 4);
    assert.ok(
      models.every((m) => m.display_name !== m.id),
      'display names come from catalog/models.json',
    );
  });

  it('forces a password change at first sign-in, then the admin generates a course', async () => {
    const login = await new Client(stack.baseUrl).post('/auth/login', { email: ADMIN, password: FIRST_PASSWORD });
    assert.equal(login.status, 200, JSON.stringify(login.body));
    assert.equal(login.body.passwordChangeRequired, true);
    assert.ok(login.body.accessToken && login.body.refreshToken);
    const admin = new Client(stack.baseUrl, login.body.accessToken);

    // Every other route is refused with the reason, the hot status path and /me included.
    for (const [method, path, body] of [
      ['GET', '/courses'],
      ['POST', '/courses', { title: 'Too early', approvalGates: [] }],
      ['GET', '/auth/me'],
      ['GET', '/overview'],
      ['GET', '/users'],
    ]) {
      const res = await admin.request(method, path, body);
      assert.equal(res.status, 403, `${method} ${path}: ${res.status}`);
      assert.match(res.body.message, /password change required.*POST \/api\/auth\/password/, `${method} ${path}`);
    }

    // Bad input names the field; the current password must be right; the new one strong.
    const missing = await admin.post('/auth/password', { currentPassword: FIRST_PASSWORD });
    assert.equal(missing.status, 400);
    assert.match(JSON.stringify(missing.body), /newPassword/);
    const wrong = await admin.post('/auth/password', { currentPassword: 'not-the-password-at-all', newPassword: NEW_PASSWORD });
    assert.equal(wrong.status, 400);
    assert.match(JSON.stringify(wrong.body), /currentPassword: is not your current password/);
    const weak = await admin.post('/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: 'password1234' });
    assert.equal(weak.status, 400);
    assert.match(JSON.stringify(weak.body), /newPassword.*commonly used/);
    const same = await admin.post('/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: FIRST_PASSWORD });
    assert.equal(same.status, 400);
    assert.match(JSON.stringify(same.body), /newPassword: must differ/);

    const changed = await admin.post('/auth/password', { currentPassword: FIRST_PASSWORD, newPassword: NEW_PASSWORD });
    assert.equal(changed.status, 200, JSON.stringify(changed.body));
    assert.equal(changed.body.passwordChangeRequired, false);
    assert.ok(changed.body.accessToken);
    // The tokens of the sign-in before the change end with it.
    assert.equal((await admin.get('/courses')).status, 401);
    const oldRefresh = await new Client(stack.baseUrl).post('/auth/refresh', { refreshToken: login.body.refreshToken });
    assert.equal(oldRefresh.status, 401);

    // The first password no longer works; the new one does, with no change required.
    assert.equal((await new Client(stack.baseUrl).post('/auth/login', { email: ADMIN, password: FIRST_PASSWORD })).status, 401);
    const again = await new Client(stack.baseUrl).post('/auth/login', { email: ADMIN, password: NEW_PASSWORD });
    assert.equal(again.status, 200);
    assert.equal(again.body.passwordChangeRequired, false);
    assert.equal(again.body.user.organizationName, 'Operator Inc.');
    const me = new Client(stack.baseUrl, again.body.accessToken);
    assert.equal((await me.get('/auth/me')).status, 200);

    const created = await me.post('/courses', { title: 'Day one in production', description: 'The first course', approvalGates: [] });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const started = await me.post(`/courses/${created.body.id}/generation`);
    assert.equal(started.status, 202, JSON.stringify(started.body));
    const done = await waitFor(
      async () => {
        const s = (await me.get(`/courses/${created.body.id}/status`)).body;
        assert.notEqual(s.status, 'failed', JSON.stringify(s));
        return s.status === 'completed' && s;
      },
      { timeoutMs: 120_000, what: 'the course to complete' },
    );
    assert.equal(done.progress, 100);
    const sql = await stack.sql();
    const providers = (await sql.query(`SELECT DISTINCT provider FROM generation_trace WHERE course_id = $1`, [created.body.id])).rows.map((r) => r.provider);
    assert.deepEqual(providers, ['simulated']);
  });

  it('refuses the demo seed in production: the bootstrap is what creates the first sign-in', async () => {
    const demo = run(join(ROOT, 'backend/dist/backend/src/cli/seed-demo.js'), stack.env);
    assert.notEqual(demo.status, 0);
    assert.match(demo.stderr, /demo data is refused when NODE_ENV=production/);
  });

  it('changes nothing when run again, and says so', async () => {
    const sql = await stack.sql();
    const before = (await sql.query(`SELECT password_hash, must_change_password, token_version FROM users WHERE email = $1`, [ADMIN])).rows[0];
    const again = run(BOOTSTRAP, stack.env);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /platform organization "Operator Inc\." \(operator\): already there/);
    assert.match(again.stdout, new RegExp(`admin ${ADMIN}: already there \\(password unchanged\\)`));
    assert.match(again.stdout, /model catalog: 0 added, 4 already there/);
    assert.match(again.stdout, /nothing to do: the deployment was already bootstrapped, nothing changed/);
    const after = (await sql.query(`SELECT password_hash, must_change_password, token_version FROM users WHERE email = $1`, [ADMIN])).rows[0];
    assert.deepEqual(after, before);
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM organizations`)).rows[0].n, 1);
  });

  it('refuses a weak password file with a clear message, before writing anything', async () => {
    const weakFile = join(dir, 'weak');
    writeFileSync(weakFile, 'password1234\n');
    const r = run(BOOTSTRAP, stack.env, { BOOTSTRAP_ADMIN_EMAIL: 'second@operator.example', BOOTSTRAP_ADMIN_PASSWORD_FILE: weakFile });
    assert.equal(r.status, 1);
    assert.match(
      r.stderr,
      /refused: the password in BOOTSTRAP_ADMIN_PASSWORD_FILE \(.*weak\) is a commonly used password; choose another; nothing was changed/,
    );
    writeFileSync(weakFile, 'short\n');
    const short = run(BOOTSTRAP, stack.env, { BOOTSTRAP_ADMIN_EMAIL: 'second@operator.example', BOOTSTRAP_ADMIN_PASSWORD_FILE: weakFile });
    assert.equal(short.status, 1);
    assert.match(short.stderr, /must be at least 12 characters/);
    const missing = run(BOOTSTRAP, stack.env, { BOOTSTRAP_ADMIN_PASSWORD_FILE: join(dir, 'absent') });
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /BOOTSTRAP_ADMIN_PASSWORD_FILE: cannot read .*absent \(ENOENT\)/);
    const noEmail = run(BOOTSTRAP, { ...stack.env, BOOTSTRAP_ADMIN_EMAIL: '' });
    assert.equal(noEmail.status, 1);
    assert.match(noEmail.stderr, /BOOTSTRAP_ADMIN_EMAIL/);
    const sql = await stack.sql();
    assert.equal((await sql.query(`SELECT count(*)::int AS n FROM users`)).rows[0].n, 1);
  });

  it('generates and prints a password once when there is no password file', async () => {
    const env = { ...stack.env, BOOTSTRAP_ADMIN_PASSWORD_FILE: '', PLATFORM_ORGANIZATION: 'operator', BOOTSTRAP_ADMIN_EMAIL: 'second.admin@operator.example' };
    const r = run(BOOTSTRAP, env);
    assert.equal(r.status, 0, r.stderr);
    printed = /generated password for second\.admin@operator\.example \(shown only now; it must be changed at first sign-in\): (\S+)/.exec(r.stdout)?.[1];
    assert.ok(printed && printed.length >= 20, r.stdout);
    const login = await new Client(stack.baseUrl).post('/auth/login', { email: 'second.admin@operator.example', password: printed });
    assert.equal(login.status, 200);
    assert.equal(login.body.passwordChangeRequired, true);
    const twice = run(BOOTSTRAP, env);
    assert.doesNotMatch(twice.stdout, /generated password/);
  });

  it('the dashboard shows only the change-password form until the password is changed', { skip: chromiumPath() ? false : 'Chromium not found' }, async () => {
    assert.ok(printed, 'the previous test generated a password');
    const browser = await launch();
    try {
      const page = await newPage(browser);
      await page.goto(stack.baseUrl);
      await page.locator('input[name="username"]').fill('second.admin@operator.example');
      await page.locator('input[name="password"]').fill(printed);
      await page.locator('button[type="submit"]').click();
      await page.getByRole('heading', { name: 'Change your password' }).waitFor({ timeout: 15_000 });
      assert.equal(await page.locator('[data-testid="live-status"]').count(), 0, 'no app shell before the change');
      await page.locator('input[name="currentPassword"]').fill(printed);
      await page.locator('input[name="newPassword"]').fill('juniper-falls-64-ember');
      await page.locator('input[name="repeatPassword"]').fill('juniper-falls-64-embers');
      await page.getByRole('button', { name: 'Change password' }).click();
      await page.getByRole('alert').filter({ hasText: 'The two new passwords differ.' }).waitFor();
      await page.locator('input[name="repeatPassword"]').fill('juniper-falls-64-ember');
      await page.getByRole('button', { name: 'Change password' }).click();
      // Changed: the app itself (the overview, with its live-updates dot).
      await page.locator('[data-testid="live-status"]').waitFor({ timeout: 15_000 });
      assert.equal(await page.getByRole('heading', { name: 'Change your password' }).count(), 0);
      const login = await new Client(stack.baseUrl).post('/auth/login', { email: 'second.admin@operator.example', password: 'juniper-falls-64-ember' });
      assert.equal(login.status, 200);
      assert.equal(login.body.passwordChangeRequired, false);
      assert.deepEqual(
        page.consoleErrors.filter((e) => !/403|Forbidden/.test(e)),
        [],
      );
    } finally {
      await browser.close();
    }
  });

  it('the worker healthcheck is healthy while the worker runs, unhealthy once it stopped', async () => {
    const healthy = await waitFor(
      () => {
        const r = run(WORKER_HEALTH, stack.env);
        return r.status === 0 && r;
      },
      { timeoutMs: 15_000, what: 'a healthy worker' },
    );
    assert.match(healthy.stdout, /^healthy: 1 worker\(s\)/);
    await stack.stopProcesses();
    const r = run(WORKER_HEALTH, stack.env);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /unhealthy: no worker heartbeat/);
  });
});
