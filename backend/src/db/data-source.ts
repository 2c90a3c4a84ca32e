// The one TypeORM DataSource definition, used by both processes, the CLI and tests.
// Migrations run under a Postgres advisory lock so that an API and a worker starting
// together do not race each other.
import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations';
import { entities } from './entities';

export function createDataSource(url: string, opts: { poolSize?: number; name?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    entities,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: opts.poolSize ?? 10, application_name: opts.name ?? 'mission-control' },
  });
}

const MIGRATION_LOCK = 724_100_001;

export async function migrate(ds: DataSource): Promise<string[]> {
  const runner = ds.createQueryRunner();
  await runner.connect();
  try {
    await runner.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  } finally {
    await runner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await runner.release();
  }
}
