// Traces and status history are partitioned by month: the rules keep working on the
// partitioned tables (closed months refuse changes, rollups follow inserts, tenants see
// only their rows), a call is recorded once per idempotency key, the worker keeps
// partitions ahead, and retention drops a whole month by detaching its partition while
// the cost books keep its totals.
import { DataSource } from 'typeorm';
import { PartitionKeeper, retentionCutoff } from '../src/orchestrator/partition-keeper';
import { PartitionsSystemRepository } from '../src/repositories/system/partitions.system-repository';
import { SystemDb } from '../src/repositories/system/system-db';
import { TracesSystemRepository } from '../src/repositories/system/traces.system-repository';
import { makeCourse, orgId, testDataSource } from './helpers';

jest.setTimeout(60_000);

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

const monthStart = (offset: number) => {
  const now = new Date();
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + offset, 1));
};
const partName = (table: string, d: Date) => `${table}_p${d.getUTCFullYear()}_${String(d.getUTCMonth() + 1).padStart(2, '0')}`;

async function trace(course: string, org: string, at: Date, cost: string, key = `k-${Math.random().toString(36).slice(2)}`) {
  await ds.query(
    `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, created_at, idempotency_key)
     VALUES ($1, $2, 'stage_4', 'p', 'p', 'm/retention', 'simulated', 10, 5, $3, $4, $5)`,
    [course, org, cost, at, key],
  );
}

describe('partitioned traces and history', () => {
  it('are partitioned by month, with this month and the months ahead made and row-level security on', async () => {
    const rows = await ds.query(
      `SELECT c.relname, c.relkind, c.relrowsecurity AS rls, c.relforcerowsecurity AS forced FROM pg_class c
        WHERE c.relname IN ('generation_trace', 'generation_status_history')`,
    );
    expect(rows).toHaveLength(2);
    for (const r of rows) expect(r).toMatchObject({ relkind: 'p', rls: true, forced: true });
    const parts: { relname: string }[] = await ds.query(`SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'generation_trace'::regclass`);
    const names = parts.map((p) => p.relname);
    for (const offset of [0, 1, 2, 3]) expect(names).toContain(partName('generation_trace', monthStart(offset)));
    expect(names).toContain('generation_trace_pdefault');
  });

  it('records a call once per idempotency key, in its month partition, and finds it again by the key', async () => {
    const org = await orgId(ds);
    const course = await makeCourse(ds);
    const traces = new TracesSystemRepository(new SystemDb(ds));
    const write = {
      courseId: course, organizationId: org, lessonId: null, run: 1, stage: 'stage_4', phase: 'structure', stepName: 'structure',
      model: 'openai/gpt-oss-20b', provider: 'simulated', inputTokens: 1000, outputTokens: 500, durationMs: 12, attempt: 1, label: 'first_try',
      input: { prompt: 'x' }, output: { ok: true }, error: null, idempotencyKey: `${course}-once`,
    };
    const [first, second] = await Promise.all([traces.recordAttempt(write), traces.recordAttempt(write)]);
    expect([first, second].filter(Boolean)).toHaveLength(1);
    const stored = await ds.query(`SELECT tableoid::regclass::text AS part, cost_usd FROM generation_trace WHERE course_id = $1`, [course]);
    expect(stored).toHaveLength(1);
    expect(stored[0].part).toBe(partName('generation_trace', monthStart(0)));
    expect(await traces.storedCost(write.idempotencyKey)).toBe(stored[0].cost_usd);
    const state = await traces.callState(write.idempotencyKey, org, []);
    expect(state?.stored).toMatchObject({ input_tokens: 1000, output_tokens: 500, output_data: { ok: true } });
  });

  it('keeps the closed-month rule and the rollups on the partitioned table', async () => {
    const org = await orgId(ds, 'globex');
    const course = await makeCourse(ds, { slug: 'globex' });
    const day = new Date(Date.UTC(2025, 4, 10, 12));
    await trace(course, org, day, '0.25000000');
    const [rollup] = await ds.query(`SELECT sum(cost_usd)::text AS cost FROM cost_daily_org_rollup WHERE organization_id = $1 AND day = '2025-05-10' AND model = 'm/retention'`, [org]);
    expect(rollup.cost).toBe('0.25000000');
    await ds.query(`INSERT INTO cost_closed_months (organization_id, month) VALUES ($1, '2025-05-01')`, [org]);
    await expect(trace(course, org, new Date(Date.UTC(2025, 4, 11)), '0.1')).rejects.toThrow(/closed/);
    await expect(ds.query(`DELETE FROM generation_trace WHERE course_id = $1`, [course])).rejects.toThrow(/closed/);
  });

  it('keeps partitions ahead and drops the months past retention whole, the cost totals kept', async () => {
    const partitions = new PartitionsSystemRepository(new SystemDb(ds));
    const org = await orgId(ds);
    const course = await makeCourse(ds);
    // Two old months get their partitions (as they would have had when they were current) and rows.
    const old = monthStart(-14);
    const kept = monthStart(-2);
    for (const m of [old, kept]) {
      const next = new Date(Date.UTC(m.getUTCFullYear(), m.getUTCMonth() + 1, 1));
      for (const table of ['generation_trace', 'generation_status_history']) {
        await ds.query(`SELECT mc_ensure_month_partitions($1::regclass, $2::date, $3::date)`, [table, m.toISOString().slice(0, 10), next.toISOString().slice(0, 10)]);
      }
    }
    const oldDay = new Date(old.getTime() + 3 * 86_400_000);
    await trace(course, org, oldDay, '1.50000000', `${course}-old`);
    await ds.query(`INSERT INTO generation_trace_keys (idempotency_key, trace_id, created_at) VALUES ($1, gen_random_uuid(), $2)`, [`${course}-old`, oldDay]);
    await trace(course, org, new Date(kept.getTime() + 86_400_000), '0.50000000');
    await ds.query(
      `INSERT INTO generation_status_history (course_id, organization_id, from_status, to_status, event, actor_type, actor_id, created_at)
       VALUES ($1, $2, 'queued', 'queued', 'NOTE', 'system', 'test', $3)`,
      [course, org, oldDay],
    );
    const rollupBefore = await ds.query(`SELECT sum(cost_usd)::text AS cost FROM cost_daily_org_rollup WHERE organization_id = $1 AND model = 'm/retention'`, [org]);

    const keeper = new PartitionKeeper(partitions, { monthsAhead: 5, retentionMonths: 12 });
    const { made, dropped } = await keeper.sweep();
    expect(made).toBeGreaterThanOrEqual(2); // months 4 and 5 ahead, for both tables
    expect(dropped).toEqual(expect.arrayContaining([partName('generation_trace', old), partName('generation_status_history', old)]));
    expect(dropped).not.toContain(partName('generation_trace', kept));
    const left = await ds.query(`SELECT cost_usd::text FROM generation_trace WHERE course_id = $1 ORDER BY created_at`, [course]);
    expect(left).toEqual([{ cost_usd: '0.50000000' }]);
    const history = await ds.query(`SELECT count(*)::int AS n FROM generation_status_history WHERE course_id = $1 AND event = 'NOTE'`, [course]);
    expect(history[0].n).toBe(0);
    const keys = await ds.query(`SELECT count(*)::int AS n FROM generation_trace_keys WHERE idempotency_key = $1`, [`${course}-old`]);
    expect(keys[0].n).toBe(0);
    // The books keep the dropped month's totals: detaching deletes no row one by one.
    const rollupAfter = await ds.query(`SELECT sum(cost_usd)::text AS cost FROM cost_daily_org_rollup WHERE organization_id = $1 AND model = 'm/retention'`, [org]);
    expect(rollupAfter).toEqual(rollupBefore);
    const listed = await partitions.list();
    expect(listed.map((p) => p.partition)).toContain(partName('generation_trace', monthStart(5)));
    // A second sweep has nothing to do.
    expect(await keeper.sweep()).toEqual({ made: 0, dropped: [] });
  });

  it('computes the retention cutoff from the current month', () => {
    expect(retentionCutoff(new Date('2026-12-15T10:00:00Z'), 0)).toBeNull();
    expect(retentionCutoff(new Date('2026-12-15T10:00:00Z'), 1)?.toISOString()).toBe('2026-12-01T00:00:00.000Z');
    expect(retentionCutoff(new Date('2026-12-15T10:00:00Z'), 13)?.toISOString()).toBe('2025-12-01T00:00:00.000Z');
  });
});
