// Model calls (generation_trace): the traces list and one trace.
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { Queryable } from '../db';
import { isCalendarDate } from '../../common/dates';
import { COUNT_CAP, eq, ListSpec, pageOf, search, uuidEq } from '../list-query';

const SUMMARY = `t.id, t.course_id AS "courseId", t.lesson_id AS "lessonId", t.run, t.stage, t.phase, t.step_name AS "stepName",
  t.model_used AS "modelUsed", t.provider, t.tokens_used AS "tokensUsed", t.input_tokens AS "inputTokens",
  t.output_tokens AS "outputTokens", t.cost_usd::float8 AS "costUsd",
  t.provider_cost_usd::float8 AS "providerCostUsd", t.duration_ms AS "durationMs", t.attempt, t.label,
  (t.error_data IS NOT NULL) AS "hasError", t.created_at AS "createdAt",
  t.price_version_id::text AS "priceVersionId", t.reprice_id::text AS "repriceId",
  t.otel_trace_id AS "otelTraceId", t.otel_span_id AS "otelSpanId",

  (SELECT c.title FROM courses c WHERE c.id = t.course_id) AS "courseTitle",
  (SELECT l.title FROM lessons l WHERE l.id = t.lesson_id) AS "lessonTitle",
  (SELECT l.ordinal FROM lessons l WHERE l.id = t.lesson_id) AS "lessonOrdinal"`;
const BODIES = `, t.input_data AS "inputData", t.output_data AS "outputData", t.error_data AS "errorData"`;

export const SPEC: ListSpec = {
  sortable: { id: 't.id', createdAt: 't.created_at', costUsd: 't.cost_usd', tokensUsed: 't.tokens_used', durationMs: 't.duration_ms' },
  filters: {
    id: uuidEq('t.id'),
    courseId: uuidEq('t.course_id'),
    lessonId: uuidEq('t.lesson_id'),
    stage: eq('t.stage'),
    phase: eq('t.phase'),
    modelUsed: eq('t.model_used'),
    label: eq('t.label'),
    /** a UTC day, YYYY-MM-DD: the calls the cost rollup (and invoice reconciliation) counts on that day */
    day: (v: unknown, param: (v: unknown) => string) => {
      if (typeof v !== 'string' || !isCalendarDate(v)) throw new BadRequestException('filter.day: must be a real date YYYY-MM-DD');
      const p = param(v);
      return `(t.created_at >= (${p}::date)::timestamp AT TIME ZONE 'UTC' AND t.created_at < (${p}::date + 1)::timestamp AT TIME ZONE 'UTC')`;
    },
    otelTraceId: eq('t.otel_trace_id'),
    // People search by the course's title, not its UUID.
    // ILIKE is not leakproof, so under row-level security it is never an index condition:
    // the matching courses (title or description, at most COUNT_CAP + 1 of them) come from
    // course_search_ids through the trigram indexes, and the traces through their course index.
    courseTitle: (value: unknown, param: (v: unknown) => string) => {
      let pattern = '';
      search('c.title')(value, (v) => ((pattern = String(v)), ''), 'courseTitle'); // validates, and escapes the pattern
      return `t.course_id = ANY(course_search_ids(${param(pattern)}, ${COUNT_CAP}))`;
    },
    hasError: (v: unknown) => {
      const b = z.boolean().safeParse(v);
      if (!b.success) throw new BadRequestException('filter.hasError: must be a boolean');
      return b.data ? 't.error_data IS NOT NULL' : 't.error_data IS NULL';
    },
  },
  defaultSort: ['createdAt', 'DESC'],
};
/** The traces list's sort and filter allow-lists (the index-coverage test walks them). */
export const TRACE_LIST_SPEC = SPEC;

/** A model call without its prompt and answer. */
export interface TraceSummaryRow {
  id: string;
  courseId: string;
  lessonId: string | null;
  run: number;
  stage: string;
  phase: string;
  stepName: string;
  modelUsed: string;
  provider: string;
  tokensUsed: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  durationMs: number | null;
  attempt: number;
  label: string;
  hasError: boolean;
  createdAt: Date;
  priceVersionId: string | null;
  repriceId: string | null;
  /** what the provider itself charged, when it says (OpenRouter's usage.cost) */
  providerCostUsd: number | null;
  /** the OpenTelemetry trace of the phase job that made the call, and the call's span */
  otelTraceId: string | null;
  otelSpanId: string | null;
  courseTitle: string | null;
  lessonTitle: string | null;
  lessonOrdinal: number | null;
}

/** A model call with what was sent and what came back. */
export interface TraceRow extends TraceSummaryRow {
  inputData?: unknown;
  outputData?: unknown;
  errorData?: unknown;
}

export class TracesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the traces list (react-admin's sort, range, filter) and its Content-Range. */
  async page(query: Record<string, unknown>): Promise<{ rows: TraceSummaryRow[]; range: string }> {
    const { rows, range } = await pageOf(this.db, query, SPEC, {
      resource: 'traces',
      select: SUMMARY,
      from: 'generation_trace t',
      tiebreak: 't.id',
      scope: { sql: 't.organization_id = $1', params: [this.organizationId] },
    });
    return { rows: rows as TraceSummaryRow[], range };
  }

  /** One trace; with its input, output and error bodies only when `withBodies`. */
  async trace(id: string, withBodies: boolean): Promise<TraceRow | undefined> {
    const [row] = await this.db.query<TraceRow>(
      `SELECT ${SUMMARY}${withBodies ? BODIES : ''} FROM generation_trace t WHERE t.id = $1 AND t.organization_id = $2`,
      [id, this.organizationId],
    );
    return row;
  }
}
