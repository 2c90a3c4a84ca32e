// What invoice reconciliation compares the provider's export with: the organization's
// recorded model calls of one month per model × UTC day (from the cost rollup, kept
// exact by the trace trigger), and the catalog's names for each model.
import type { Queryable } from '../db';
import type { CatalogName, RecordedCell } from '../../reports/reconciliation';

export class ReconciliationRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** Calls, tokens and cost per model and day of `month` (YYYY-MM); cost as exact decimal text. */
  recordedByModelDay(month: string): Promise<RecordedCell[]> {
    return this.db.query<RecordedCell>(
      `SELECT r.model, to_char(r.day, 'YYYY-MM-DD') AS day, sum(r.calls)::int AS calls,
              sum(r.input_tokens)::bigint::float8 AS "inputTokens", sum(r.output_tokens)::bigint::float8 AS "outputTokens",
              sum(r.cost_usd)::numeric(18, 8)::text AS "costUsd"
         FROM cost_daily_rollup r
        WHERE r.organization_id = $1 AND r.day >= to_date($2, 'YYYY-MM') AND r.day < (to_date($2, 'YYYY-MM') + interval '1 month')
        GROUP BY r.model, r.day
        ORDER BY r.day, r.model`,
      [this.organizationId, month],
    );
  }

  /** Every catalog model's id and the name its provider knows it by. */
  catalogNames(): Promise<CatalogName[]> {
    return this.db.query<CatalogName>(`SELECT id, provider_model AS "providerModel" FROM llm_models ORDER BY id`);
  }
}
