// The cost ledger: reports from the rollups, CSV rows, re-pricing, month closings and budgets.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
//
// Every statement here also names the organization ($1) as it did on the owner
// connection; row-level security scopes it a second time. Re-pricing updates traces:
// the rollup triggers (rollup_trace_changes, follow_cost_rollup), the closed-month guard
// and the budget thresholds (budget_threshold_cross: crossings, system_metrics, outbox)
// run as mc_app in the same transaction, on rows of this same organization, which the
// tenant policies of those tables allow (outbox has no row-level security).
import type { Queryable } from '../db';

/** Report groupings: SQL per grouping, looked up as own properties only. */
const GROUPS = {
  day: { select: `to_char(r.day, 'YYYY-MM-DD') AS day`, group: 'r.day', order: 'r.day' },
  model: { select: 'r.model', group: 'r.model', order: 'r.model' },
  stage: { select: 'r.stage', group: 'r.stage', order: 'r.stage' },
  label: { select: 'r.label', group: 'r.label', order: 'r.label' },
  organization: { select: `r.organization_id AS "organizationId", o.name AS "organizationName"`, group: 'r.organization_id, o.name', order: 'o.name' },
  course: { select: `r.course_id AS "courseId", c.title AS "courseTitle"`, group: 'r.course_id, c.title', order: 'c.title' },
} as const;
export type CostGroup = keyof typeof GROUPS;
export const COST_GROUPS = Object.keys(GROUPS) as CostGroup[];
export const isCostGroup = (g: string): g is CostGroup => Object.hasOwn(GROUPS, g);

export interface CostReportQuery {
  from: string;
  to: string;
  groupBy: CostGroup[];
}

/** A page of a report grouped by course: the rows ordered by `sort` (a COST_PAGE_SORTS key or a grouping), `limit` from `offset`. */
export interface CostPage {
  sort: string;
  direction: 'ASC' | 'DESC';
  offset: number;
  limit: number;
}

/** The measures a page of a by-course report may be ordered by (the groupings may too). */
export const COST_PAGE_SORTS: Record<string, string> = {
  costUsd: 'sum(r.cost_usd)',
  calls: 'sum(r.calls)',
  inputTokens: 'sum(r.input_tokens)',
  outputTokens: 'sum(r.output_tokens)',
};

/** A report row: the grouping columns, then the measures. */
export interface CostRow {
  [key: string]: string | number | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
}

/** A period's totals; sums are null when the period has no rollup rows. */
export interface CostTotalsRow {
  calls: number | null;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: string;
}

/** Spend by attempt label (money as exact decimal strings). */
export interface LabelSpendRow {
  model: string | null;
  stage: string | null;
  calls: number;
  costUsd: string;
  firstTryUsd: string;
  retryUsd: string;
  fallbackUsd: string;
  repairUsd: string;
  rerunUsd: string;
  failureUsd: string;
  failureCalls: number;
  failurePercent: number;
  /** the grand total row (GROUPING SETS) */
  total: boolean;
}

export interface RepricePrice {
  model: string;
  inputPerMillion: number;
  outputPerMillion: number;
}

export interface RepricePeriod {
  from: string;
  to: string;
  prices: RepricePrice[];
}

/** Per model and day, and one total row (`total`), of a re-pricing. */
export interface RepriceSummaryRow {
  model: string;
  day: string;
  traces: number;
  currentUsd: string;
  repricedUsd: string;
  differenceUsd: string;
  total: boolean;
}

export interface ClosedMonthRow {
  month: string;
  closedAt: Date;
  closedBy: string | null;
  costUsd: string;
  calls: number;
}

export interface CurrentBudgetRow {
  month: string;
  budgetUsd: string | null;
  spentUsd: string;
  budgetThresholds: number[];
  budgetWebhookUrl: string | null;
  crossed: { threshold: number; crossedAt: string; spentUsd: string; budgetUsd: string; courseId: string | null }[];
}

const LABELS = ['first_try', 'retry', 'fallback', 'repair', 'rerun'] as const;
const camel = (l: string) => l.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());
/** Spend per attempt label; what failure cost is what retries, fallbacks and repairs cost. */
const LABEL_MEASURES = `sum(r.calls)::int AS calls, coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd",
  ${LABELS.map((l) => `coalesce(sum(r.cost_usd) FILTER (WHERE r.label = '${l}'), 0)::numeric(18, 8)::text AS "${camel(l)}Usd"`).join(',\n  ')},
  coalesce(sum(r.cost_usd) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0)::numeric(18, 8)::text AS "failureUsd",
  coalesce(sum(r.calls) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0)::int AS "failureCalls",
  CASE WHEN coalesce(sum(r.cost_usd), 0) = 0 THEN 0
       ELSE round(100 * coalesce(sum(r.cost_usd) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0) / sum(r.cost_usd), 2)::float8 END AS "failurePercent"`;

// The traces of the period for the named models, with their cost and the cost at the
// new prices — computed exactly as the gateway charges (numeric, rounded to 1e-8 USD).
const CANDIDATES = `
  prices AS (SELECT x.model, round(x.input, 6) AS input, round(x.output, 6) AS output
               FROM jsonb_to_recordset($4::jsonb) AS x(model text, input numeric, output numeric)),
  cand AS (
    SELECT t.id, t.model_used AS model, (t.created_at AT TIME ZONE 'UTC')::date AS day, t.cost_usd AS before,
           round((t.input_tokens::numeric * p.input + t.output_tokens::numeric * p.output) / 1000000, 8) AS after
      FROM generation_trace t JOIN prices p ON p.model = t.model_used
     WHERE t.organization_id = $1
       AND t.created_at >= ($2::date)::timestamp AT TIME ZONE 'UTC'
       AND t.created_at < ($3::date + 1)::timestamp AT TIME ZONE 'UTC'
     %LOCK%)`;

const REPRICE_SUMMARY = `
  SELECT model, to_char(day, 'YYYY-MM-DD') AS day, count(*)::int AS traces,
         coalesce(sum(before), 0)::numeric(18, 8)::text AS "currentUsd",
         coalesce(sum(after), 0)::numeric(18, 8)::text AS "repricedUsd",
         (coalesce(sum(after), 0) - coalesce(sum(before), 0))::numeric(18, 8)::text AS "differenceUsd",
         GROUPING(model, day) <> 0 AS total
    FROM cand GROUP BY GROUPING SETS ((model, day), ()) ORDER BY total, day, model`;

/** The cursor a CSV report is read through (one per transaction). */
const CSV_CURSOR = 'cost_csv';

export class CostsRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  private reportSql(q: CostReportQuery): { rows: string; totals: string; params: unknown[] } {
    const groups = q.groupBy.map((g) => {
      if (!isCostGroup(g)) throw new Error(`unknown cost grouping "${g}"`);
      return GROUPS[g];
    });
    const where = `r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date`;
    // Money stays numeric end to end and leaves as a decimal string: sums are exact.
    const measures = `sum(r.calls)::int AS calls, sum(r.input_tokens)::bigint::float8 AS "inputTokens",
      sum(r.output_tokens)::bigint::float8 AS "outputTokens", coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd"`;
    // Without a course grouping the per-organization rollup (a few rows a day) answers;
    // the per-course one has a row per course, model, stage and label.
    const byCourse = q.groupBy.includes('course');
    return {
      rows: `SELECT ${groups.map((g) => g.select).join(', ')}, ${measures}
         FROM ${byCourse ? 'cost_daily_rollup' : 'cost_daily_org_rollup'} r
         JOIN organizations o ON o.id = r.organization_id
         ${byCourse ? 'JOIN courses c ON c.id = r.course_id' : ''}
        WHERE ${where}
        GROUP BY ${groups.map((g) => g.group).join(', ')}
        ORDER BY ${groups.map((g) => g.order).join(', ')}`,
      totals: `SELECT ${measures} FROM cost_daily_org_rollup r WHERE ${where}`,
      params: [this.organizationId, q.from, q.to],
    };
  }

  /**
   * One page of a report grouped by course (one row per course and the other groupings):
   * grouped on the per-course rollup by course id, ordered (most expensive first by
   * default) and cut to the page before the courses' titles are joined; `total` is the
   * number of rows of the whole report. The hash of a month's courses gets the memory it
   * needs (work_mem for this transaction) instead of spilling to disk.
   */
  async reportPage(q: CostReportQuery, page: CostPage): Promise<{ rows: CostRow[]; total: number }> {
    const groups = q.groupBy.map((g) => {
      if (!isCostGroup(g)) throw new Error(`unknown cost grouping "${g}"`);
      return g;
    });
    const sortKey = Object.hasOwn(COST_PAGE_SORTS, page.sort)
      ? COST_PAGE_SORTS[page.sort]
      : isCostGroup(page.sort) && groups.includes(page.sort) && page.sort !== 'course'
        ? GROUPS[page.sort].order
        : null;
    if (sortKey === null) throw new Error(`cannot order a cost page by "${page.sort}"`);
    const inner = groups.map((g) => (g === 'course' ? { select: 'r.course_id AS "courseId"', group: 'r.course_id' } : GROUPS[g]));
    const outer = groups.flatMap((g) =>
      g === 'course' ? ['p."courseId"', 'c.title AS "courseTitle"'] : [`p.${g === 'organization' ? '"organizationId", p."organizationName"' : g}`],
    );
    await this.db.query(`SET LOCAL work_mem = '64MB'`);
    const rows = await this.db.query<CostRow & { total: number }>(
      `SELECT ${outer.join(', ')}, p.calls, p."inputTokens", p."outputTokens", p."costUsd", p.total
         FROM (SELECT ${inner.map((g) => g.select).join(', ')},
                      sum(r.calls)::int AS calls, sum(r.input_tokens)::bigint::float8 AS "inputTokens",
                      sum(r.output_tokens)::bigint::float8 AS "outputTokens", coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd",
                      count(*) OVER ()::int AS total,
                      row_number() OVER (ORDER BY ${sortKey} ${page.direction}, ${inner.map((g) => g.group).join(', ')}) AS ord
                 FROM cost_daily_rollup r JOIN organizations o ON o.id = r.organization_id
                WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
                GROUP BY ${inner.map((g) => g.group).join(', ')}
                ORDER BY ord LIMIT ${Number(page.limit)} OFFSET ${Number(page.offset)}) p
         JOIN courses c ON c.id = p."courseId"
        ORDER BY p.ord`,
      [this.organizationId, q.from, q.to],
    );
    const total = rows[0]?.total ?? 0;
    return { rows: rows.map(({ total: _t, ...r }) => r as CostRow), total };
  }

  /** The report's rows, grouped and ordered as asked. */
  reportRows(q: CostReportQuery): Promise<CostRow[]> {
    const sql = this.reportSql(q);
    return this.db.query<CostRow>(sql.rows, sql.params);
  }

  /** The period's totals, from the per-organization rollup. */
  async reportTotals(q: CostReportQuery): Promise<CostTotalsRow> {
    const sql = this.reportSql(q);
    const [totals] = await this.db.query<CostTotalsRow>(sql.totals, sql.params);
    return totals;
  }

  /**
   * The report's rows through a server-side cursor, `batch` rows at a time, so a range
   * of any size is read in constant memory. Stopping early closes the cursor. The
   * transaction must stay open while the generator runs (see scope-stream.ts).
   */
  async *reportBatches(q: CostReportQuery, batch: number): AsyncGenerator<CostRow[]> {
    if (!Number.isInteger(batch) || batch < 1) throw new Error('batch must be a positive integer');
    const sql = this.reportSql(q);
    await this.db.query(`DECLARE ${CSV_CURSOR} NO SCROLL CURSOR FOR ${sql.rows}`, sql.params);
    let failed = false;
    try {
      for (;;) {
        const rows = await this.db.query<CostRow>(`FETCH ${batch} FROM ${CSV_CURSOR}`);
        if (rows.length === 0) return;
        yield rows;
      }
    } catch (err) {
      failed = true; // the transaction is aborted: it ends, and the cursor with it
      throw err;
    } finally {
      if (!failed) await this.db.query(`CLOSE ${CSV_CURSOR}`);
    }
  }

  /** Spend by attempt label per model and stage, then one total row (`total`). */
  labelSpend(from: string, to: string): Promise<LabelSpendRow[]> {
    return this.db.query<LabelSpendRow>(
      `SELECT r.model, r.stage, ${LABEL_MEASURES}, GROUPING(r.model, r.stage) <> 0 AS total
         FROM cost_daily_rollup r
        WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
        GROUP BY GROUPING SETS ((r.model, r.stage), ())
        ORDER BY total, r.model, r.stage`,
      [this.organizationId, from, to],
    );
  }

  /** One closing or re-pricing of the organization's books at a time (until the transaction ends). */
  async lockBooks(): Promise<void> {
    await this.db.query(`SELECT pg_advisory_xact_lock(hashtextextended('mc-books-' || $1::text, 0))`, [this.organizationId]);
  }

  private repriceParams(p: RepricePeriod): unknown[] {
    return [this.organizationId, p.from, p.to, JSON.stringify(p.prices.map((x) => ({ model: x.model, input: x.inputPerMillion, output: x.outputPerMillion })))];
  }

  /** What re-pricing the period would change, per model and day, without changing it. */
  repricePreview(p: RepricePeriod): Promise<RepriceSummaryRow[]> {
    return this.db.query<RepriceSummaryRow>(`WITH ${CANDIDATES.replace('%LOCK%', '')} ${REPRICE_SUMMARY}`, this.repriceParams(p));
  }

  /** The closed months (YYYY-MM) from the month of `from` to `to`. */
  async closedMonthsBetween(from: string, to: string): Promise<string[]> {
    const rows = await this.db.query<{ month: string }>(
      `SELECT to_char(month, 'YYYY-MM') AS month FROM cost_closed_months
        WHERE organization_id = $1 AND month BETWEEN date_trunc('month', $2::date)::date AND $3::date ORDER BY month`,
      [this.organizationId, from, to],
    );
    return rows.map((r) => r.month);
  }

  /** Records a re-pricing (totals filled in by `recordRepriceTotals`); its id. */
  async createReprice(p: RepricePeriod, userId: string): Promise<string> {
    const [{ id }] = await this.db.query<{ id: string }>(
      `INSERT INTO cost_reprices (organization_id, from_day, to_day, prices, traces, before_usd, after_usd, created_by)
       VALUES ($1, $2, $3, $4, 0, 0, 0, $5) RETURNING id::text`,
      [this.organizationId, p.from, p.to, JSON.stringify(p.prices), userId],
    );
    return id;
  }

  /**
   * Re-prices the period's traces (locked first) under re-pricing `repriceId`; the
   * summary as the preview gives it, each row with `changed`, the traces whose cost moved.
   */
  applyReprice(p: RepricePeriod, repriceId: string): Promise<(RepriceSummaryRow & { changed: number })[]> {
    return this.db.query<RepriceSummaryRow & { changed: number }>(
      `WITH ${CANDIDATES.replace('%LOCK%', 'FOR UPDATE OF t')},
         upd AS (UPDATE generation_trace t SET cost_usd = cand.after, reprice_id = $5
                   FROM cand WHERE t.id = cand.id AND cand.after <> cand.before RETURNING t.id)
       SELECT s.*, (SELECT count(*)::int FROM upd) AS changed FROM (${REPRICE_SUMMARY}) s ORDER BY s.total, s.day, s.model`,
      [...this.repriceParams(p), repriceId],
    );
  }

  async recordRepriceTotals(repriceId: string, traces: number, beforeUsd: string, afterUsd: string): Promise<void> {
    await this.db.query(`UPDATE cost_reprices SET traces = $2, before_usd = $3, after_usd = $4 WHERE id = $1`, [repriceId, traces, beforeUsd, afterUsd]);
  }

  /** Whether `month` (YYYY-MM) ended before the current UTC month began. */
  async monthIsOver(month: string): Promise<boolean> {
    const [{ over }] = await this.db.query<{ over: boolean }>(
      `SELECT ($1::text || '-01')::date < date_trunc('month', now() AT TIME ZONE 'UTC')::date AS over`,
      [month],
    );
    return over;
  }

  /** Closes `month` (YYYY-MM); false when it was closed already. */
  async closeMonth(month: string, userId: string): Promise<boolean> {
    const inserted = await this.db.query(
      `INSERT INTO cost_closed_months (organization_id, month, closed_by) VALUES ($1, ($2::text || '-01')::date, $3)
       ON CONFLICT DO NOTHING RETURNING month`,
      [this.organizationId, month, userId],
    );
    return inserted.length > 0;
  }

  /** The closed months, newest first, with their cost and calls (one month when `month` is given). */
  closedMonths(month: string | null): Promise<ClosedMonthRow[]> {
    return this.db.query<ClosedMonthRow>(
      `SELECT to_char(m.month, 'YYYY-MM') AS month, m.closed_at AS "closedAt", u.email AS "closedBy",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
                WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "costUsd",
              (SELECT coalesce(sum(r.calls), 0)::int FROM cost_daily_rollup r
                WHERE r.organization_id = m.organization_id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS calls
         FROM cost_closed_months m LEFT JOIN users u ON u.id = m.closed_by
        WHERE m.organization_id = $1 AND ($2::text IS NULL OR m.month = ($2 || '-01')::date)
        ORDER BY m.month DESC`,
      [this.organizationId, month],
    );
  }

  /** This UTC month's spend against the monthly budget, and the thresholds crossed so far. */
  async currentBudget(): Promise<CurrentBudgetRow | undefined> {
    const [row] = await this.db.query<CurrentBudgetRow>(
      `WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month)
       SELECT to_char(m.month, 'YYYY-MM') AS month,
              o.monthly_budget_usd::text AS "budgetUsd",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
                WHERE r.organization_id = o.id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "spentUsd",
              o.budget_thresholds AS "budgetThresholds",
              o.budget_webhook_url AS "budgetWebhookUrl",
              coalesce((SELECT json_agg(json_build_object('threshold', b.threshold, 'crossedAt', b.crossed_at, 'spentUsd', b.spent_usd::text,
                                                          'budgetUsd', b.budget_usd::text, 'courseId', b.course_id) ORDER BY b.threshold)
                          FROM budget_threshold_crossings b WHERE b.organization_id = o.id AND b.month = m.month), '[]') AS crossed
         FROM organizations o, m WHERE o.id = $1`,
      [this.organizationId],
    );
    return row;
  }
}
