// Cost reports for finance, read from the daily rollup that a trigger keeps exact in
// the same transaction as each trace — never by scanning generation_trace. Grouped by
// any combination of day, model, stage, course, label (and organization). The SQL is
// the cost ledger's (repositories/tenant/costs.repository.ts); every read runs in the
// caller's organization's scope.
import { BadRequestException, Injectable } from '@nestjs/common';
import { z } from 'zod';
import type { AuthUser } from '../auth/access.decorators';
import { can } from '../auth/permissions';
import { isPlatformCostGroup } from '../repositories/tenant/platform-costs.repository';
import { isCalendarDate } from '../common/dates';
import { describeZodError } from '../common/zod.pipe';
import { COST_GROUPS, COST_PAGE_SORTS, CostGroup, CostPage, CostRow, CostTotalsRow, isCostGroup } from '../repositories/tenant/costs.repository';
import { contentRange, parseJson } from '../repositories/list-query';
import { GENERATION_ANALYSES, GenerationAnalysis } from '../repositories/tenant/courses.repository';
import { streamInScope } from '../repositories/tenant/scope-stream';
import { TenantScope } from '../repositories/tenant/tenant-scope';

export type Group = CostGroup;
export type { CostRow };

/** A real day (common/dates.ts): 2026-02-30 or 0000-01-01 are refused, naming the field. */
export const reportDay = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
    .refine(isCalendarDate, 'is not a real date');

const MAX_RANGE_DAYS = 731;
const days = (q: { from: string; to: string }) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000;

export const CostQuerySchema = z
  .object({
    from: reportDay(),
    to: reportDay(),
    groupBy: z
      .string()
      .default('day')
      .transform((v, ctx) => {
        const groups = v
          .split(',')
          .map((g) => g.trim())
          .filter(Boolean);
        // Own keys only: `constructor` or `toString` are not groupings.
        const bad = groups.find((g) => !isCostGroup(g));
        if (bad || groups.length === 0 || groups.length > 3 || new Set(groups).size !== groups.length) {
          ctx.addIssue({ code: 'custom', message: `must be one to three of ${COST_GROUPS.join(', ')}${bad ? ` (not "${bad}")` : ''}` });
          return z.NEVER;
        }
        return groups as Group[];
      }),
    // A report grouped by course is paginated (react-admin's sort and range); the CSV ignores both.
    sort: z.string().max(200).optional(),
    range: z.string().max(200).optional(),
  })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => days(q) <= MAX_RANGE_DAYS, { message: 'the range may span at most two years', path: ['to'] });
export type CostQuery = z.infer<typeof CostQuerySchema>;

export const LabelQuerySchema = z
  .object({ from: reportDay(), to: reportDay() })
  .strict()
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] })
  .refine((q) => days(q) <= MAX_RANGE_DAYS, { message: 'the range may span at most two years', path: ['to'] });
export type LabelQuery = z.infer<typeof LabelQuerySchema>;

/** The cost report's query string; a 400 naming the field when it is wrong. */
export function parseCostQuery(query: Record<string, unknown>): CostQuery {
  const parsed = CostQuerySchema.safeParse(query);
  if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
  return parsed.data;
}

/** The label report's query string; a 400 naming the field when it is wrong. */
export function parseLabelQuery(query: Record<string, unknown>): LabelQuery {
  const parsed = LabelQuerySchema.safeParse(query);
  if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
  return parsed.data;
}

/** A report grouped by course shows its most expensive rows first, this many a page unless asked. */
export const COST_PAGE_DEFAULT = 100;
export const COST_PAGE_MAX = 1000;

const PageSortSchema = z.tuple([z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])]);
const PageRangeSchema = z
  .tuple([z.number().int().min(0), z.number().int().min(0)])
  .refine(([a, b]) => b >= a, 'end must not be before start')
  .refine(([a, b]) => b - a < COST_PAGE_MAX, `at most ${COST_PAGE_MAX} rows per page`);

/** The page of a report grouped by course (null for other groupings); a 400 naming `sort` or `range` when wrong. */
export function costPage(q: CostQuery): CostPage | null {
  if (!q.groupBy.includes('course')) return null;
  const sortRaw = parseJson('sort', q.sort);
  const sort = sortRaw === undefined ? { success: true as const, data: ['costUsd', 'DESC'] as [string, string] } : PageSortSchema.safeParse(sortRaw);
  if (!sort.success) throw new BadRequestException(`sort: ${describeZodError(sort.error)}`);
  const allowed = [...Object.keys(COST_PAGE_SORTS), ...q.groupBy.filter((g) => g !== 'course')];
  if (!allowed.includes(sort.data[0])) throw new BadRequestException(`sort: cannot sort by "${sort.data[0]}" (allowed: ${allowed.join(', ')})`);
  const rangeRaw = parseJson('range', q.range);
  const range = rangeRaw === undefined ? { success: true as const, data: [0, COST_PAGE_DEFAULT - 1] } : PageRangeSchema.safeParse(rangeRaw);
  if (!range.success) throw new BadRequestException(`range: ${describeZodError(range.error)}`);
  return { sort: sort.data[0], direction: sort.data[1].toUpperCase() as 'ASC' | 'DESC', offset: range.data[0], limit: range.data[1] - range.data[0] + 1 };
}

/** Whose costs a report covers: the caller's organization, or every organization. */
export type ReportScope = 'organization' | 'platform';

/**
 * Grouped by organization, an operator (`reports.crossTenant`) sees every organization;
 * everyone else, and every other grouping, sees the caller's own organization only.
 * Across organizations a course grouping is refused (courses stay inside their tenant).
 */
export function reportScope(user: AuthUser, q: CostQuery): ReportScope {
  if (!q.groupBy.includes('organization') || !can(user, 'reports.crossTenant')) return 'organization';
  const bad = q.groupBy.find((g) => !isPlatformCostGroup(g));
  if (bad) throw new BadRequestException(`groupBy: "${bad}" cannot be combined with organization in the report across organizations`);
  return 'platform';
}

const ANALYSIS_KINDS = Object.keys(GENERATION_ANALYSES) as [GenerationAnalysis, ...GenerationAnalysis[]];

/**
 * GET /api/reports/generations: which analysis (seed 001), its threshold (the seed's
 * 1.0 USD / 30000 ms / 0.7 by default), and the list parameters (sort by value,
 * createdAt or title; range).
 */
export const GenerationsQuerySchema = z
  .object({
    kind: z.enum(ANALYSIS_KINDS, { message: `must be one of ${ANALYSIS_KINDS.join(', ')}` }),
    threshold: z
      .string()
      .trim()
      .regex(/^\d+(\.\d+)?$/, 'must be a number of 0 or more')
      .transform(Number)
      .pipe(z.number().finite('must be a finite number'))
      .optional(),
    sort: z.string().optional(),
    range: z.string().optional(),
  })
  .strict();
export interface GenerationsQuery {
  kind: GenerationAnalysis;
  threshold: number;
  list: { sort?: string; range?: string };
}

export function parseGenerationsQuery(query: Record<string, unknown>): GenerationsQuery {
  const parsed = GenerationsQuerySchema.safeParse(query);
  if (!parsed.success) throw new BadRequestException(describeZodError(parsed.error));
  const { kind, threshold, sort, range } = parsed.data;
  return { kind, threshold: threshold ?? GENERATION_ANALYSES[kind].defaultThreshold, list: { sort, range } };
}

@Injectable()
export class ReportsService {
  constructor(private readonly scope: TenantScope) {}

  parse(query: Record<string, unknown>): CostQuery {
    return parseCostQuery(query);
  }

  /**
   * The report; grouped by course, one page of it (most expensive first unless sorted
   * otherwise) with `page` and its Content-Range (`costs a-b/total`) — the totals are
   * always the whole period's.
   */
  async costs(
    user: AuthUser,
    q: CostQuery,
  ): Promise<{
    from: string;
    to: string;
    groupBy: Group[];
    scope: ReportScope;
    rows: CostRow[];
    totals: CostTotalsRow & { calls: number };
    page?: { offset: number; limit: number; total: number; contentRange: string };
  }> {
    const scope = reportScope(user, q);
    const page = scope === 'organization' ? costPage(q) : null;
    const [rows, totals, total] = await this.scope.run(user.organizationId, async (repos) => {
      if (page) {
        const p = await repos.costs.reportPage(q, page);
        return [p.rows, await repos.costs.reportTotals(q), p.total] as const;
      }
      const ledger = scope === 'platform' ? repos.platformCosts : repos.costs;
      return [await ledger.reportRows(q), await ledger.reportTotals(q), null] as const;
    });
    const report = { from: q.from, to: q.to, groupBy: q.groupBy, scope, rows, totals: { ...totals, calls: totals.calls ?? 0 } };
    if (!page || total === null) return report;
    return { ...report, page: { offset: page.offset, limit: page.limit, total, contentRange: contentRange('costs', page.offset, rows.length, total) } };
  }

  /** Seed 001's expensive, slow or low-quality generations of the caller's organization, one page. */
  async generations(user: AuthUser, q: GenerationsQuery) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.courses.generationAnalysis(q.kind, q.threshold, q.list));
    return { data: rows, range };
  }

  parseLabels(query: Record<string, unknown>): LabelQuery {
    return parseLabelQuery(query);
  }

  /** Spend by attempt label per model and stage: what first tries cost, and what failure cost on top. */
  async labels(user: AuthUser, q: LabelQuery) {
    const rows = await this.scope.run(user.organizationId, (repos) => repos.costs.labelSpend(q.from, q.to));
    const strip = ({ total: _t, ...rest }: Partial<(typeof rows)[number]>) => rest;
    const { model: _m, stage: _s, ...totals } = strip(rows.find((r) => r.total) ?? {});
    return { from: q.from, to: q.to, rows: rows.filter((r) => !r.total).map(strip), totals: { ...totals, calls: totals.calls ?? 0 } };
  }

  /**
   * The report as CSV lines, read through a server-side cursor a batch at a time inside
   * one transaction of the organization's scope, so a range of any size streams in
   * constant memory. Stopping the generator (the client went away) closes the cursor
   * and gives the connection back.
   */
  async *costCsvStream(user: AuthUser, q: CostQuery, batch = 1000): AsyncGenerator<string> {
    const columns = csvColumns(q.groupBy);
    const scope = reportScope(user, q);
    const batches = streamInScope(this.scope, user.organizationId, (repos) =>
      (scope === 'platform' ? repos.platformCosts : repos.costs).reportBatches(q, batch),
    );
    try {
      // The cursor is open (the query ran) before the first line leaves.
      const first = await batches.next();
      yield `${columns.join(',')}\n`;
      if (first.done) return;
      yield csvLines(columns, first.value);
      for await (const rows of batches) yield csvLines(columns, rows);
    } finally {
      await batches.return(undefined);
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

function csvLines(columns: string[], rows: CostRow[]): string {
  return rows.map((row) => `${columns.map((c) => csvCell(row[c])).join(',')}\n`).join('');
}

export function* costCsv(report: { groupBy: Group[]; rows: CostRow[] }): Generator<string> {
  const columns = csvColumns(report.groupBy);
  yield `${columns.join(',')}\n`;
  for (const row of report.rows) yield `${columns.map((c) => csvCell(row[c])).join(',')}\n`;
}
