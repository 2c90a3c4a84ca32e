// Race-free start limits: simultaneous starts of one organization's courses take the
// organization's start lock in the orchestrator's transaction, so exactly the limit's
// worth start and the rest are refused with 429 (each refusal recorded); START counts
// the course's documents under the course's row lock. Runs CoursesService as the API
// does (mc_app under row-level security), on real Postgres. A burst of starts larger
// than the connection pool, with the ETA wired as the API wires it, all complete: the
// transition holding the start lock never waits for a connection of its own.
import { systemRepositories } from './system-repos';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/access.decorators';
import { TooManyError } from '../src/common/errors.filter';
import { loadConfig } from '../src/config/app-config';
import { CoursesService } from '../src/courses/courses.service';
import { EtaService } from '../src/courses/eta.service';
import { StatusCache } from '../src/courses/status-cache';
import type { ModelProvider } from '../src/llm/model.types';
import { CourseNotFoundError, CourseOrchestrator } from '../src/orchestrator/course-orchestrator';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { createDataSource } from '../src/db/data-source';
import { testDataSource } from './helpers';

let ds: DataSource;
let redis: IORedis;
let courses: CoursesService;

async function makeOrg(limit: number): Promise<AuthUser> {
  const slug = `limit-${Math.random().toString(36).slice(2, 10)}`;
  const [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug, max_concurrent_generations) VALUES ($1, $1, $2) RETURNING id`, [slug, limit]);
  const email = `ops@${slug}.test`;
  const [{ id }] = await ds.query(`INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, 'Ops', 'ops', 'x') RETURNING id`, [
    org,
    email,
  ]);
  return { id, email, name: 'Ops', role: 'ops', organizationId: org, operator: false };
}

async function makeCourses(user: AuthUser, n: number): Promise<string[]> {
  const rows = await ds.query(
    `INSERT INTO courses (organization_id, title, approval_gates) SELECT $1, 'Course ' || i, '{}' FROM generate_series(1, $2) i RETURNING id`,
    [user.organizationId, n],
  );
  return rows.map((r: { id: string }) => r.id);
}

beforeAll(async () => {
  ds = await testDataSource();
  redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null, lazyConnect: true });
  const config = loadConfig();
  const scope = new TenantScope(new TenantDb(ds));
  const orchestrator = new CourseOrchestrator(systemRepositories(ds).courses, { drain: async () => 0 });
  const provider = { name: 'simulated' } as ModelProvider;
  courses = new CoursesService(orchestrator, config, new EtaService(scope, provider), new StatusCache(redis, config), scope);
});
afterAll(async () => {
  redis.disconnect();
  await ds.destroy();
});

describe('START under concurrency', () => {
  it('20 simultaneous starts against a limit of 5: exactly 5 active, 15 answered 429', async () => {
    const user = await makeOrg(5);
    const ids = await makeCourses(user, 20);
    const results = await Promise.allSettled(ids.map((id) => courses.start(user, id)));
    const started = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(started).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const r of refused) {
      expect(r.reason).toBeInstanceOf(TooManyError);
      expect(String(r.reason.message)).toMatch(/5 of 5 generations/);
    }
    const [{ active }] = await ds.query(`SELECT count(*)::int AS active FROM courses WHERE organization_id = $1 AND status IN ('queued', 'generating')`, [
      user.organizationId,
    ]);
    expect(active).toBe(5);
    const [{ idle }] = await ds.query(
      `SELECT count(*)::int AS idle FROM courses WHERE organization_id = $1 AND generation_status = 'idle' AND started_by IS NULL`,
      [user.organizationId],
    );
    expect(idle).toBe(15);
    const [{ hits }] = await ds.query(`SELECT count(*)::int AS hits FROM system_metrics WHERE organization_id = $1 AND metric_type = 'concurrency_limit_hit'`, [
      user.organizationId,
    ]);
    expect(hits).toBe(15);
  });

  it('a course not idle is refused with 409, not counted against the limit', async () => {
    const user = await makeOrg(1);
    const [a] = await makeCourses(user, 1);
    await courses.start(user, a);
    await expect(courses.start(user, a)).rejects.toMatchObject({ message: expect.stringMatching(/only an idle course can be started/) });
  });

  it('completes START from the documents the course has under its row lock, and records who started it', async () => {
    const user = await makeOrg(3);
    const [id] = await makeCourses(user, 1);
    for (const i of [0, 1]) {
      await ds.query(
        `INSERT INTO course_documents (course_id, organization_id, ordinal, filename, mime_type, size_bytes, sha256, content)
         VALUES ($1, $2, $3, $4, 'text/plain', 5, repeat('a', 64), 'hello')`,
        [id, user.organizationId, i, `d${i}.txt`],
      );
    }
    await courses.start(user, id);
    const [row] = await ds.query(`SELECT machine_snapshot, started_by FROM courses WHERE id = $1`, [id]);
    expect(row.started_by).toBe(user.id);
    expect(row.machine_snapshot.context).toMatchObject({ hasDocuments: true, documentCount: 2 });
  });

  it('is not found in another organization', async () => {
    const user = await makeOrg(3);
    const other = await makeOrg(3);
    const [id] = await makeCourses(other, 1);
    await expect(courses.start(user, id)).rejects.toBeInstanceOf(CourseNotFoundError);
  });
});

describe('a burst of starts larger than the connection pool', () => {
  it('starts all 12 on a pool of 3 connections with the ETA cache cold (no transition waits for a second connection)', async () => {
    const small = createDataSource(process.env.DATABASE_URL!, { poolSize: 3, name: 'mc-test-small-pool' });
    await small.initialize();
    try {
      const config = loadConfig();
      const scope = new TenantScope(new TenantDb(small));
      const eta = new EtaService(scope, { name: 'simulated' } as ModelProvider);
      // As core.module wires it.
      const orchestrator = new CourseOrchestrator(systemRepositories(small).courses, { drain: async () => 0 }, undefined, undefined, (ctx, org) =>
        eta.estimateFromCache(ctx, org),
      );
      const service = new CoursesService(orchestrator, config, eta, new StatusCache(redis, config), scope);
      const user = await makeOrg(50);
      const ids = await makeCourses(user, 12);
      const all = Promise.all(ids.map((id) => service.start(user, id)));
      const stuck = new Promise((_, reject) =>
        setTimeout(() => reject(new Error('the starts did not finish in 20 s: a transition waits for a pooled connection')), 20_000).unref(),
      );
      const started = (await Promise.race([all, stuck])) as { status: string }[];
      expect(started.map((s) => s.status)).toEqual(ids.map(() => 'queued'));
      // Every one of them got an estimated completion (from seed 003's extrapolation while no medians are cached).
      const [{ n }] = await ds.query(
        `SELECT count(*)::int AS n FROM courses WHERE organization_id = $1 AND status = 'queued' AND generation_progress->>'estimated_completion' IS NOT NULL`,
        [user.organizationId],
      );
      expect(n).toBe(12);
    } finally {
      await small.destroy().catch(() => undefined);
    }
  }, 60_000);
});
