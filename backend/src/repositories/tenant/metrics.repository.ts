// What /api/metrics reads for one organization: courses by status, calls, tokens, spend, alerts.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import type { Queryable } from '../db';
import { monthSpendSql } from '../month-spend';
import { AWAITING_STATES } from './courses.repository';

export interface CountByStatusRow {
  status: string;
  n: number;
}

export interface CountByKindRow {
  kind: string;
  n: number;
}

/** Sums by model and attempt label; counts as decimal text (bigint sums). */
export interface SpendByModelLabelRow {
  model: string;
  label: string;
  calls: string;
  input: string;
  output: string;
  cost: number;
}

export interface MonthSpendRow {
  budget: number | null;
  spent: number;
}

export class MetricsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** From course_status_counts, which a trigger on courses keeps in each change's transaction. */
  coursesByStatus(): Promise<CountByStatusRow[]> {
    return this.db.query<CountByStatusRow>(
      `SELECT status, sum(n)::int AS n FROM course_status_counts WHERE organization_id = $1 GROUP BY status HAVING sum(n) > 0 ORDER BY status`,
      [this.organizationId],
    );
  }

  async coursesAtGate(): Promise<number> {
    const [gates] = await this.db.query<{ n: number }>(
      `SELECT coalesce(sum(n), 0)::int AS n FROM course_status_counts WHERE organization_id = $1 AND generation_status = ANY($2::text[])`,
      [this.organizationId, AWAITING_STATES],
    );
    return gates.n;
  }

  spendByModelAndLabel(): Promise<SpendByModelLabelRow[]> {
    return this.db.query<SpendByModelLabelRow>(
      `SELECT model, label, sum(calls)::text AS calls, sum(input_tokens)::text AS input, sum(output_tokens)::text AS output, sum(cost_usd)::float8 AS cost
         FROM cost_daily_org_rollup WHERE organization_id = $1 GROUP BY model, label ORDER BY model, label`,
      [this.organizationId],
    );
  }

  /** This UTC month's spend and the monthly budget (null without one). */
  async monthSpend(): Promise<MonthSpendRow | undefined> {
    const [month] = await this.db.query<MonthSpendRow>(
      `SELECT o.monthly_budget_usd::float8 AS budget, ${monthSpendSql('o.id')} AS spent FROM organizations o WHERE o.id = $1`,
      [this.organizationId],
    );
    return month;
  }

  /** Open alerts the organization may see (its own and the system-wide ones), by kind. */
  openAlertsByKind(): Promise<CountByKindRow[]> {
    return this.db.query<CountByKindRow>(`SELECT kind, count(*)::int AS n FROM alerts WHERE cleared_at IS NULL GROUP BY kind`);
  }

  /**
   * Outbox rows not yet carried out, of every organization (they belong to none): through
   * a SECURITY DEFINER function (migration 1763800021000) that returns only the count.
   */
  async pendingOutbox(): Promise<number> {
    const [{ n }] = await this.db.query<{ n: number }>(`SELECT pending_outbox_count() AS n`);
    return n;
  }
}
