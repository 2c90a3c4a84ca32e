// Queries on behalf of an organization run as the database role `mc_app` with the
// organization set for that one transaction, so Postgres's row-level security
// (migration 1763800012000) scopes them even where the SQL forgets to: a missing
// `organization_id = $n` leaks nothing. The workers and the orchestrator, which work
// across organizations, keep using the DataSource directly.
import { Injectable } from '@nestjs/common';
import type { Pool, PoolClient } from 'pg';
import { DataSource } from 'typeorm';

export interface Queryable {
  query(sql: string, params?: unknown[]): Promise<any[]>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

@Injectable()
export class TenantDb {
  constructor(private readonly ds: DataSource) {}

  private get pool(): Pool {
    return (this.ds.driver as unknown as { master: Pool }).master;
  }

  /** Runs `fn` in one transaction that sees only `organizationId`'s rows. */
  async run<T>(organizationId: string, fn: (db: Queryable) => Promise<T>): Promise<T> {
    // The id comes from a verified token; it is checked again because it is inlined
    // (one round trip opens the transaction and sets both settings).
    if (!UUID.test(organizationId)) throw new Error('tenant scope needs an organization id');
    const client: PoolClient = await this.pool.connect();
    let broken = false;
    try {
      await client.query(`BEGIN; SELECT set_config('role', 'mc_app', true), set_config('app.org_id', '${organizationId}', true)`);
      const db: Queryable = { query: async (sql, params) => (await client.query(sql, params as unknown[])).rows };
      const result = await fn(db);
      await client.query('COMMIT');
      return result;
    } catch (err) {
      await client.query('ROLLBACK').catch(() => { broken = true; });
      throw err;
    } finally {
      client.release(broken);
    }
  }

  /** One statement in the organization's scope. */
  query(organizationId: string, sql: string, params?: unknown[]): Promise<any[]> {
    return this.run(organizationId, (db) => db.query(sql, params));
  }
}
