// Cost reports for finance, read from the daily rollup that a trigger keeps exact in
// the same transaction as each trace — never by scanning generation_trace. Grouped by
// any combination of day, model, stage, course, label (and organization).
import { BadRequestException, Injectable } from '@nestjs/common';
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

export interface CostRow {
  [key: string]: string | number | null;
  calls: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: string;
}

@Injectable()
export class ReportsService {
  constructor(private readonly ds: DataSource) {}

  parse(query: Record<string, unknown>): CostQuery {
    const parsed = CostQuerySchema.safeParse(query);
    if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
    return parsed.data;
  }

  async costs(user: AuthUser, q: CostQuery): Promise<{ from: string; to: string; groupBy: Group[]; rows: CostRow[]; totals: Omit<CostRow, never> }> {
    const groups = q.groupBy.map((g) => GROUPS[g]);
    const where = `r.organization_id = $1 AND r.day BETWEEN $2::date AND $3::date`;
    const params = [user.organizationId, q.from, q.to];
    // Money stays numeric end to end and leaves as a decimal string: sums are exact.
    const measures = `sum(r.calls)::int AS calls, sum(r.input_tokens)::bigint::float8 AS "inputTokens",
      sum(r.output_tokens)::bigint::float8 AS "outputTokens", coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text AS "costUsd"`;
    const rows = await this.ds.query(
      `SELECT ${groups.map((g) => g.select).join(', ')}, ${measures}
         FROM cost_daily_rollup r
         JOIN organizations o ON o.id = r.organization_id
         JOIN courses c ON c.id = r.course_id
        WHERE ${where}
        GROUP BY ${groups.map((g) => g.group).join(', ')}
        ORDER BY ${groups.map((g) => g.order).join(', ')}`,
      params,
    );
    const [totals] = await this.ds.query(`SELECT ${measures} FROM cost_daily_rollup r WHERE ${where}`, params);
    return { from: q.from, to: q.to, groupBy: q.groupBy, rows, totals: { ...totals, calls: totals.calls ?? 0 } };
  }
}

function csvCell(v: unknown): string {
  const s = v === null || v === undefined ? '' : String(v);
  // Quote anything a spreadsheet could misread; neutralise formulas.
  const safe = /^[=+\-@\t\r]/.test(s) ? `'${s}` : s;
  return /[",\n\r]/.test(safe) || safe !== s ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function* costCsv(report: { groupBy: Group[]; rows: CostRow[] }): Generator<string> {
  const keys = report.groupBy.flatMap((g) => (g === 'organization' ? ['organizationId', 'organizationName'] : g === 'course' ? ['courseId', 'courseTitle'] : [g]));
  const columns = [...keys, 'calls', 'inputTokens', 'outputTokens', 'costUsd'];
  yield `${columns.join(',')}\n`;
  for (const row of report.rows) yield `${columns.map((c) => csvCell(row[c])).join(',')}\n`;
}
