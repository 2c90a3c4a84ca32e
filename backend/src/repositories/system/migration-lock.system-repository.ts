// The advisory lock migrations run under, so that an API and a worker starting together
// do not race each other. A session lock: held by one pooled connection of the pool
// under TypeORM's DataSource while the migrations run on others.
import type { DataSource } from 'typeorm';
import { poolOf } from '../db';

const MIGRATION_LOCK = 724_100_001;

export class MigrationLockSystemRepository {
  constructor(private readonly ds: DataSource) {}

  /** Runs `fn` holding the migration lock (waiting for it first). */
  async hold<T>(fn: () => Promise<T>): Promise<T> {
    const client = await poolOf(this.ds).connect();
    const onError = () => undefined; // a connection ended under it: the unlock below fails and the client is dropped
    client.on('error', onError);
    try {
      await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
      return await fn();
    } finally {
      const unlocked = await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).then(
        () => true,
        () => false,
      );
      client.removeListener('error', onError);
      client.release(!unlocked);
    }
  }
}
