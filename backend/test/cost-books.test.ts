// The cost books against real Postgres: the CSV report is read through a server-side
// cursor a batch at a time (and gives its connection back when the reader stops
// early), and budget thresholds fire exactly once each, in order, while many
// connections record traces for one organization at the same time.
import { DataSource } from 'typeorm';
import type { AuthUser } from '../src/auth/access.decorators';
import { ReportsService } from '../src/reports/reports.service';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { TenantScope } from '../src/repositories/tenant/tenant-scope';
import { testDataSource } from './helpers';

// The machine running the suite may be loaded: give the bulk inserts room.
jest.setTimeout(60_000);

let ds: DataSource;
beforeAll(async () => { ds = await testDataSource(); });
afterAll(async () => { await ds.destroy(); });

async function makeOrg(): Promise<{ org: string; courses: string[] }> {
  const slug = `books-${Math.random().toString(36).slice(2, 10)}`;
  const [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
  const courses = await ds.query(
    `INSERT INTO courses (organization_id, title, approval_gates) SELECT $1, 'Books ' || g, '{}' FROM generate_series(1, 20) g RETURNING id`,
    [org],
  );
  return { org, courses: courses.map((c: { id: string }) => c.id) };
}

const user = (org: string): AuthUser => ({ id: '00000000-0000-0000-0000-000000000000', email: 'f@x', name: 'F', role: 'finance', organizationId: org, operator: false });

describe('cost report CSV', () => {
  it('streams through a cursor, batch by batch, with the same sums as the traces', async () => {
    const { org } = await makeOrg();
    // 20 courses × 60 days × 4 models = 4800 report rows.
    await ds.query(
      `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, created_at, idempotency_key)
       SELECT c.id, c.organization_id, 'stage_4', 'p', 'p', m, 'simulated', 100, 50, round((random() * 0.01)::numeric, 8),
              timestamptz '2026-01-01T12:00:00Z' + d * interval '1 day', c.id || '-' || d || '-' || m
         FROM courses c, generate_series(0, 59) d, unnest(ARRAY['a/1', 'b/2', 'c/3', 'd/4']) m
        WHERE c.organization_id = $1`,
      [org],
    );
    // As the API runs it: mc_app under row-level security, in the organization's scope.
    const reports = new ReportsService(new TenantScope(new TenantDb(ds)));
    const q = reports.parse({ from: '2026-01-01', to: '2026-03-31', groupBy: 'day,course,model' });
    const chunks: string[] = [];
    let sawCursor = false;
    for await (const chunk of reports.costCsvStream(user(org), q, 500)) {
      chunks.push(chunk);
      if (chunks.length === 3) {
        const open = await ds.query(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'FETCH 500 FROM cost_csv%'`);
        sawCursor = open[0].n > 0;
      }
    }
    expect(sawCursor).toBe(true);
    expect(chunks).toHaveLength(1 + Math.ceil(4800 / 500));
    const lines = chunks.join('').trim().split('\n');
    expect(lines[0]).toBe('day,courseId,courseTitle,model,calls,inputTokens,outputTokens,costUsd');
    expect(lines).toHaveLength(4801);
    const cents = lines.slice(1).reduce((s, l) => s + BigInt(l.split(',').at(-1)!.replace('.', '')), 0n);
    const [{ total }] = await ds.query(`SELECT sum(cost_usd)::numeric(18, 8)::text AS total FROM generation_trace WHERE organization_id = $1`, [org]);
    expect(cents).toBe(BigInt(total.replace('.', '')));

    // A reader that stops early closes the cursor and releases the connection.
    const early = reports.costCsvStream(user(org), q, 100);
    await early.next();
    await early.next();
    await early.return(undefined);
    const [{ n }] = await ds.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction' AND query LIKE 'FETCH 100 FROM cost_csv%'`,
    );
    expect(n).toBe(0);
  });
});

describe('cost rollups', () => {
  it('follow updates that move traces between rollup rows, and deletes, statement by statement', async () => {
    const { org } = await makeOrg();
    await ds.query(
      `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, input_tokens, output_tokens, cost_usd, label, created_at, idempotency_key)
       SELECT c.id, c.organization_id, 'stage_' || (2 + d % 5), 'p', 'p', m, 'simulated', d * 10, d, round((random() * 0.01)::numeric, 8),
              (ARRAY['first_try', 'retry', 'fallback'])[1 + d % 3], timestamptz '2026-02-01T00:00:00Z' + d * interval '7 hours', c.id || '-' || d || '-' || m
         FROM courses c, generate_series(0, 29) d, unnest(ARRAY['a/1', 'b/2']) m WHERE c.organization_id = $1`,
      [org],
    );
    await ds.query(`UPDATE generation_trace SET cost_usd = cost_usd * 3, model_used = 'c/3' WHERE organization_id = $1 AND input_tokens % 3 = 0`, [org]);
    await ds.query(`UPDATE generation_trace SET label = 'repair', created_at = created_at + interval '2 days' WHERE organization_id = $1 AND input_tokens % 7 = 0`, [org]);
    await ds.query(`DELETE FROM generation_trace WHERE organization_id = $1 AND (input_tokens % 4 = 0 OR model_used = 'b/2' AND input_tokens % 5 = 0)`, [org]);
    const [{ n, empty }] = await ds.query(
      `SELECT (SELECT count(*)::int FROM (
                 SELECT (created_at AT TIME ZONE 'UTC')::date AS day, course_id, model_used AS model, stage, label,
                        count(*) AS calls, sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cost_usd) AS c
                   FROM generation_trace WHERE organization_id = $1 GROUP BY 1, 2, 3, 4, 5) t
               FULL JOIN (SELECT day, course_id, model, stage, label, calls, input_tokens AS i, output_tokens AS o, cost_usd AS c
                            FROM cost_daily_rollup WHERE organization_id = $1) r USING (day, course_id, model, stage, label)
               WHERE (t.calls, t.i, t.o, t.c) IS DISTINCT FROM (r.calls, r.i, r.o, r.c)) AS n,
              (SELECT count(*)::int FROM cost_daily_rollup WHERE organization_id = $1 AND calls = 0) AS empty`,
      [org],
    );
    expect(n).toBe(0);
    expect(empty).toBe(0);
    // The rollup without the course follows the same changes.
    const [org2] = await ds.query(
      `SELECT (SELECT count(*)::int FROM (
                 SELECT (created_at AT TIME ZONE 'UTC')::date AS day, model_used AS model, stage, label,
                        count(*) AS calls, sum(input_tokens) AS i, sum(output_tokens) AS o, sum(cost_usd) AS c
                   FROM generation_trace WHERE organization_id = $1 GROUP BY 1, 2, 3, 4) t
               FULL JOIN (SELECT day, model, stage, label, calls, input_tokens AS i, output_tokens AS o, cost_usd AS c
                            FROM cost_daily_org_rollup WHERE organization_id = $1) r USING (day, model, stage, label)
               WHERE (t.calls, t.i, t.o, t.c) IS DISTINCT FROM (r.calls, r.i, r.o, r.c)) AS n,
              (SELECT count(*)::int FROM cost_daily_org_rollup WHERE organization_id = $1) AS keys`,
      [org],
    );
    expect(org2.n).toBe(0);
    expect(org2.keys).toBeGreaterThan(10);
  });
});

describe('budget thresholds', () => {
  it('fire exactly once each, in order, under concurrent traces', async () => {
    const { org, courses } = await makeOrg();
    const thresholds = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100];
    await ds.query(`UPDATE organizations SET monthly_budget_usd = 1, budget_thresholds = $2 WHERE id = $1`, [org, thresholds]);
    // 16 writers × 10 traces × $0.01 = $1.60 against a $1 budget.
    await Promise.all(Array.from({ length: 16 }, (_, w) => (async () => {
      for (let i = 0; i < 10; i++) {
        await ds.query(
          `INSERT INTO generation_trace (course_id, organization_id, stage, phase, step_name, model_used, provider, cost_usd, idempotency_key)
           VALUES ($1, $2, 'stage_4', 'p', 'p', 'a/1', 'simulated', 0.01, $3)`,
          [courses[w % courses.length], org, `${org}-w${w}-${i}`],
        );
      }
    })()));
    const crossings = await ds.query(
      `SELECT threshold, spent_usd::float8 AS spent FROM budget_threshold_crossings WHERE organization_id = $1 ORDER BY crossed_at, threshold`,
      [org],
    );
    expect(crossings.map((c: { threshold: number }) => c.threshold)).toEqual(thresholds);
    // Each fired at the first trace that reached it: spend was below it one cent earlier.
    for (const c of crossings) {
      expect(c.spent).toBeGreaterThanOrEqual(c.threshold / 100 - 1e-9);
      expect(c.spent - 0.01).toBeLessThan(c.threshold / 100 - 1e-9);
    }
    const [{ outbox }] = await ds.query(
      `SELECT count(*)::int AS outbox FROM outbox WHERE kind = 'budgetThreshold' AND payload->>'organizationId' = $1`, [org]);
    expect(outbox).toBe(thresholds.length);
    const metrics = await ds.query(
      `SELECT (metadata->>'threshold')::int AS t FROM system_metrics WHERE metric_type = 'budget_threshold' AND organization_id = $1 ORDER BY id`, [org]);
    expect(metrics.map((m: { t: number }) => m.t)).toEqual(thresholds);
  });
});
