// The system door into Postgres: the owner connection, across organizations, for system
// work only — workers, the orchestrator's worker-sent events, sweeps, the reconciler,
// the outbox relay, bootstrap and demo data. Only repositories under repositories/system
// use it, and API code may not import them (the boundaries test checks).
import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { DataSource } from 'typeorm';
import { poolOf, poolQueryable, Queryable, transaction, TransactionOptions } from '../db';
export { detached } from '../db';

@Injectable()
export class SystemDb {
  private readonly pool: Pool;
  /** one statement at a time, outside a transaction (statements are prepared: see db.ts) */
  readonly autocommit: Queryable;

  constructor(ds: DataSource) {
    this.pool = poolOf(ds);
    this.autocommit = poolQueryable(this.pool, true);
  }

  run<T>(fn: (db: Queryable) => Promise<T>, options?: TransactionOptions): Promise<T> {
    return transaction(this.pool, fn, { prepared: true, ...options });
  }
}
