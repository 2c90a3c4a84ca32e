// What /api/health and the readiness probes ask Postgres, for no organization: that it
// answers, which migrations are applied, and how many stall alerts are open, by kind,
// across the deployment. Runs as mc_app with no
// organization (TenantDb.runAnonymous): it sees no tenant rows, only what the SECURITY
// DEFINER function of migration 1763800021000 hands out (counts, no rows).
import { Injectable } from '@nestjs/common';
import { migrations } from '../../../../migrations';
import type { Queryable } from '../db';
import { TenantDb } from './tenant-db';

/** The names TypeORM records in schema_migrations for the migrations this build carries. */
const EXPECTED_MIGRATIONS: string[] = migrations.map((M) => new (M as new () => { name?: string })().name ?? M.name);

export interface AlertKindCountRow {
  kind: string;
  n: number;
}

@Injectable()
export class ProbeRepository {
  constructor(private readonly tenantDb: TenantDb) {}

  /** One round trip to Postgres (the transaction and a `SELECT 1`). */
  async ping(): Promise<void> {
    await this.tenantDb.runAnonymous((db) => db.query('SELECT 1'));
  }

  /**
   * The migrations of this build that schema_migrations does not list (none once the
   * schema is up to date). Once that is so, it stays so for this process: later calls
   * answer without asking Postgres.
   */
  async pendingMigrations(): Promise<string[]> {
    if (this.allApplied) return [];
    const rows = await this.tenantDb.runAnonymous((db: Queryable) => db.query<{ name: string }>(`SELECT name FROM schema_migrations`));
    const applied = new Set(rows.map((r) => r.name));
    const pending = EXPECTED_MIGRATIONS.filter((n) => !applied.has(n));
    if (pending.length === 0) this.allApplied = true;
    return pending;
  }

  private allApplied = false;

  /** Open alerts of every organization and the system-wide ones, by kind. */
  openAlertsByKind(): Promise<AlertKindCountRow[]> {
    return this.tenantDb.runAnonymous((db: Queryable) => db.query<AlertKindCountRow>(`SELECT kind, n FROM open_alert_counts()`));
  }
}
