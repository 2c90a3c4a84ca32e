// The tenant door into Postgres: a transaction that runs as the database role `mc_app`
// with the organization set for that one transaction, so row-level security (migration
// 1763800012000) scopes every statement even where the SQL forgets to. Request handlers
// reach it only through TenantScope (tenant-scope.ts), which hands out repositories.
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { poolOf, Queryable, transaction } from '../db';

export type { Queryable } from '../db';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** BEGIN's companion statement: become mc_app for `organizationId` until the transaction ends. */
export function tenantSetup(organizationId: string | null): string {
  // The id comes from a verified token; it is checked again because it is inlined (one
  // round trip opens the transaction and sets both). Without one, mc_app sees no rows.
  if (organizationId !== null && !UUID.test(organizationId)) throw new Error('tenant scope needs an organization id');
  return `SELECT set_config('role', 'mc_app', true), set_config('app.org_id', '${organizationId ?? ''}', true)`;
}

@Injectable()
export class TenantDb {
  constructor(private readonly ds: DataSource) {}

  /** Runs `fn` in one transaction that sees only `organizationId`'s rows. */
  run<T>(organizationId: string, fn: (db: Queryable) => Promise<T>): Promise<T> {
    return transaction(poolOf(this.ds), fn, { setup: tenantSetup(organizationId) });
  }

  /**
   * A transaction as mc_app with no organization: it sees no tenant rows, only what the
   * SECURITY DEFINER functions of the schema hand out (sign-in, invitations, refresh).
   */
  runAnonymous<T>(fn: (db: Queryable) => Promise<T>): Promise<T> {
    return transaction(poolOf(this.ds), fn, { setup: tenantSetup(null) });
  }

  /** One statement in the organization's scope. */
  query(organizationId: string, sql: string, params?: unknown[]): Promise<any[]> {
    return this.run(organizationId, (db) => db.query(sql, params));
  }
}
