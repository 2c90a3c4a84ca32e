// The courses API's writes and cross-organization reads as mc_app (row-level security):
// restart and reject clean-up through tenant repositories in the orchestrator's
// transaction, and the platform figures (ETA medians, a budget projection's fallback)
// through their SECURITY DEFINER functions.
import { systemRepositories } from './system-repos';
import { MediansSystemRepository } from '../src/repositories/system/medians.system-repository';
import { SystemDb } from '../src/repositories/system/system-db';
import IORedis from 'ioredis';
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/access.decorators';
import { loadConfig } from '../src/config/app-config';
import { CoursesService } from '../src/courses/courses.service';
import { EtaService } from '../src/courses/eta.service';
import { StatusCache } from '../src/courses/status-cache';
import type { ModelProvider } from '../src/llm/model.types';
import { CourseOrchestrator } from '../src/orchestrator/course-orchestrator';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { testDataSource } from './helpers';

let ds: DataSource;
let redis: IORedis;
let scope: TenantScope;
let courses: CoursesService;

async function makeOrg(): Promise<AuthUser> {
  const slug = `tenant-${Math.random().toString(36).slice(2, 10)}`;
  const [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
  const email = `ops@${slug}.test`;
  const [{ id }] = await ds.query(`INSERT INTO users (organization_id, email, name, role, password_hash) VALUES ($1, $2, 'Ops', 'ops', 'x') RETURNING id`, [org, email]);
  return { id, email, name: 'Ops', role: 'ops', organizationId: org, operator: false };
}

async function makeCourse(user: AuthUser, budget: number | null = null): Promise<string> {
  const [{ id }] = await ds.query(`INSERT INTO courses (organization_id, title, approval_gates, budget_usd) VALUES ($1, 'C', '{}', $2) RETURNING id`, [user.organizationId, budget]);
  return id;
}

beforeAll(async () => {
  ds = await testDataSource();
  redis = new IORedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379', { maxRetriesPerRequest: null, lazyConnect: true });
  const config = loadConfig();
  scope = new TenantScope(new TenantDb(ds));
  const orchestrator = new CourseOrchestrator(systemRepositories(ds).courses, { drain: async () => 0 });
  courses = new CoursesService(orchestrator, config, new EtaService(scope, { name: 'simulated' } as ModelProvider), new StatusCache(redis, config), scope);
});
afterAll(async () => {
  redis.disconnect();
  await ds.destroy();
});

describe('courses as mc_app', () => {
  it('restart deletes the saved phase outputs, lessons and stage outputs, and records who restarted', async () => {
    const user = await makeOrg();
    const id = await makeCourse(user);
    await courses.start(user, id);
    await courses.cancel(user, id, 'stop');
    await ds.query(`INSERT INTO phase_outputs (course_id, stage, phase_key, run, output) VALUES ($1, 4, 'p#0', 1, '{}')`, [id]);
    await ds.query(
      `INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline) VALUES ($1, $2, 1, 1, 0, 'L', 'o')`,
      [id, user.organizationId],
    );
    await ds.query(`UPDATE courses SET analysis_result = '{"a":1}' WHERE id = $1`, [id]);
    const status = await courses.restart(user, id);
    expect(status).toMatchObject({ generationStatus: 'queued' });
    const [row] = await ds.query(
      `SELECT analysis_result, started_by, (SELECT count(*)::int FROM phase_outputs WHERE course_id = $1) AS outputs,
              (SELECT count(*)::int FROM lessons WHERE course_id = $1) AS lessons FROM courses WHERE id = $1`,
      [id],
    );
    expect(row).toMatchObject({ analysis_result: null, started_by: user.id, outputs: 0, lessons: 0 });
  });

  it('reads the phase-duration medians the worker computed across organizations (from the durations recorded as the events were written)', async () => {
    const other = await makeOrg();
    const id = await makeCourse(other);
    await ds.query(
      `INSERT INTO generation_status_history (course_id, organization_id, from_status, to_status, event, actor_type, actor_id, stage, phase, reason, run, created_at)
       VALUES ($1, $2, 'a', 'b', 'PHASE_STARTED', 'worker', 'w', 'stage_4', 'phase_1_classifier', 'phase_1_classifier#0', 1, now() - interval '10 seconds'),
              ($1, $2, 'b', 'c', 'PHASE_DONE', 'worker', 'w', 'stage_4', 'phase_1_classifier', 'phase_1_classifier#0', 1, now())`,
      [id, other.organizationId],
    );
    await ds.query(
      `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, idempotency_key)
       VALUES ($1, $2, 'stage_4', 'phase_1_classifier', 'p', 'm', 'simulated', 1, 1, 0, $3)`,
      [id, other.organizationId, `${id}-eta`],
    );
    await new MediansSystemRepository(new SystemDb(ds)).refresh();
    const user = await makeOrg();
    const asTenant = await scope.run(user.organizationId, (repos) => repos.courses.phaseDurationMedians('simulated'));
    expect(asTenant.find((r) => r.stage === 'stage_4' && r.phase === 'phase_1_classifier')?.median).toBeGreaterThan(0);
  });

  it("projects a course's cost from every organization's lessons when its own has none", async () => {
    const other = await makeOrg();
    const done = await makeCourse(other);
    await ds.query(
      `INSERT INTO lessons (course_id, organization_id, section_number, lesson_number, ordinal, title, outline, status) VALUES ($1, $2, 1, 1, 0, 'L', 'o', 'generated')`,
      [done, other.organizationId],
    );
    await ds.query(
      `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, idempotency_key)
       VALUES ($1, $2, 'stage_6', 'lesson', 'p', 'm', 'simulated', 1, 1, 0.5, $3)`,
      [done, other.organizationId, `${done}-lesson`],
    );
    const user = await makeOrg();
    const id = await makeCourse(user, 0.1);
    const p = await scope.run(user.organizationId, (repos) => repos.courses.projectCost(id, 4));
    const [all] = await ds.query(`SELECT usd / lessons AS per FROM lesson_cost_history_30d($1)`, [id]);
    expect(all.per).toBeGreaterThan(0);
    expect(p).toMatchObject({ budgetUsd: 0.1, spentUsd: 0, perLessonUsd: all.per });
    expect(p.projectedUsd).toBeCloseTo(4 * all.per, 8);
  });
});
