// Shared set-up for integration tests: a DataSource on the run's database, the demo
// organizations and users, and courses made directly in SQL.
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/db/data-source';
import { seedDemo } from '../src/cli/demo-data';
import { DemoDataSystemRepository } from '../src/repositories/system/demo-data.system-repository';
import { SystemDb } from '../src/repositories/system/system-db';

export async function testDataSource(): Promise<DataSource> {
  const ds = createDataSource(process.env.DATABASE_URL!, { poolSize: 20, name: 'mc-test' });
  await ds.initialize();
  await seedDemo(new DemoDataSystemRepository(new SystemDb(ds)), 'test');
  return ds;
}

export async function orgId(ds: DataSource, slug = 'acme'): Promise<string> {
  const [{ id }] = await ds.query(`SELECT id FROM organizations WHERE slug = $1`, [slug]);
  return id;
}

export async function makeCourse(ds: DataSource, opts: { slug?: string; gates?: number[]; title?: string } = {}): Promise<string> {
  const org = await orgId(ds, opts.slug);
  const [{ id }] = await ds.query(
    `INSERT INTO courses (organization_id, title, approval_gates) VALUES ($1, $2, $3) RETURNING id`,
    [org, opts.title ?? `Course ${Math.random().toString(36).slice(2, 8)}`, opts.gates ?? []],
  );
  return id;
}

export function lessonsStructure(n: number) {
  return { sections: [{ title: 'S1', lessons: Array.from({ length: n }, (_, i) => ({ title: `L${i + 1}` })) }] };
}
