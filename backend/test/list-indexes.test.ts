// Every sort and filter of the courses and traces lists (their list-query allow-lists,
// LIST_SPEC and the traces SPEC) has an index that serves it, on an organization of
// 20,000 courses and 40,000 traces, as mc_app under row-level security (where only
// leakproof operators are index conditions):
// - each sortable column, both directions: the page is read in index order (no Sort
//   node; an Incremental Sort of the ties is fine) and no sequential scan of the table;
// - each filter, with a selective value: no statement scans the table sequentially and
//   none reads rows only to throw them away (Rows Removed by Filter under 500).
// A new sort or filter without a sample value here, or without an index, fails.
import { DataSource } from 'typeorm';
import type { Queryable } from '../src/repositories/db';
import { LIST_SPEC } from '../src/repositories/tenant/courses.repository';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantRepositories } from '../src/repositories/tenant/tenant-scope';
import { TRACE_LIST_SPEC } from '../src/repositories/tenant/traces.repository';
import { testDataSource } from './helpers';

const COURSES = 20_000;
const TRACES = 40_000;
const ID = (g: string) => `('00000000-0000-4000-9000-' || lpad(to_hex(${g}), 12, '0'))::uuid`;
const idOf = (n: number) => `00000000-0000-4000-9000-${n.toString(16).padStart(12, '0')}`;

type PlanNode = {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Rows Removed by Filter'?: number;
  'Actual Loops'?: number;
  Plans?: PlanNode[];
};
const nodes = (plan: PlanNode): PlanNode[] => [plan, ...(plan.Plans ?? []).flatMap(nodes)];

let ds: DataSource;
let org: string;

beforeAll(async () => {
  ds = await testDataSource();
  const slug = `indexes-${Math.random().toString(36).slice(2, 10)}`;
  [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
  // 5 % failed, 0.5 % queued, 0.25 % at a stage-4 gate, 20 % Russian, 1 % each expensive / slow / low quality.
  await ds.query(
    `INSERT INTO courses (id, organization_id, title, description, language, status, generation_status, approval_gates, generation_metadata, created_at, updated_at)
     SELECT ${ID('g')}, $1, CASE WHEN g = 77 THEN 'Needle in the haystack' ELSE 'Course ' || g END, 'About topic ' || (g % 50),
            CASE WHEN g % 5 = 0 THEN 'ru' ELSE 'en' END,
            CASE WHEN g % 20 = 1 THEN 'failed' WHEN g % 200 = 2 THEN 'queued' WHEN g % 400 = 3 THEN 'generating' ELSE 'completed' END,
            CASE WHEN g % 20 = 1 THEN 'failed' WHEN g % 200 = 2 THEN 'queued' WHEN g % 400 = 3 THEN 'stage_4_awaiting_approval' ELSE 'completed' END,
            '{}',
            jsonb_build_object('cost_usd', CASE WHEN g % 100 = 4 THEN 2.5 ELSE 0.1 END,
                               'duration_ms', jsonb_build_object('total', CASE WHEN g % 100 = 5 THEN 60000 ELSE 5000 END),
                               'quality_scores', jsonb_build_object('overall', CASE WHEN g % 100 = 6 THEN 0.4 ELSE 0.9 END)),
            now() - make_interval(days => g % 365), now() - make_interval(days => g % 365)
       FROM generate_series(1, $2::int) g`,
    [org, COURSES],
  );
  // 1 % errors, 0.5 % each of a rare model, stage, phase and label; every 100th call of a lesson.
  await ds.query(
    `INSERT INTO generation_trace (course_id, organization_id, lesson_id, stage, phase, step_name, model_used, provider, tokens_used,
                                   input_tokens, output_tokens, cost_usd, duration_ms, label, error_data, idempotency_key, created_at)
     SELECT ${ID('1 + g % $3')}, $1::uuid, CASE WHEN g % 100 = 7 THEN ${ID('g')} END,
            CASE WHEN g % 200 = 1 THEN 'stage_2' ELSE 'stage_6' END, CASE WHEN g % 200 = 2 THEN 'rare_phase' ELSE 'lesson' END, 'p',
            CASE WHEN g % 200 = 3 THEN 'rare/model' ELSE 'common/model' END, 'simulated', g % 5000, g % 3000, g % 2000,
            (g % 1000) / 1e5, g % 9000, CASE WHEN g % 200 = 4 THEN 'rerun' ELSE 'first_try' END,
            CASE WHEN g % 100 = 5 THEN '{"message": "timeout"}'::jsonb END, 'indexes-' || $1::text || '-' || g, now() - make_interval(mins => g)
       FROM generate_series(1, $2::int) g`,
    [org, TRACES, COURSES],
  );
  await ds.query(`ANALYZE courses`);
  await ds.query(`ANALYZE generation_trace`);
}, 180_000);

afterAll(async () => {
  await ds.query(`DELETE FROM courses WHERE organization_id = $1`, [org]);
  await ds.destroy();
}, 120_000);

/** Runs a tenant repository call as mc_app, EXPLAIN ANALYZE-ing each SELECT it sends (and running it). */
async function plans(call: (repos: TenantRepositories) => Promise<unknown>): Promise<{ sql: string; plan: PlanNode }[]> {
  const out: { sql: string; plan: PlanNode }[] = [];
  await new TenantDb(ds).run(org, async (db) => {
    const explaining: Queryable = {
      query: async (sql: string, params?: readonly unknown[]) => {
        if (/^\s*(SELECT|WITH)/i.test(sql)) {
          const [row] = await db.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, [...(params ?? [])]);
          out.push({ sql, plan: row['QUERY PLAN'][0].Plan });
        }
        return db.query(sql, [...(params ?? [])]) as never;
      },
    };
    await call(new TenantRepositories(explaining, org));
  });
  return out;
}

// Traces are partitioned by month: a scan of one of its partitions counts, unless it read nothing (an empty month).
const ofTable = (n: PlanNode, table: string) => n['Relation Name'] === table || (n['Relation Name'] ?? '').startsWith(`${table}_p`);
const seqScans = (plan: PlanNode, table: string) =>
  nodes(plan).filter(
    (n) =>
      n['Node Type'] === 'Seq Scan' && ofTable(n, table) && ((n as { 'Actual Rows'?: number })['Actual Rows'] ?? 0) + (n['Rows Removed by Filter'] ?? 0) > 0,
  );
const removed = (plan: PlanNode) => nodes(plan).reduce((s, n) => s + (n['Rows Removed by Filter'] ?? 0) * (n['Actual Loops'] ?? 1), 0);
const describe_ = (p: PlanNode) =>
  nodes(p)
    .map((n) => `${n['Node Type']}${n['Index Name'] ? ` ${n['Index Name']}` : ''}`)
    .join(' > ');

const LISTS = {
  courses: {
    table: 'courses',
    spec: LIST_SPEC,
    list: (r: TenantRepositories, q: Record<string, unknown>) => r.courses.list(q),
    samples: {
      id: idOf(123),
      q: 'haystack',
      status: 'failed',
      generationStatus: 'queued',
      language: 'ru',
      stage: 4,
      createdFrom: new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10),
      createdTo: new Date(Date.now() - 360 * 86_400_000).toISOString().slice(0, 10),
      costAbove: 1,
      slowerThanMs: 30000,
      qualityBelow: 0.7,
      awaitingApproval: true,
      createdBy: idOf(9_999_999),
      qualityLow: true,
    } as Record<string, unknown>,
  },
  traces: {
    table: 'generation_trace',
    spec: TRACE_LIST_SPEC,
    list: (r: TenantRepositories, q: Record<string, unknown>) => r.traces.page(q),
    samples: {
      id: idOf(5),
      courseId: idOf(9),
      lessonId: idOf(107),
      stage: 'stage_2',
      phase: 'rare_phase',
      modelUsed: 'rare/model',
      label: 'rerun',
      hasError: true,
      courseTitle: 'Needle',
      day: new Date().toISOString().slice(0, 10),
      otelTraceId: '0af7651916cd43dd8448eb211c80319c',
    } as Record<string, unknown>,
  },
};

describe.each(Object.entries(LISTS))('the %s list', (_name, l) => {
  it('has a sample value for every filter of its allow-list', () => {
    expect(Object.keys(l.samples).sort()).toEqual(Object.keys(l.spec.filters).sort());
  });

  it.each(
    Object.keys(l.spec.sortable).flatMap((k) => [
      [k, 'ASC'],
      [k, 'DESC'],
    ]),
  )('sorted by %s %s reads its page in index order', async (key, dir) => {
    const [page] = await plans((r) => l.list(r, { sort: JSON.stringify([key, dir]) }));
    // An Incremental Sort (ties of an index's order sorted by id) still reads in index order; a Sort reads everything first.
    const sorts = nodes(page.plan).filter((n) => n['Node Type'] === 'Sort');
    expect({ key, plan: describe_(page.plan), sorts: sorts.length, seq: seqScans(page.plan, l.table).length }).toEqual({
      key,
      plan: describe_(page.plan),
      sorts: 0,
      seq: 0,
    });
  });

  it.each(Object.keys(l.samples))('filtered by %s finds its rows through an index', async (key) => {
    const all = await plans((r) => l.list(r, { filter: JSON.stringify({ [key]: l.samples[key] }) }));
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const { plan } of all) {
      const facts = { key, plan: describe_(plan), seq: seqScans(plan, l.table).length, wasted: removed(plan) < 500 };
      expect(facts).toEqual({ ...facts, seq: 0, wasted: true });
    }
  });
});

describe("the courses list's q", () => {
  it('is searched through the trigram indexes inside course_search_ids (as its owner runs it)', async () => {
    const [row] = await ds.query(
      `EXPLAIN (FORMAT JSON) SELECT c.id FROM courses c WHERE c.organization_id = $1 AND (c.title ILIKE '%haystack%' OR c.description ILIKE '%haystack%') LIMIT 10001`,
      [org],
    );
    const used = nodes(row['QUERY PLAN'][0].Plan).map((n: PlanNode) => n['Index Name']);
    expect(used).toEqual(expect.arrayContaining(['idx_courses_title_trgm', 'idx_courses_description_trgm']));
  });

  it('answers the matching courses of the organization only, and 10000+ past the cap', async () => {
    const one = await new TenantDb(ds).run(org, (db) => new TenantRepositories(db, org).courses.list({ filter: JSON.stringify({ q: 'haystack' }) }));
    expect(one.rows.map((r) => r.title)).toEqual(['Needle in the haystack']);
    expect(one.range).toBe('courses 0-0/1');
    const broad = await new TenantDb(ds).run(org, (db) => new TenantRepositories(db, org).courses.list({ filter: JSON.stringify({ q: 'course' }) }));
    expect(broad.range).toBe('courses 0-24/10000+');
  });
});
