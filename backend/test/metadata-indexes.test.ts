// Seed 001's analytics queries over courses.generation_metadata, on a table of 100k
// courses: the seed's three queries exactly as written and a containment query use an
// index (EXPLAIN (FORMAT JSON): no Seq Scan on courses), and so do the statements the
// API sends for the analyses and the course-list filters, run as mc_app under
// row-level security. Then the analyses answer the right courses of the right
// organization.
import { DataSource } from 'typeorm';
import type { Queryable } from '../src/repositories/db';
import { CoursesRepository } from '../src/repositories/tenant/courses.repository';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { parseGenerationsQuery, ReportsService } from '../src/reports/reports.service';
import type { AuthUser } from '../src/auth/access.decorators';
import { testDataSource } from './helpers';

let ds: DataSource;
let big: string;
const COURSES = 100_000;

type PlanNode = { 'Node Type': string; 'Relation Name'?: string; 'Index Name'?: string; Plans?: PlanNode[] };

function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** The plan's nodes; fails when any of them is a sequential scan of courses. */
function indexesUsed(plan: PlanNode): string[] {
  const all = nodes(plan);
  const seq = all.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'courses');
  expect(seq).toEqual([]);
  return all.map((n) => n['Index Name']).filter((n): n is string => !!n);
}

async function explain(db: Queryable, sql: string, params: unknown[] = []): Promise<PlanNode> {
  const [row] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (FORMAT JSON) ${sql}`, params);
  return row['QUERY PLAN'][0].Plan;
}

/** Runs a tenant repository call as mc_app, EXPLAINing every statement it sends instead. */
async function apiPlans(org: string, call: (repo: CoursesRepository) => Promise<unknown>): Promise<{ sql: string; plan: PlanNode }[]> {
  const plans: { sql: string; plan: PlanNode }[] = [];
  await new TenantDb(ds).run(org, async (db) => {
    const explaining: Queryable = {
      query: async (sql: string, params?: readonly unknown[]) => {
        plans.push({ sql, plan: await explain(db, sql, [...(params ?? [])]) });
        return [] as never[];
      },
    };
    await call(new CoursesRepository(explaining, org)).catch(() => undefined);
  });
  return plans;
}

async function makeOrg(): Promise<string> {
  const slug = `meta-${Math.random().toString(36).slice(2, 10)}`;
  const [{ id }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
  return id;
}

beforeAll(async () => {
  ds = await testDataSource();
  big = await makeOrg();
  // 100k courses: 10 % without metadata (not generated yet), 1 % each expensive, slow, low quality, on a rarer model.
  await ds.query(
    `INSERT INTO courses (organization_id, title, approval_gates, generation_metadata)
     SELECT $1, 'Bulk ' || g, '{}', CASE WHEN g % 10 = 0 THEN NULL ELSE jsonb_build_object(
              'model_used', jsonb_build_object('metadata', CASE WHEN g % 100 = 7 THEN 'qwen/qwen3-max' ELSE 'openai/gpt-oss-20b' END, 'sections', 'openai/gpt-oss-20b'),
              'cost_usd', CASE WHEN g % 100 = 1 THEN 1.5 + (g % 7) / 10.0 ELSE 0.05 + (g % 50) / 1000.0 END,
              'duration_ms', jsonb_build_object('total', CASE WHEN g % 100 = 2 THEN 45000 + g % 1000 ELSE 5000 + g % 20000 END),
              'quality_scores', jsonb_build_object('overall', CASE WHEN g % 100 = 3 THEN 0.5 ELSE 0.75 + (g % 20) / 100.0 END)) END
       FROM generate_series(1, $2::int) g`,
    [big, COURSES],
  );
  await ds.query(`ANALYZE courses`);
}, 300_000);

afterAll(async () => {
  await ds.query(`DELETE FROM courses WHERE organization_id = $1`, [big]);
  await ds.destroy();
}, 300_000);

const SEED_QUERIES = {
  expensive: [
    `SELECT id, title, generation_metadata->'cost_usd' as cost FROM courses WHERE (generation_metadata->>'cost_usd')::numeric > 1.0`,
    'idx_courses_meta_cost',
  ],
  slow: [
    `SELECT id, title, generation_metadata->'duration_ms'->'total' as duration FROM courses WHERE (generation_metadata->'duration_ms'->>'total')::int > 30000`,
    'idx_courses_meta_duration',
  ],
  low_quality: [
    `SELECT id, title, generation_metadata->'quality_scores'->'overall' as quality FROM courses WHERE (generation_metadata->'quality_scores'->>'overall')::numeric < 0.7`,
    'idx_courses_meta_quality',
  ],
} as const;

describe("seed 001's queries on 100k courses", () => {
  it.each(Object.entries(SEED_QUERIES))("the seed's %s query, as written, uses its expression index", async (_kind, [sql, index]) => {
    const plan = await explain(ds, sql);
    expect(indexesUsed(plan)).toContain(index);
    // And it answers what a scan would: 1 % of the 100k (plus the other tests' courses, if any qualify).
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM (${sql}) x JOIN courses c USING (id) WHERE c.organization_id = $1`, [big]);
    expect(n).toBe(COURSES / 100);
  });

  it('the same queries run by the system role (mc_system, as the owner runs them in production) use them too', async () => {
    for (const [sql, index] of Object.values(SEED_QUERIES)) {
      const plan = await ds.transaction(async (m) => {
        await m.query(`SET LOCAL ROLE mc_system`);
        const [row] = await m.query(`EXPLAIN (FORMAT JSON) ${sql}`);
        return row['QUERY PLAN'][0].Plan as PlanNode;
      });
      expect(indexesUsed(plan)).toContain(index);
    }
  });

  it('a containment query uses the GIN index', async () => {
    // A selective value (1 % of the courses): for a third of the table a scan is the better plan, and Postgres rightly takes it.
    const sql = `SELECT id FROM courses WHERE generation_metadata @> '{"model_used": {"metadata": "qwen/qwen3-max"}}'`;
    const plan = await explain(ds, sql);
    expect(indexesUsed(plan)).toContain('idx_courses_generation_metadata');
    const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM (${sql}) x JOIN courses c USING (id) WHERE c.organization_id = $1`, [big]);
    expect(n).toBe(COURSES / 100);
  });

  it("the API's analyses and course-list filters, as mc_app under row-level security, use the per-organization indexes", async () => {
    const cases: [string, (r: CoursesRepository) => Promise<unknown>, string][] = [
      ['report expensive', (r) => r.generationAnalysis('expensive', 1.0, {}), 'idx_courses_org_metadata_cost_usd'],
      ['report slow', (r) => r.generationAnalysis('slow', 30000, {}), 'idx_courses_org_metadata_duration_ms'],
      ['report low_quality', (r) => r.generationAnalysis('low_quality', 0.7, {}), 'idx_courses_org_metadata_quality'],
      ['filter costAbove', (r) => r.list({ filter: JSON.stringify({ costAbove: 1 }) }), 'idx_courses_org_metadata_cost_usd'],
      ['filter slowerThanMs', (r) => r.list({ filter: JSON.stringify({ slowerThanMs: 30000 }) }), 'idx_courses_org_metadata_duration_ms'],
      ['filter qualityBelow', (r) => r.list({ filter: JSON.stringify({ qualityBelow: 0.7 }) }), 'idx_courses_org_metadata_quality'],
    ];
    for (const [name, call, index] of cases) {
      const plans = await apiPlans(big, call);
      // The page and its count.
      expect({ name, statements: plans.length }).toEqual({ name, statements: 2 });
      // No statement scans courses; the count reads the analysis's index (the page may
      // instead walk the sort's index, (organization_id, created_at, id), to its first 25).
      const used = plans.flatMap(({ plan }) => indexesUsed(plan));
      expect({ name, indexes: used }).toEqual({ name, indexes: expect.arrayContaining([index]) });
    }
  });
});

describe('the analyses answer the right courses', () => {
  let org: string;
  let other: string;
  const ids: Record<string, string> = {};
  const course = async (o: string, name: string, meta: Record<string, unknown> | null) => {
    const [{ id }] = await ds.query(
      `INSERT INTO courses (organization_id, title, approval_gates, generation_metadata) VALUES ($1, $2, '{}', $3) RETURNING id`,
      [o, name, meta],
    );
    ids[name] = id;
  };
  const meta = (cost: number, total: number, overall: number) => ({ cost_usd: cost, duration_ms: { total }, quality_scores: { overall } });

  beforeAll(async () => {
    org = await makeOrg();
    other = await makeOrg();
    await course(org, 'expensive', meta(1.2, 10000, 0.9));
    await course(org, 'slow', meta(0.5, 40000, 0.9));
    await course(org, 'poor', meta(0.5, 10000, 0.6));
    await course(org, 'at the thresholds', meta(1.0, 30000, 0.7));
    await course(org, 'not generated', null);
    await course(other, 'foreign', meta(9, 99999, 0.1));
  });

  const user = (o: string): AuthUser => ({
    id: '00000000-0000-4000-8000-000000000000',
    email: 'f@x.test',
    name: 'F',
    role: 'finance',
    organizationId: o,
    operator: false,
  });
  const titles = (rows: { id: string }[]) => rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]);

  it("each kind with the seed's default threshold: only the organization's courses past it, the value beside them", async () => {
    const reports = new ReportsService(new TenantScope(new TenantDb(ds)));
    const expensive = await reports.generations(user(org), parseGenerationsQuery({ kind: 'expensive' }));
    expect(titles(expensive.data)).toEqual(['expensive']);
    expect(expensive.data[0]).toMatchObject({ value: 1.2, costUsd: 1.2, durationMs: 10000, quality: 0.9 });
    expect(expensive.range).toBe('generations 0-0/1');
    expect(titles((await reports.generations(user(org), parseGenerationsQuery({ kind: 'slow' }))).data)).toEqual(['slow']);
    expect(titles((await reports.generations(user(org), parseGenerationsQuery({ kind: 'low_quality' }))).data)).toEqual(['poor']);
    // Another organization's courses never show.
    expect(titles((await reports.generations(user(other), parseGenerationsQuery({ kind: 'low_quality' }))).data)).toEqual(['foreign']);
  });

  it('thresholds as parameters, worst first, paged with Content-Range', async () => {
    const reports = new ReportsService(new TenantScope(new TenantDb(ds)));
    const cheap = await reports.generations(user(org), parseGenerationsQuery({ kind: 'expensive', threshold: '0.4' }));
    expect(titles(cheap.data).slice(0, 2)).toEqual(['expensive', 'at the thresholds']);
    expect(cheap.range).toBe('generations 0-3/4');
    const page = await reports.generations(user(org), parseGenerationsQuery({ kind: 'low_quality', threshold: '0.95', range: '[0,1]' }));
    expect(titles(page.data)).toEqual(['poor', 'at the thresholds']);
    expect(page.range).toBe('generations 0-1/4');
  });

  it('the course list filters by the same analyses', async () => {
    const scope = new TenantScope(new TenantDb(ds));
    const list = (filter: object) => scope.run(org, (r) => r.courses.list({ filter: JSON.stringify(filter) })).then((x) => titles(x.rows).sort());
    expect(await list({ costAbove: 1 })).toEqual(['expensive']);
    expect(await list({ slowerThanMs: 30000 })).toEqual(['slow']);
    expect(await list({ qualityBelow: 0.7 })).toEqual(['poor']);
    expect(await list({ costAbove: 0.4, qualityBelow: 0.8 })).toEqual(['at the thresholds', 'poor']);
  });

  it('bad parameters are 400s naming the field', async () => {
    expect(() => parseGenerationsQuery({})).toThrow(/kind/);
    expect(() => parseGenerationsQuery({ kind: 'cheap' })).toThrow(/kind.*expensive, slow, low_quality/);
    expect(() => parseGenerationsQuery({ kind: 'slow', threshold: 'abc' })).toThrow(/threshold/);
    expect(() => parseGenerationsQuery({ kind: 'slow', threshold: '-1' })).toThrow(/threshold/);
    expect(() => parseGenerationsQuery({ kind: 'slow', since: '1' })).toThrow(/since/);
    const scope = new TenantScope(new TenantDb(ds));
    await expect(scope.run(org, (r) => r.courses.list({ filter: JSON.stringify({ costAbove: 'lots' }) }))).rejects.toThrow(/filter.costAbove/);
    await expect(scope.run(org, (r) => r.courses.list({ filter: JSON.stringify({ qualityBelow: true }) }))).rejects.toThrow(/filter.qualityBelow/);
  });
});
