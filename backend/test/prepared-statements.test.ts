// The system door (workers, the orchestrator's worker-sent events, sweeps) runs its
// statements with parameters as named prepared statements: parsed and planned once per
// connection. Statements without parameters, and the tenant door's, stay unnamed.
import { DataSource } from 'typeorm';
import { SystemDb } from '../src/repositories/system/system-db';
import { TenantDb } from '../src/repositories/tenant/tenant-db';
import { testDataSource } from './helpers';

let ds: DataSource;

beforeAll(async () => {
  ds = await testDataSource();
});
afterAll(async () => {
  await ds.destroy();
});

const PREPARED = `SELECT name, statement FROM pg_prepared_statements`;

it('prepares the system door statements with parameters once per connection', async () => {
  const db = new SystemDb(ds);
  const sql = `SELECT $1::int + 1 AS n /* prepared-statements test */`;
  const seen = await db.run(async (q) => {
    expect(await q.query(sql, [41])).toEqual([{ n: 42 }]);
    expect(await q.query(sql, [1])).toEqual([{ n: 2 }]);
    return q.query<{ name: string; statement: string }>(PREPARED);
  });
  const mine = seen.filter((s) => s.statement === sql);
  expect(mine).toHaveLength(1);
  expect(mine[0].name).toMatch(/^mc_[0-9a-f]{20}$/);
  // Without parameters: not named.
  expect(seen.some((s) => s.statement === PREPARED)).toBe(false);
});

it('leaves the tenant door statements unnamed', async () => {
  const [{ id: org }] = await ds.query(`INSERT INTO organizations (name, slug) VALUES ($1, $1) RETURNING id`, [`prep-${Date.now()}`]);
  const tenant = new TenantDb(ds);
  const sql = `SELECT $1::int * 2 AS n /* tenant door */`;
  const seen = await tenant.run(org, async (q) => {
    expect(await q.query(sql, [21])).toEqual([{ n: 42 }]);
    return q.query<{ statement: string }>(PREPARED);
  });
  expect(seen.some((s) => s.statement === sql)).toBe(false);
});
