// What /api/health asks Postgres, for no organization: that it answers, and how many
// stall alerts are open, by kind, across the deployment. Runs as mc_app with no
// organization (TenantDb.runAnonymous): it sees no tenant rows, only what the SECURITY
// DEFINER function of migration 1763800021000 hands out (counts, no rows).
import { Injectable } from '@nestjs/common';
import type { Queryable } from '../db';
import { TenantDb } from './tenant-db';

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

  /** Open alerts of every organization and the system-wide ones, by kind. */
  openAlertsByKind(): Promise<AlertKindCountRow[]> {
    return this.tenantDb.runAnonymous((db: Queryable) => db.query<AlertKindCountRow>(`SELECT kind, n FROM open_alert_counts()`));
  }
}
