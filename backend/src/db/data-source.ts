// The one TypeORM DataSource definition, used by both processes, the CLI and tests.
// TypeORM only runs migrations; everything else reaches Postgres through the pg pool
// under it (repositories/db.ts). Migrations run under a Postgres advisory lock
// (repositories/system/migration-lock.system-repository.ts) so that an API and a worker
// starting together do not race each other.
import { DataSource } from 'typeorm';
import { migrations } from '../../../migrations';
import { MigrationLockSystemRepository } from '../repositories/system/migration-lock.system-repository';

export function createDataSource(url: string, opts: { poolSize?: number; name?: string } = {}): DataSource {
  return new DataSource({
    type: 'postgres',
    url,
    migrations,
    migrationsTableName: 'schema_migrations',
    migrationsTransactionMode: 'each',
    synchronize: false,
    logging: false,
    extra: { max: opts.poolSize ?? 10, application_name: opts.name ?? 'mission-control' },
  });
}

export async function migrate(ds: DataSource): Promise<string[]> {
  return new MigrationLockSystemRepository(ds).hold(async () => {
    const done = await ds.runMigrations({ transaction: 'each' });
    return done.map((m) => m.name);
  });
}
