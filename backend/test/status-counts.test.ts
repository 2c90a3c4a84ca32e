// The per-organization status counts (course_status_counts, what the overview and
// /api/metrics read instead of counting courses) stay equal to a GROUP BY over the
// courses through bulk inserts, state changes, deleting many courses in one statement
// and deleting some of them one by one — and a bulk delete is counted per statement.
import { DataSource } from 'typeorm';
import { testDataSource } from './helpers';

let ds: DataSource;
let org: string;

async function counted(): Promise<Record<string, number>> {
  const rows: { k: string; n: number }[] = await ds.query(
    `SELECT status || '/' || generation_status AS k, n::int AS n FROM course_status_counts WHERE organization_id = $1 AND n <> 0`,
    [org],
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

async function actual(): Promise<Record<string, number>> {
  const rows: { k: string; n: number }[] = await ds.query(
    `SELECT status || '/' || generation_status AS k, count(*)::int AS n FROM courses WHERE organization_id = $1 GROUP BY 1`,
    [org],
  );
  return Object.fromEntries(rows.map((r) => [r.k, r.n]));
}

beforeAll(async () => {
  ds = await testDataSource();
  const slug = `counts-${Math.random().toString(36).slice(2, 10)}`;
  [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [slug]);
});

afterAll(async () => {
  await ds.destroy();
});

it('keeps the counts equal to the courses through inserts, changes and deletes', async () => {
  await ds.query(
    `INSERT INTO courses (organization_id, title, approval_gates, status, generation_status)
     SELECT $1, 'Count ' || g, '{}',
            (ARRAY['idle', 'completed', 'failed', 'cancelled'])[1 + g % 4],
            (ARRAY['idle', 'completed', 'failed', 'cancelled'])[1 + g % 4]
       FROM generate_series(1, 4000) g`,
    [org],
  );
  expect(await counted()).toEqual({ 'idle/idle': 1000, 'completed/completed': 1000, 'failed/failed': 1000, 'cancelled/cancelled': 1000 });

  // A state change moves one course between two counts.
  await ds.query(
    `UPDATE courses SET status = 'queued', generation_status = 'queued' WHERE id IN (SELECT id FROM courses WHERE organization_id = $1 AND status = 'idle' LIMIT 7)`,
    [org],
  );
  expect(await counted()).toEqual(await actual());
  expect((await counted())['queued/queued']).toBe(7);

  // Many courses in one statement, of several states at once.
  await ds.query(`DELETE FROM courses WHERE organization_id = $1 AND status IN ('completed', 'failed', 'queued') AND title NOT LIKE 'Count 1%'`, [org]);
  expect(await counted()).toEqual(await actual());

  // And one at a time.
  for (const { id } of await ds.query(`SELECT id FROM courses WHERE organization_id = $1 AND status = 'cancelled' LIMIT 3`, [org])) {
    await ds.query(`DELETE FROM courses WHERE id = $1`, [id]);
  }
  expect(await counted()).toEqual(await actual());

  // Everything left, in one statement: nothing counted any more.
  await ds.query(`DELETE FROM courses WHERE organization_id = $1`, [org]);
  expect(await counted()).toEqual({});
}, 120_000);

it('counts a delete once per statement, not once per deleted course', async () => {
  const [trigger] = await ds.query(
    `SELECT pg_get_triggerdef(oid) AS def FROM pg_trigger WHERE tgrelid = 'courses'::regclass AND tgname = 'courses_count_delete'`,
  );
  expect(trigger.def).toMatch(/REFERENCING OLD TABLE AS \w+ FOR EACH STATEMENT/);
});
