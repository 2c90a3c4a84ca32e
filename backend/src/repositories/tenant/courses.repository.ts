// Courses of the organization: lists, one course, creation and edits, its status rows and stages, and the locks that keep start limits race-free (its history and timeline: course-history.repository.ts).
// Tenant repository: runs on a transaction opened by TenantScope as mc_app for one
// organization (row-level security applies to every statement).
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import type { Queryable } from '../db';
import { COUNT_CAP, eq, ListSpec, pageOf, parseJson, search, uuidEq } from '../list-query';
import { isCalendarDate } from '../../common/dates';
import type { CourseContext } from '../../pipeline/course.types';
import type { Escalation } from '../../pipeline/escalation';
import { TRACE_ITEM_SQL } from '../trace-item';
import { projectCourseCost, Projection } from '../budget-projection';

export interface CourseRow {
  id: string;
  organization_id: string;
  created_by: string | null;
  title: string;
  description: string;
  language: 'en' | 'ru';
  content_style: string;
  status: string;
  generation_status: string;
  generation_progress: Record<string, unknown> & {
    percentage: number;
    current_stage: string | null;
    phase?: string | null;
    lessons_completed: number;
    lessons_total: number;
    has_documents: boolean;
    steps?: { stage: string; progress: number; status?: string }[];
  };
  approval_gates: number[];
  generation_run: number;
  error_message: string | null;
  error_details: Record<string, unknown> | null;
  generation_started_at: Date | null;
  generation_completed_at: Date | null;
  created_at: Date;
  updated_at: Date;
  cost_usd?: string | number | null;
  webhook_url?: string | null;
  approval_sla_minutes?: number | null;
  budget_usd?: string | null;
  started_by?: string | null;
  gate_kind?: string | null;
  /** who escalated the gate it waits at (a person or its deadline), when it was */
  gate_escalation?: Escalation | null;
  /** stage 5's score fell below the organization's quality threshold */
  quality_low?: boolean;
  quality_check?: { overall: number; threshold: number; method: string; model?: string; low: boolean; gate: boolean; checkedAt?: string } | null;
  context?: CourseContext | null;
}

/** A course in one of seed 001's analyses. */
export interface GenerationAnalysisRow {
  id: string;
  title: string;
  status: string;
  value: number;
  costUsd: number | null;
  durationMs: number | null;
  quality: number | null;
  modelUsed: Record<string, string> | null;
  createdAt: Date;
}

/** What the stages produced, kept on the course row. */
export interface CourseOutputsRow {
  analysis_result: unknown;
  course_structure: unknown;
  generation_metadata: unknown;
}

/** What the status route reads besides the course row. */
export interface StatusExtrasRow {
  generation_metadata: Record<string, any> | null;
  course_structure: { sections?: { lessons?: unknown[] }[] } | null;
  current_model: string | null;
}

export interface NewCourse {
  createdBy: string;
  title: string;
  description: string;
  language: string;
  contentStyle: string;
  approvalGates: number[];
  hasDocuments: boolean;
  documentSize: number;
  webhookUrl: string | null;
  approvalSlaMinutes: number | null;
  budgetUsd: number | null;
}

/** The editable fields of a course; absent ones are left as they are. */
export interface CoursePatch {
  title?: string;
  description?: string;
  approvalGates?: number[];
  webhookUrl?: string | null;
  approvalSlaMinutes?: number | null;
  budgetUsd?: number | null;
}

const PATCH_COLUMNS: Record<keyof CoursePatch, string> = {
  title: 'title',
  description: 'description',
  approvalGates: 'approval_gates',
  webhookUrl: 'webhook_url',
  approvalSlaMinutes: 'approval_sla_minutes',
  budgetUsd: 'budget_usd',
};

export interface PhaseMedianRow {
  stage: string;
  phase: string;
  median: number;
}

/** What START is completed from, read under the course's row lock. */
export interface StartFacts {
  approvalGates: number[];
  documentCount: number;
}

const COURSE_COLUMNS = `c.id, c.organization_id, c.created_by, c.title, c.description, c.language, c.content_style, c.status,
  c.generation_status, c.generation_progress, c.approval_gates, c.generation_run, c.error_message, c.error_details,
  c.generation_started_at, c.generation_completed_at, c.created_at, c.updated_at, c.webhook_url, c.approval_sla_minutes, c.budget_usd, c.started_by,
  c.machine_snapshot->'context'->'awaiting'->>'kind' AS gate_kind, c.machine_snapshot->'context'->'awaiting'->'escalation' AS gate_escalation,
  c.quality_low, c.quality_check`;
const COST = `(SELECT coalesce(sum(r.cost_usd), 0) FROM cost_daily_rollup r WHERE r.course_id = c.id) AS cost_usd`;

/** A real day (YYYY-MM-DD) as a bound on a timestamp; `<` bounds take the whole day. */
function dateBound(column: string, op: '>=' | '<') {
  const field = op === '<' ? 'createdTo' : 'createdFrom';
  return (v: unknown, param: (v: unknown) => string) => {
    if (typeof v !== 'string' || !isCalendarDate(v)) throw new BadRequestException(`filter.${field}: must be a real date YYYY-MM-DD`);
    // As timestamptz (the session's time zone, as the implicit cast would): timestamptz
    // comparisons are leakproof, so under row-level security the bound is an index condition.
    return op === '<' ? `${column} < (${param(v)}::date + 1)::timestamptz` : `${column} >= ${param(v)}::date::timestamptz`;
  };
}

/**
 * Seed 001's three analyses over generation_metadata. Each compares the stored generated
 * column of its value (migration 1763800040000), indexed after organization_id: under
 * row-level security only such leakproof float8 comparisons can be index conditions.
 */
export const GENERATION_ANALYSES = {
  expensive: { column: 'c.metadata_cost_usd', op: '>', filter: 'costAbove', defaultThreshold: 1.0, order: 'DESC' },
  slow: { column: 'c.metadata_duration_ms', op: '>', filter: 'slowerThanMs', defaultThreshold: 30000, order: 'DESC' },
  low_quality: { column: 'c.metadata_quality', op: '<', filter: 'qualityBelow', defaultThreshold: 0.7, order: 'ASC' },
} as const;
export type GenerationAnalysis = keyof typeof GENERATION_ANALYSES;

/** A course-list filter on one analysis's value: a finite number, bound as float8. */
function analysisFilter(kind: GenerationAnalysis) {
  const a = GENERATION_ANALYSES[kind];
  return (v: unknown, param: (v: unknown) => string) => {
    const n = typeof v === 'number' ? v : typeof v === 'string' && v.trim() !== '' ? Number(v) : NaN;
    if (!Number.isFinite(n) || n < 0) throw new BadRequestException(`filter.${a.filter}: must be a number of 0 or more`);
    return `${a.column} ${a.op} ${param(n)}::float8`;
  };
}

/** The states of a course waiting at a gate. */
export const AWAITING_STATES = [2, 3, 4, 5, 6].map((n) => `stage_${n}_awaiting_approval`);
const AWAITING_SQL = `{${AWAITING_STATES.join(',')}}`;

export const LIST_SPEC: ListSpec = {
  sortable: {
    id: 'c.id',
    title: 'c.title',
    status: 'c.status',
    generationStatus: 'c.generation_status',
    percentage: 'c.percentage',
    createdAt: 'c.created_at',
    updatedAt: 'c.updated_at',
  },
  filters: {
    id: uuidEq('c.id'),
    /** the user who created it (react-admin's getManyReference from a user) */
    createdBy: uuidEq('c.created_by'),
    q: search('c.title', 'c.description'),
    status: eq('c.status'),
    generationStatus: eq('c.generation_status'),
    language: eq('c.language'),
    // The dashboard's list filters: the stage a course is in (or waits after), and a creation date range.
    stage: (v: unknown, param: (v: unknown) => string) => {
      const n = z.coerce.number().int().min(2).max(6).safeParse(v);
      if (!n.success) throw new BadRequestException('filter.stage: must be a stage from 2 to 6');
      // Equality, not LIKE: under row-level security only leakproof operators are index conditions.
      return `c.generation_status = ANY(${param([`stage_${n.data}`, `stage_${n.data}_awaiting_approval`])}::text[])`;
    },
    createdFrom: dateBound('c.created_at', '>='),
    createdTo: dateBound('c.created_at', '<'),
    // Seed 001's analyses: {"costAbove":1}, {"slowerThanMs":30000}, {"qualityBelow":0.7}.
    costAbove: analysisFilter('expensive'),
    slowerThanMs: analysisFilter('slow'),
    qualityBelow: analysisFilter('low_quality'),
    // Courses whose stage 5 quality fell below the organization's threshold (migration 1763900500000).
    qualityLow: (v: unknown) => {
      if (v !== true && v !== false && v !== 'true' && v !== 'false') throw new BadRequestException('filter.qualityLow: must be true or false');
      return v === true || v === 'true' ? 'c.quality_low' : 'NOT c.quality_low';
    },
    awaitingApproval: (v: unknown) =>
      v === true || v === 'true' ? `c.generation_status = ANY('${AWAITING_SQL}')` : `c.generation_status <> ALL('${AWAITING_SQL}')`,
  },
  defaultSort: ['createdAt', 'DESC'],
};

/** An organization's own phase median counts once it has this many items. */
export const MIN_OWN_SAMPLES = 5;

export class CoursesRepository {
  constructor(
    private readonly db: Queryable,
    private readonly organizationId: string,
  ) {}

  /** One page of the organization's courses (ra-data-simple-rest parameters), with their cost. */
  async list(query: Record<string, unknown>): Promise<{ rows: CourseRow[]; range: string }> {
    const { spec, overCap } = await this.withSearch(query);
    // A pattern known to match more than COUNT_CAP courses is found soonest by walking the
    // sort's index; the planner cannot know it (ILIKE after the row-level filter) and would
    // scan and sort every course.
    if (overCap) await this.db.query(`SET LOCAL enable_seqscan = off`);
    const { rows, range } = await pageOf(this.db, query, spec, {
      resource: 'courses',
      select: `${COURSE_COLUMNS}, ${COST}`,
      from: 'courses c',
      tiebreak: 'c.id',
      overCap,
      scope: { sql: 'c.organization_id = $1', params: [this.organizationId] },
    });
    if (overCap) await this.db.query(`SET LOCAL enable_seqscan = on`);
    return { rows: rows as CourseRow[], range };
  }

  /**
   * `q` through the trigram indexes: ILIKE is not leakproof, so under row-level security
   * it could only filter rows after a walk of the organization's courses. The ids come
   * from course_search_ids (SECURITY DEFINER, the organization's courses only); up to
   * COUNT_CAP of them the page reads those ids, past it (a broad pattern, found quickly
   * in any order) the ILIKE stays and the total is known to pass the cap.
   */
  private async withSearch(query: Record<string, unknown>): Promise<{ spec: ListSpec; overCap: boolean }> {
    const filter = parseJson('filter', query.filter);
    if (typeof filter !== 'object' || filter === null || Array.isArray(filter) || !Object.hasOwn(filter, 'q')) return { spec: LIST_SPEC, overCap: false };
    const value = (filter as Record<string, unknown>).q;
    if (value === undefined || value === null || value === '') return { spec: LIST_SPEC, overCap: false };
    const params: unknown[] = [];
    LIST_SPEC.filters.q(value, (v) => (params.push(v), '$1'), 'q'); // validates, and escapes the pattern
    const [{ ids }] = await this.db.query<{ ids: string[] }>(`SELECT course_search_ids($1, $2) AS ids`, [params[0], COUNT_CAP]);
    if (ids.length > COUNT_CAP) return { spec: LIST_SPEC, overCap: true };
    return { spec: { ...LIST_SPEC, filters: { ...LIST_SPEC.filters, q: (_v, param) => `c.id = ANY(${param(ids)}::uuid[])` } }, overCap: false };
  }

  /**
   * One page of the organization's courses past an analysis's threshold (seed 001):
   * expensive (cost above), slow (total duration above), low quality (overall below),
   * with the value and the stage-5 figures, worst first.
   */
  async generationAnalysis(
    kind: GenerationAnalysis,
    threshold: number,
    query: Record<string, unknown>,
  ): Promise<{ rows: GenerationAnalysisRow[]; range: string }> {
    const a = GENERATION_ANALYSES[kind];
    const spec: ListSpec = {
      sortable: { value: a.column, createdAt: 'c.created_at', title: 'c.title' },
      filters: {},
      defaultSort: ['value', a.order],
    };
    const { rows, range } = await pageOf(this.db, query, spec, {
      resource: 'generations',
      select: `c.id, c.title, c.status, ${a.column} AS value, c.metadata_cost_usd AS "costUsd", c.metadata_duration_ms AS "durationMs",
               c.metadata_quality AS quality, c.generation_metadata->'model_used' AS "modelUsed", c.created_at AS "createdAt"`,
      from: 'courses c',
      tiebreak: 'c.id',
      scope: { sql: `c.organization_id = $1 AND ${a.column} ${a.op} $2::float8`, params: [this.organizationId, threshold] },
    });
    return { rows: rows as GenerationAnalysisRow[], range };
  }

  /** The course with its cost (and its machine's context when asked), or null. */
  async find(id: string, withContext = false): Promise<CourseRow | null> {
    const rows = await this.db.query<CourseRow>(
      `SELECT ${COURSE_COLUMNS}, ${COST}${withContext ? `, c.machine_snapshot->'context' AS context` : ''}
         FROM courses c WHERE c.id = $1 AND c.organization_id = $2`,
      [id, this.organizationId],
    );
    return rows[0] ?? null;
  }

  async outputs(id: string): Promise<CourseOutputsRow | null> {
    const [o] = await this.db.query<CourseOutputsRow>(`SELECT analysis_result, course_structure, generation_metadata FROM courses WHERE id = $1`, [id]);
    return o ?? null;
  }

  async statusExtras(id: string): Promise<StatusExtrasRow | null> {
    const [x] = await this.db.query<StatusExtrasRow>(
      `SELECT c.generation_metadata, c.course_structure,
              (SELECT model_used FROM generation_trace t WHERE t.course_id = c.id ORDER BY t.created_at DESC LIMIT 1) AS current_model
         FROM courses c WHERE c.id = $1`,
      [id],
    );
    return x ?? null;
  }

  /** The gates a new course of the organization gets when it names none. */
  async defaultApprovalGates(): Promise<number[]> {
    const [org] = await this.db.query<{ default_approval_gates: number[] }>(`SELECT default_approval_gates FROM organizations WHERE id = $1`, [
      this.organizationId,
    ]);
    return org.default_approval_gates;
  }

  /** Whether the organization forbids who started a generation to decide its gates. */
  async requiresDistinctApprover(): Promise<boolean> {
    const [org] = await this.db.query<{ require_distinct_approver: boolean }>(`SELECT require_distinct_approver FROM organizations WHERE id = $1`, [
      this.organizationId,
    ]);
    return !!org?.require_distinct_approver;
  }

  async insert(c: NewCourse): Promise<string> {
    const [{ id }] = await this.db.query<{ id: string }>(
      `INSERT INTO courses (organization_id, created_by, title, description, language, content_style, approval_gates, webhook_url, approval_sla_minutes, budget_usd, generation_progress)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $10, $11, $12, jsonb_build_object(
         'percentage', 0, 'message', '', 'current_step', 0, 'current_stage', NULL, 'steps', '[]'::jsonb,
         'has_documents', $8::boolean, 'document_size', $9::int, 'lessons_completed', 0, 'lessons_total', 0,
         'started_at', NULL, 'estimated_completion', NULL))
       RETURNING id`,
      [
        this.organizationId,
        c.createdBy,
        c.title,
        c.description,
        c.language,
        c.contentStyle,
        c.approvalGates,
        c.hasDocuments,
        c.documentSize,
        c.webhookUrl,
        c.approvalSlaMinutes,
        c.budgetUsd,
      ],
    );
    return id;
  }

  /**
   * Deletes a course that never ran (idle, never started): what it owns goes with it by
   * ON DELETE CASCADE. Undefined when there is no such course; otherwise its status, and
   * `deleted` false when it has run (then it stays, for its traces, costs and history).
   */
  async deleteNeverRun(id: string): Promise<{ deleted: boolean; generationStatus: string } | undefined> {
    const [row] = await this.db.query<{ generation_status: string; ran: boolean }>(
      `SELECT generation_status, (generation_status <> 'idle' OR generation_started_at IS NOT NULL OR generation_run > 0) AS ran
         FROM courses WHERE id = $1 AND organization_id = $2 FOR UPDATE`,
      [id, this.organizationId],
    );
    if (!row) return undefined;
    if (row.ran) return { deleted: false, generationStatus: row.generation_status };
    await this.db.query(`DELETE FROM courses WHERE id = $1 AND organization_id = $2`, [id, this.organizationId]);
    return { deleted: true, generationStatus: row.generation_status };
  }

  async update(id: string, patch: CoursePatch): Promise<void> {
    const sets: string[] = [];
    const params: unknown[] = [id, this.organizationId];
    for (const key of Object.keys(PATCH_COLUMNS) as (keyof CoursePatch)[]) {
      if (patch[key] === undefined) continue;
      params.push(patch[key]);
      sets.push(`${PATCH_COLUMNS[key]} = $${params.length}`);
    }
    if (sets.length) await this.db.query(`UPDATE courses SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND organization_id = $2`, params);
  }

  /**
   * Takes the organization's start lock until the transaction ends and returns its limit
   * of concurrent generations: START transactions of one organization count their active
   * courses one at a time. (NO KEY UPDATE: rows referencing the organization can still
   * be inserted meanwhile.)
   */
  async lockStartLimit(): Promise<number> {
    const [org] = await this.db.query<{ limit: number }>(`SELECT max_concurrent_generations AS limit FROM organizations WHERE id = $1 FOR NO KEY UPDATE`, [
      this.organizationId,
    ]);
    return org.limit;
  }

  /** The organization's courses queued or generating. */
  async countActive(): Promise<number> {
    const [{ active }] = await this.db.query<{ active: number }>(
      `SELECT count(*)::int AS active FROM courses WHERE organization_id = $1 AND status IN ('queued', 'generating')`,
      [this.organizationId],
    );
    return active;
  }

  /** The course's gates and its number of documents (START's inputs). */
  async startFacts(id: string): Promise<StartFacts> {
    const [r] = await this.db.query<{ approval_gates: number[]; documents: number }>(
      `SELECT c.approval_gates, (SELECT count(*)::int FROM course_documents d WHERE d.course_id = c.id) AS documents
         FROM courses c WHERE c.id = $1`,
      [id],
    );
    return { approvalGates: r.approval_gates, documentCount: r.documents };
  }

  /** A start refused at the organization's limit (written after the refused transaction rolled back). */
  async recordConcurrencyLimitHit(courseId: string, active: number, limit: number): Promise<void> {
    await this.db.query(
      `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata) VALUES ('concurrency_limit_hit', 'warn', $1, $2, $3, $4)`,
      [this.organizationId, courseId, `limit of ${limit} concurrent generations reached`, { active, limit }],
    );
  }

  async setStartedBy(id: string, userId: string): Promise<void> {
    await this.db.query(`UPDATE courses SET started_by = $2 WHERE id = $1`, [id, userId]);
  }

  /** A restart begins from nothing: saved phase outputs, lessons and the stages' outputs go. */
  async clearGeneratedWork(id: string): Promise<void> {
    await this.db.query(`DELETE FROM phase_outputs WHERE course_id = $1`, [id]);
    await this.db.query(`DELETE FROM lessons WHERE course_id = $1`, [id]);
    await this.db.query(`UPDATE courses SET analysis_result = NULL, course_structure = NULL, generation_metadata = NULL WHERE id = $1`, [id]);
  }

  /** A rejected stage runs again from scratch: its saved outputs must not be reused. */
  async deleteStageOutputs(id: string, stage: number): Promise<void> {
    await this.db.query(`DELETE FROM phase_outputs WHERE course_id = $1 AND stage = $2`, [id, stage]);
  }

  /** The course's projected cost to completion against its budget. */
  projectCost(id: string, lessonsToGo: number): Promise<Projection> {
    return projectCourseCost(this.db, id, lessonsToGo);
  }

  /** The organization's average cost of one item of a phase (null without history). */
  async averageItemCost(stage: string, phase: string): Promise<number | null> {
    const [avg] = await this.db.query<{ avg: number | null }>(
      `SELECT avg(per_item)::float8 AS avg FROM (
         SELECT sum(cost_usd) AS per_item FROM generation_trace
          WHERE organization_id = $1 AND stage = $2 AND phase = $3
          GROUP BY course_id, run, ${TRACE_ITEM_SQL}) x`,
      [this.organizationId, stage, phase],
    );
    return avg?.avg ?? null;
  }

  /**
   * The median duration (ms) of an item per stage and phase for the given provider, as the
   * worker last computed them (MediansSystemRepository): the organization's own where it
   * has at least MIN_OWN_SAMPLES items, else every organization's; phases that made no
   * model call (provider '') count for any provider. A few rows of two small tables.
   */
  phaseDurationMedians(provider: string): Promise<PhaseMedianRow[]> {
    return this.db.query<PhaseMedianRow>(
      `SELECT DISTINCT ON (stage, phase) stage, phase, median FROM (
         SELECT stage, phase, median_ms AS median, CASE WHEN provider = $2 THEN 1 ELSE 2 END AS rank
           FROM phase_duration_medians_org WHERE organization_id = $1 AND provider = ANY(ARRAY[$2, '']) AND samples >= ${MIN_OWN_SAMPLES}
         UNION ALL
         SELECT stage, phase, median_ms, CASE WHEN provider = $2 THEN 3 ELSE 4 END
           FROM phase_duration_medians_all WHERE provider = ANY(ARRAY[$2, ''])) m
       ORDER BY stage, phase, rank`,
      [this.organizationId, provider],
    );
  }
}
