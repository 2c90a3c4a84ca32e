// Lists count at most 10,000 rows (list-query.ts COUNT_CAP): an organization with
// 10,050 traces gets `traces 0-24/10000+` from the traces list, run as mc_app through
// TenantScope, and the count statement stops at 10,001 rows (a Limit node in its plan,
// no more rows read than that). A selective filter keeps its exact count.
import { DataSource } from 'typeorm';
import type { Queryable } from '../src/repositories/db';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { TracesRepository } from '../src/repositories/tenant/traces.repository';
import { testDataSource } from './helpers';

const TRACES = 10_050;

type PlanNode = { 'Node Type': string; 'Actual Rows'?: number; 'Relation Name'?: string; Plans?: PlanNode[] };
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

let ds: DataSource;
let scope: TenantScope;
let org: string;

beforeAll(async () => {
  ds = await testDataSource();
  scope = new TenantScope(new TenantDb(ds));
  const slug = `capped-${Math.random().toString(36).slice(2, 10)}`;
  [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
  const [{ id: course }] = await ds.query(`INSERT INTO courses (organization_id, title, approval_gates) VALUES ($1, 'Big', '{}') RETURNING id`, [org]);
  // 10,050 traces, three of them by a model no other call used.
  await ds.query(
    `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, idempotency_key)
     SELECT $1::uuid, $2::uuid, 'stage_6', 'lesson', 'p', CASE WHEN g <= 3 THEN 'rare/model' ELSE 'common/model' END, 'simulated', 1, 1, 0, $1::text || '-capped-' || g
       FROM generate_series(1, $3::int) g`,
    [course, org, TRACES],
  );
  await ds.query(`ANALYZE generation_trace`);
}, 120_000);

afterAll(async () => {
  await ds.destroy();
});

describe('capped counts', () => {
  it('answers …/10000+ for a list over 10,000 rows', async () => {
    const started = Date.now();
    const { rows, range } = await scope.run(org, (repos) => repos.traces.page({ range: '[0,24]' }));
    expect(range).toBe('traces 0-24/10000+');
    expect(rows).toHaveLength(25);
    expect(Date.now() - started).toBeLessThan(2_000);
    // Past the cap the pages still come, the total still capped.
    const far = await scope.run(org, (repos) => repos.traces.page({ range: '[10025,10049]' }));
    expect(far.range).toBe('traces 10025-10049/10000+');
  });

  it('keeps the exact count for a selective filter', async () => {
    const { rows, range } = await scope.run(org, (repos) => repos.traces.page({ filter: JSON.stringify({ modelUsed: 'rare/model' }) }));
    expect(rows).toHaveLength(3);
    expect(range).toBe('traces 0-2/3');
  });

  it('counts with a Limit: the scan under it stops at 10,001 rows', async () => {
    const plans: { sql: string; plan: PlanNode }[] = [];
    await new TenantDb(ds).run(org, async (db) => {
      const explaining: Queryable = {
        query: async (sql: string, params?: readonly unknown[]) => {
          const [row] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [...(params ?? [])]);
          plans.push({ sql, plan: row['QUERY PLAN'][0].Plan });
          return [{ total: 0 }] as never[];
        },
      };
      await new TracesRepository(explaining, org).page({});
    });
    const count = plans.find((p) => /count\(\*\)/.test(p.sql));
    expect(count).toBeDefined();
    const all = nodes(count!.plan);
    expect(all.some((n) => n['Node Type'] === 'Limit')).toBe(true);
    const scanned = all.filter((n) => (n['Relation Name'] ?? '').startsWith('generation_trace')).map((n) => n['Actual Rows'] ?? 0);
    expect(scanned.length).toBeGreaterThan(0);
    expect(Math.max(...scanned)).toBeLessThanOrEqual(10_001);
  });
});
