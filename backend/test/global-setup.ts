// One fresh database per test run: created empty, migrated from nothing, dropped at
// the end. Tests read its URL from DATABASE_URL.
import { Client } from 'pg';
import { createDataSource, migrate } from '../src/db/data-source';

export default async function globalSetup(): Promise<void> {
  const admin = process.env.TEST_ADMIN_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const name = `mc_test_${Date.now().toString(36)}_${process.pid}`;
  const client = new Client({ connectionString: admin });
  await client.connect();
  await client.query(`CREATE DATABASE ${name}`);
  await client.end();
  const url = new URL(admin);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.MC_TEST_DATABASE = name;
  process.env.QUEUE_PREFIX = `mct${Date.now().toString(36)}`;
  const ds = createDataSource(process.env.DATABASE_URL);
  await ds.initialize();
  await migrate(ds);
  await ds.destroy();
}
