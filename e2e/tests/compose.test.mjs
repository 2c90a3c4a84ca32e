// docker-compose.yml is what a user runs in production: `docker compose config` must
// accept it, refuse it without JWT_SECRET / POSTGRES_PASSWORD / BOOTSTRAP_ADMIN_EMAIL, and
// the resolved file must keep its promises (NODE_ENV=production, Postgres with a password,
// Redis noeviction, no database port published, healthchecks, the bootstrap one-shot).
// Needs a compose implementation (the docker compose plugin or Debian's docker-compose);
// without one the tests are skipped with the reason printed. No Docker engine is needed.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT } from '../../scripts/lib.mjs';

// js-yaml comes with @nestjs/swagger (a backend dependency).
const yaml = createRequire(join(ROOT, 'backend/package.json'))('js-yaml');

function findCompose() {
  const plugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' });
  if (plugin.status === 0) return ['docker', 'compose'];
  const standalone = spawnSync('docker-compose', ['version'], { encoding: 'utf8' });
  if (standalone.status === 0) return ['docker-compose'];
  return null;
}

const compose = findCompose();
const skip = compose ? false : 'no compose implementation (neither `docker compose` nor `docker-compose`; `apt-get install -y docker-compose` provides one)';
if (skip) console.log(`# compose tests skipped: ${skip}`);

const REQUIRED = {
  JWT_SECRET: 'a'.repeat(48),
  POSTGRES_PASSWORD: 'pg0123456789abcdef',
  BOOTSTRAP_ADMIN_EMAIL: 'operator@example.com',
};

function config(env, file = 'docker-compose.yml') {
  // Only PATH and HOME from this shell: the file's required variables must come from `env`.
  const r = spawnSync(compose[0], [...compose.slice(1), '-f', file, 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

describe('docker-compose.yml', { skip }, () => {
  it('passes `compose config` with the required variables set', () => {
    const r = config(REQUIRED);
    assert.equal(r.status, 0, r.err);
    const c = yaml.load(r.out);
    assert.deepEqual(Object.keys(c.services).sort(), ['api', 'bootstrap', 'postgres', 'redis', 'worker']);
  });

  for (const name of Object.keys(REQUIRED)) {
    it(`refuses to resolve without ${name}`, () => {
      const { [name]: _, ...rest } = REQUIRED;
      const r = config(rest);
      assert.notEqual(r.status, 0, `compose config passed without ${name}`);
      assert.match(r.err, new RegExp(`set ${name}`));
    });
  }

  it('keeps its production promises', () => {
    const c = yaml.load(config(REQUIRED).out);
    const s = c.services;
    for (const app of ['api', 'worker', 'bootstrap']) {
      assert.equal(s[app].image, 'mission-control:latest', app);
      assert.equal(s[app].environment.NODE_ENV, 'production', app);
      assert.equal(s[app].environment.JWT_SECRET, REQUIRED.JWT_SECRET, app);
      assert.match(s[app].environment.DATABASE_URL, new RegExp(`^postgres://mission_control:${REQUIRED.POSTGRES_PASSWORD}@postgres:5432/`), app);
    }
    // Postgres: a password, no trust; Postgres and Redis reachable on the compose network only.
    assert.equal(s.postgres.environment.POSTGRES_PASSWORD, REQUIRED.POSTGRES_PASSWORD);
    assert.equal(s.postgres.environment.POSTGRES_HOST_AUTH_METHOD, undefined);
    assert.equal(s.postgres.ports, undefined);
    assert.equal(s.redis.ports, undefined);
    const command = [].concat(s.redis.command).join(' ');
    assert.match(command, /--maxmemory-policy noeviction/);
    // Whatever is published is published on 127.0.0.1 only.
    for (const [name, svc] of Object.entries(s)) {
      for (const p of svc.ports ?? []) {
        const hostIp = typeof p === 'string' ? (p.split(':').length === 3 ? p.split(':')[0] : '') : p.host_ip;
        assert.equal(hostIp, '127.0.0.1', `${name} publishes ${JSON.stringify(p)}`);
      }
    }
    // Every long-running service has a healthcheck; the api's and the worker's ask their readiness probes.
    for (const name of ['postgres', 'redis', 'api', 'worker']) assert.ok(s[name].healthcheck?.test, `${name} has no healthcheck`);
    assert.match([].concat(s.api.healthcheck.test).join(' '), /\/api\/health\/ready/);
    assert.match([].concat(s.worker.healthcheck.test).join(' '), /:3001\/health\/ready/);
    // The bootstrap runs once, after the api (which migrates) is healthy; workers after the api too.
    assert.equal(s.bootstrap.restart, 'no');
    assert.match([].concat(s.bootstrap.command).join(' '), /cli\/bootstrap\.js/);
    assert.equal(s.bootstrap.environment.BOOTSTRAP_ADMIN_EMAIL, REQUIRED.BOOTSTRAP_ADMIN_EMAIL);
    assert.equal(s.bootstrap.depends_on.api.condition, 'service_healthy');
    assert.equal(s.worker.depends_on.api.condition, 'service_healthy');
    assert.equal(s.api.depends_on.postgres.condition, 'service_healthy');
    assert.equal(s.api.depends_on.redis.condition, 'service_healthy');
  });

  it('docker-compose.dev.yml (services for `npm run up`) publishes on 127.0.0.1 only', () => {
    const r = config({}, 'docker-compose.dev.yml');
    assert.equal(r.status, 0, r.err);
    for (const [name, svc] of Object.entries(yaml.load(r.out).services)) {
      for (const p of svc.ports ?? []) {
        const hostIp = typeof p === 'string' ? p.split(':')[0] : p.host_ip;
        assert.equal(hostIp, '127.0.0.1', `${name} publishes ${JSON.stringify(p)}`);
      }
    }
  });
});
