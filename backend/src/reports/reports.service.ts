// Cost reports for finance, read from the daily rollup that a trigger keeps exact in
// the same transaction as each trace — never by scanning generation_trace. Grouped by
// any combination of day, model, stage, course, label (and organization).
import { BadRequestException, Injectable } from '@nestjs/common';
import { TenantDb } from '../repositories/tenant/tenant-db';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import type { AuthUser } from '../auth/access.decorators';
import { describeZodError } from '../common/zod.pipe';

export const GROUPS = {
  day: { select: `to_char(r.day, 'YYYY-MM-DD') AS day`, group: 'r.day', order: 'r.day' },
  model: { select: 'r.model', group: 'r.model', order: 'r.model' },
  stage: { select: 'r.stage', group: 'r.stage', order: 'r.stage' },
  label: { select: 'r.label', group: 'r.label', order: 'r.label' },
  organization: { select: `r.organization_id AS "organizationId", o.name AS "organizationName"`, group: 'r.organization_id, o.name', order: 'o.name' },
  course: { select: `r.course_id AS "courseId", c.title AS "courseTitle"`, group: 'r.course_id, c.title', order: 'c.title' },
} as const;
export type Group = keyof typeof GROUPS;

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)), 'is not a real date');

export const CostQuerySchema = z.object({
  from: isoDay,
  to: isoDay,
  groupBy: z.string().default('day').transform((v, ctx) => {
    const groups = v.split(',').map((g) => g.trim()).filter(Boolean);
    const bad = groups.find((g) => !(g in GROUPS));
    if (bad || groups.length === 0 || groups.length > 3 || new Set(groups).size !== groups.length) {
      ctx.addIssue({ code: 'custom', message: `must be one to three of ${Object.keys(GROUPS).join(', ')}${bad ? ` (not "${bad}")` : ''}` });
      return z.NEVER;
    }
    return groups as Group[];
  }),
}).strict().refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 731, { message: 'the range may span at most two years', path: ['to'] });
export type CostQuery = z.infer<typeof CostQuerySchema>;

export const LabelQuerySchema = z.object({ from: isoDay, to: isoDay }).strict()
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 <= 731, { message: 'the range may span at most two years', path: ['to'] });
export type LabelQuery = z.infer<typeof LabelQuerySchema>;

const LABELS = ['first_try', 'retry', 'fallback', 'repair', 'rerun'] as const;
const camel = (l: string) => l.replace(/_(.)/g, (_m, c: string) => c.toUpperCase());
/** Spend per attempt label; what failure cost is what retries, fallbacks and repairs cost. */
const LABEL_MEASURES = `sum(r.calls)::int AS calls, coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd",
  ${LABELS.map((l) => `coalesce(sum(r.cost_usd) FILTER (WHERE r.label = '${l}'), 0)::numeric(18, 8)::text AS "${camel(l)}Usd"`).join(',\n  ')},
  coalesce(sum(r.cost_usd) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0)::numeric(18, 8)::text AS "failureUsd",
  coalesce(sum(r.calls) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0)::int AS "failureCalls",
  CASE WHEN coalesce(sum(r.cost_usd), 0) = 0 THEN 0
       ELSE round(100 * coalesce(sum(r.cost_usd) FILTER (WHERE r.label IN ('retry', 'fallback', 'repair')), 0) / sum(r.cost_usd), 2)::float8 END AS "failurePercent"`;

export interface CostRow {
  [key: string]: string | number | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
}

@Injectable()
export class ReportsService {
  constructor(
    private readonly ds: DataSource,
    private readonly tenant: TenantDb,
  ) {}

  parse(query: Record<string, unknown>): CostQuery {
    const parsed = CostQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
    return parsed.data;
  }

  private reportSql(user: AuthUser, q: CostQuery): { rows: string; totals: string; params: unknown[] } {
    const groups = q.groupBy.map((g) => GROUPS[g]);
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
      params: [user.organizationId, q.from, q.to],
    };
  }

  async costs(user: AuthUser, q: CostQuery): Promise<{ from: string; to: string; groupBy: Group[]; rows: CostRow[]; totals: Omit<CostRow, never> }> {
    const sql = this.reportSql(user, q);
    const [rows, [totals]] = await this.tenant.run(user.organizationId, async (db) => [await db.query(sql.rows, sql.params), await db.query(sql.totals, sql.params)]);
    return { from: q.from, to: q.to, groupBy: q.groupBy, rows, totals: { ...totals, calls: totals.calls ?? 0 } };
  }

  parseLabels(query: Record<string, unknown>): LabelQuery {
    const parsed = LabelQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
    return parsed.data;
  }

  /** Spend by attempt label per model and stage: what first tries cost, and what failure cost on top. */
  async labels(user: AuthUser, q: LabelQuery) {
    const rows: Record<string, unknown>[] = await this.ds.query(
      `SELECT r.model, r.stage, ${LABEL_MEASURES}, GROUPING(r.model, r.stage) <> 0 AS total
         FROM cost_daily_rollup r
        WHERE r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date
        GROUP BY GROUPING SETS ((r.model, r.stage), ())
        ORDER BY total, r.model, r.stage`,
      [user.organizationId, q.from, q.to],
    );
    const strip = ({ total: _t, ...rest }: Record<string, unknown>) => rest;
    const { model: _m, stage: _s, ...totals } = strip(rows.find((r) => r.total) ?? {});
    return { from: q.from, to: q.to, rows: rows.filter((r) => !r.total).map(strip), totals: { ...totals, calls: totals.calls ?? 0 } };
  }

  /**
   * The report as CSV lines, read through a server-side cursor a batch at a time, so a
   * range of any size streams in constant memory. Stopping the generator (the client
   * went away) closes the cursor and gives the connection back.
   */
  async *costCsvStream(user: AuthUser, q: CostQuery, batch = 1000): AsyncGenerator<string> {
    const sql = this.reportSql(user, q);
    const runner = this.ds.createQueryRunner();
    await runner.connect();
    try {
      await runner.startTransaction();
      await runner.query(`DECLARE cost_csv NO SCROLL CURSOR FOR ${sql.rows}`, sql.params);
      const columns = csvColumns(q.groupBy);
      yield `${columns.join(',')}\n`;
      for (;;) {
        const rows: CostRow[] = await runner.query(`FETCH ${batch} FROM cost_csv`);
        if (rows.length === 0) break;
        yield rows.map((row) => `${columns.map((c) => csvCell(row[c])).join(',')}\n`).join('');
      }
      await runner.commitTransaction();
    } finally {
      if (runner.isTransactionActive) await runner.rollbackTransaction().catch(() => undefined);
      await runner.release();
    }
  }
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote anything a spreadsheet could misread; neutralise formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

function csvColumns(groupBy: Group[]): string[] {
  const keys = groupBy.flatMap((g) => (g === 'organization' ? ['organizationId', 'organizationName'] : g === 'course' ? ['courseId', 'courseTitle'] : [g]));
  return [...keys, 'calls', 'inputTokens', 'outputTokens', 'costUsd'];
}

export function* costCsv(report: { groupBy: Group[]; rows: CostRow[] }): Generator<string> {
  const columns = csvColumns(report.groupBy);
  yield `${columns.join(',')}\n`;
  for (const row of report.rows) yield `${columns.map((c) => csvCell(row[c])).join(',')}\n`;
}
