// The cost report across every organization, for the deployment's operators
// (`reports.crossTenant`, auth/permissions.ts). Tenant repository like the others — it
// runs in the caller's organization's scope as mc_app — but it reads through
// mc_platform_cost_rollup (migration 1763800030000), a SECURITY DEFINER function that
// answers only when that organization is the platform organization. The tenant
// policies stay as they are: no other statement here or anywhere sees another tenant.
import type { Queryable } from '../db';
import type { CostReportQuery, CostRow, CostTotalsRow } from './costs.repository';

/** The groupings the cross-tenant report offers (courses stay inside their organization). */
const GROUPS = {
  day: { select: `to_char(r.day, 'YYYY-MM-DD') AS day`, group: 'r.day', order: 'r.day' },
  model: { select: 'r.model', group: 'r.model', order: 'r.model' },
  stage: { select: 'r.stage', group: 'r.stage', order: 'r.stage' },
  label: { select: 'r.label', group: 'r.label', order: 'r.label' },
  organization: {
    select: `r.organization_id AS "organizationId", r.organization_name AS "organizationName"`,
    group: 'r.organization_id, r.organization_name',
    order: 'r.organization_name',
  },
} as const;
export type PlatformCostGroup = keyof typeof GROUPS;
export const isPlatformCostGroup = (g: string): g is PlatformCostGroup => Object.hasOwn(GROUPS, g);

const MEASURES = `sum(r.calls)::int AS calls, sum(r.input_tokens)::bigint::float8 AS "inputTokens",
  sum(r.output_tokens)::bigint::float8 AS "outputTokens", coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd"`;
const SOURCE = `mc_platform_cost_rollup($1::date, $2::date) r`;
const CSV_CURSOR = 'platform_cost_csv';

export class PlatformCostsRepository {
  constructor(private readonly db: Queryable) {}

  private rowsSql(q: CostReportQuery): string {
    const groups = q.groupBy.map((g) => {
      if (!isPlatformCostGroup(g)) throw new Error(`the cost report across organizations cannot group by "${g}"`);
      return GROUPS[g];
    });
    return `SELECT ${groups.map((g) => g.select).join(', ')}, ${MEASURES}
      FROM ${SOURCE}
     GROUP BY ${groups.map((g) => g.group).join(', ')}
     ORDER BY ${groups.map((g) => g.order).join(', ')}`;
  }

  /** Every organization's rows, grouped and ordered as asked. */
  reportRows(q: CostReportQuery): Promise<CostRow[]> {
    return this.db.query<CostRow>(this.rowsSql(q), [q.from, q.to]);
  }

  /** The period's totals over every organization. */
  async reportTotals(q: CostReportQuery): Promise<CostTotalsRow> {
    const [totals] = await this.db.query<CostTotalsRow>(`SELECT ${MEASURES} FROM ${SOURCE}`, [q.from, q.to]);
    return totals;
  }

  /** The rows through a server-side cursor, `batch` at a time (see CostsRepository.reportBatches). */
  async *reportBatches(q: CostReportQuery, batch: number): AsyncGenerator<CostRow[]> {
    if (!Number.isInteger(batch) || batch < 1) throw new Error('batch must be a positive integer');
    await this.db.query(`DECLARE ${CSV_CURSOR} NO SCROLL CURSOR FOR ${this.rowsSql(q)}`, [q.from, q.to]);
    let failed = false;
    try {
      for (;;) {
        const rows = await this.db.query<CostRow>(`FETCH ${batch} FROM ${CSV_CURSOR}`);
        if (rows.length === 0) return;
        yield rows;
      }
    } catch (err) {
      failed = true;
      throw err;
    } finally {
      if (!failed) await this.db.query(`CLOSE ${CSV_CURSOR}`);
    }
  }
}
