// The rules of the courses API: every query scoped to the caller's organization,
// creation, and the user events (start, approve, reject, retry, cancel, restart) sent
// through the orchestrator. A refused event is a 409 that says why.
import { BadRequestException, ForbiddenException, Inject, Injectable } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkWebhookUrl } from '../webhooks/url-guard';
import { STAGE_STEPS } from '../pipeline/stages';
import type { CourseContext } from '../pipeline/course.types';
import { createHash } from 'node:crypto';
import { DataSource, QueryRunner } from 'typeorm';
import { z } from 'zod';
import type { AuthUser } from '../auth/access.decorators';
import { eq, pageOf, search, uuidEq } from '../repositories/list-query';
import { ConflictStateError, TooManyError } from '../common/errors.filter';
import { SystemApplyOptions, CourseNotFoundError, CourseOrchestrator } from '../orchestrator/course-orchestrator';
import type { PersistedCourse } from '../pipeline/course.runtime';
import type { Actor, CourseEvent } from '../pipeline/course.types';
import type { StageNumber } from '../pipeline/stages';
import { ApproveDto, CourseRow, CreateCourseDto, RejectDto, UpdateCourseDto, toCourseResponse, toStageInfo } from './courses.dto';
import { Lang } from './status-messages';
import { toStatusContract } from './status.contract';
import { EtaService } from './eta.service';
import { StatusCache } from './status-cache';
import { Queryable, TenantDb } from '../repositories/tenant/tenant-db';
import { keepRejectedOutput } from '../approvals/stage-output';
import { holdOf, projectCourseCost } from '../reports/budget-projection';
import { TRACE_ITEM_SQL } from '../gateway/model-gateway';

const COURSE_COLUMNS = `c.id, c.organization_id, c.created_by, c.title, c.description, c.language, c.content_style, c.status,
  c.generation_status, c.generation_progress, c.approval_gates, c.generation_run, c.error_message, c.error_details,
  c.generation_started_at, c.generation_completed_at, c.created_at, c.updated_at, c.webhook_url, c.approval_sla_minutes, c.budget_usd, c.started_by,
  c.machine_snapshot->'context'->'awaiting'->>'kind' AS gate_kind`;
const COST = `(SELECT coalesce(sum(r.cost_usd), 0) FROM cost_daily_rollup r WHERE r.course_id = c.id) AS cost_usd`;

/** A day (YYYY-MM-DD) as a bound on a timestamp; `<` bounds take the whole day. */
function dateBound(column: string, op: '>=' | '<') {
  return (v: unknown, param: (v: unknown) => string) => {
    const d = z.string().regex(/^\d{4}-\d{2}-\d{2}$/).refine((x) => !Number.isNaN(Date.parse(x))).safeParse(v);
    if (!d.success) throw new BadRequestException(`filter.${op === '<' ? 'createdTo' : 'createdFrom'}: must be a date YYYY-MM-DD`);
    return op === '<' ? `${column} < ${param(d.data)}::date + 1` : `${column} >= ${param(d.data)}::date`;
  };
}

const LIST_SPEC = {
  sortable: { id: 'c.id', title: 'c.title', status: 'c.status', generationStatus: 'c.generation_status', percentage: 'c.percentage', createdAt: 'c.created_at', updatedAt: 'c.updated_at' },
  filters: {
    id: uuidEq('c.id'),
    q: search('c.title', 'c.description'),
    status: eq('c.status'),
    generationStatus: eq('c.generation_status'),
    language: eq('c.language'),
    // The dashboard's list filters: the stage a course is in (or waits after), and a creation date range.
    stage: (v: unknown, param: (v: unknown) => string) => {
      const n = z.coerce.number().int().min(2).max(6).safeParse(v);
      if (!n.success) throw new BadRequestException('filter.stage: must be a stage from 2 to 6');
      return `c.generation_status LIKE ${param(`stage\\_${n.data}%`)}`;
    },
    createdFrom: dateBound('c.created_at', '>='),
    createdTo: dateBound('c.created_at', '<'),
    awaitingApproval: (v: unknown) => (v === true || v === 'true' ? `c.generation_status LIKE '%\\_awaiting\\_approval'` : `c.generation_status NOT LIKE '%\\_awaiting\\_approval'`),
  },
  defaultSort: ['createdAt', 'DESC'] as [string, 'DESC'],
};

/** What the status route reads from Postgres; the status cache keeps it per course. */
interface StatusRows {
  row: CourseRow;
  extra: { generation_metadata: Record<string, any> | null; course_structure: { sections?: { lessons?: unknown[] }[] } | null; current_model: string | null };
}

const userActor = (u: AuthUser): Actor => ({ type: 'user', id: u.id, role: u.role });

@Injectable()
export class CoursesService {
  constructor(
    private readonly ds: DataSource,
    private readonly orchestrator: CourseOrchestrator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly eta: EtaService,
    private readonly statusCache: StatusCache<StatusRows>,
    private readonly tenant: TenantDb,
  ) {}

  private async checkWebhook(url: string | null | undefined): Promise<void> {
    if (!url) return;
    const check = await checkWebhookUrl(url, this.config.webhooks.allowHosts);
    if (!check.ok) throw new BadRequestException(`webhookUrl: ${check.reason}`);
  }

  async list(user: AuthUser, query: Record<string, unknown>, lang: Lang) {
    const { rows, range } = await this.tenant.run(user.organizationId, (db) => pageOf(db, query, LIST_SPEC, {
      resource: 'courses', select: `${COURSE_COLUMNS}, ${COST}`, from: 'courses c', tiebreak: 'c.id',
      scope: { sql: 'c.organization_id = $1', params: [user.organizationId] },
    }));
    return { data: (rows as CourseRow[]).map((r) => toCourseResponse(r, lang)), range };
  }

  /** The caller's course (in the caller's scope when `db` is given), or 404. */
  async row(user: AuthUser, id: string, withContext = false, db?: Queryable): Promise<CourseRow> {
    const run = (d: Queryable) => d.query(
      `SELECT ${COURSE_COLUMNS}, ${COST}${withContext ? `, c.machine_snapshot->'context' AS context` : ''}
         FROM courses c WHERE c.id = $1 AND c.organization_id = $2`,
      [id, user.organizationId],
    );
    const rows = db ? await run(db) : await this.tenant.run(user.organizationId, run);
    if (!rows[0]) throw new CourseNotFoundError(id);
    return rows[0];
  }

  /** One course, with what its stages produced (for reviewers and the course page). */
  async get(user: AuthUser, id: string, lang: Lang) {
    const [row, outputs] = await this.tenant.run(user.organizationId, async (db) => {
      const r = await this.row(user, id, false, db);
      const [o] = await db.query(`SELECT analysis_result, course_structure, generation_metadata FROM courses WHERE id = $1`, [id]);
      return [r, o] as const;
    });
    return {
      ...toCourseResponse(row, lang),
      analysisResult: outputs.analysis_result,
      courseStructure: outputs.course_structure,
      generationMetadata: outputs.generation_metadata,
    };
  }

  async create(user: AuthUser, dto: CreateCourseDto, lang: Lang) {
    await this.checkWebhook(dto.webhookUrl);
    const id = await this.ds.transaction(async (em) => {
      const [org] = await em.query(`SELECT default_approval_gates FROM organizations WHERE id = $1`, [user.organizationId]);
      const gates = dto.approvalGates ?? org.default_approval_gates;
      const size = dto.documents.reduce((n, d) => n + Buffer.byteLength(d.content), 0);
      const [{ id }] = await em.query(
        `INSERT INTO courses (organization_id, created_by, title, description, language, content_style, approval_gates, webhook_url, approval_sla_minutes, budget_usd, generation_progress)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $10, $11, $12, jsonb_build_object(
           'percentage', 0, 'message', '', 'current_step', 0, 'current_stage', NULL, 'steps', '[]'::jsonb,
           'has_documents', $8::boolean, 'document_size', $9::int, 'lessons_completed', 0, 'lessons_total', 0,
           'started_at', NULL, 'estimated_completion', NULL))
         RETURNING id`,
        [user.organizationId, user.id, dto.title, dto.description, dto.language, dto.contentStyle, gates, dto.documents.length > 0, size, dto.webhookUrl ?? null, dto.approvalSlaMinutes ?? null, dto.budgetUsd ?? null],
      );
      for (let i = 0; i < dto.documents.length; i++) {
        const d = dto.documents[i];
        await em.query(
          `INSERT INTO course_documents (course_id, organization_id, ordinal, filename, mime_type, size_bytes, sha256, content)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [id, user.organizationId, i, d.filename, d.mimeType, Buffer.byteLength(d.content), createHash('sha256').update(d.content).digest('hex'), d.content],
        );
      }
      return id as string;
    });
    return this.get(user, id, lang);
  }

  async update(user: AuthUser, id: string, dto: UpdateCourseDto, lang: Lang) {
    await this.row(user, id);
    await this.checkWebhook(dto.webhookUrl);
    const sets: string[] = [];
    const params: unknown[] = [id, user.organizationId];
    const set = (column: string, value: unknown) => { params.push(value); sets.push(`${column} = $${params.length}`); };
    if (dto.title !== undefined) set('title', dto.title);
    if (dto.description !== undefined) set('description', dto.description);
    if (dto.approvalGates !== undefined) set('approval_gates', dto.approvalGates);
    if (dto.webhookUrl !== undefined) set('webhook_url', dto.webhookUrl);
    if (dto.approvalSlaMinutes !== undefined) set('approval_sla_minutes', dto.approvalSlaMinutes);
    if (dto.budgetUsd !== undefined) set('budget_usd', dto.budgetUsd);
    if (sets.length) await this.ds.query(`UPDATE courses SET ${sets.join(', ')}, updated_at = now() WHERE id = $1 AND organization_id = $2`, params);
    this.statusCache.invalidate(id);
    return this.get(user, id, lang);
  }

  async start(user: AuthUser, id: string) {
    const course = await this.row(user, id);
    if (course.generation_status !== 'idle') {
      throw new ConflictStateError(`course is ${course.generation_status}; only an idle course can be started (use retry or restart)`);
    }
    const [{ active, limit }] = await this.ds.query(
      `SELECT (SELECT count(*)::int FROM courses WHERE organization_id = $1 AND status IN ('queued', 'generating')) AS active,
              (SELECT max_concurrent_generations FROM organizations WHERE id = $1) AS limit`,
      [user.organizationId],
    );
    if (active >= limit) {
      await this.ds.query(
        `INSERT INTO system_metrics (metric_type, severity, organization_id, course_id, message, metadata) VALUES ('concurrency_limit_hit', 'warn', $1, $2, $3, $4)`,
        [user.organizationId, id, `limit of ${limit} concurrent generations reached`, { active, limit }],
      );
      throw new TooManyError(`concurrency limit reached: ${active} of ${limit} generations already running for this organization`);
    }
    const [{ n }] = await this.ds.query(`SELECT count(*)::int AS n FROM course_documents WHERE course_id = $1`, [id]);
    const outcome = await this.send(id, {
      type: 'START', actor: userActor(user), hasDocuments: n > 0, documentCount: n, gates: course.approval_gates as StageNumber[],
    }, { withinTransaction: async (qr: Queryable) => void (await qr.query(`UPDATE courses SET started_by = $2 WHERE id = $1`, [id, user.id])) });
    const jobs = outcome.effects.find((e) => e.type === 'enqueuePhases');
    return { jobId: jobs && jobs.type === 'enqueuePhases' ? jobs.jobs[0].jobId : null, courseId: id, status: 'queued' as const };
  }

  /** No self-approval when the organization asks for it: who started a generation may not decide its gates. */
  /**
   * Who decides a gate: reviewers (and admins) a review gate, finance (and admins) a
   * budget gate. Returns the gate the course waits at, if any.
   */
  private async checkDecider(user: AuthUser, course: CourseRow): Promise<NonNullable<CourseContext['awaiting']> | null> {
    const [org] = await this.ds.query(`SELECT require_distinct_approver FROM organizations WHERE id = $1`, [user.organizationId]);
    if (org?.require_distinct_approver && course.started_by === user.id) {
      throw new ForbiddenException('you started this generation; your organization requires someone else to decide its gates');
    }
    const gate = course.context?.awaiting ?? null;
    if (gate?.kind === 'budget' && user.role === 'reviewer') {
      throw new ForbiddenException(`this is a budget gate (projected $${gate.budget?.projectedUsd} of a $${gate.budget?.budgetUsd} budget): finance decides it`);
    }
    if (gate && gate.kind !== 'budget' && user.role === 'finance') throw new ForbiddenException('this is a review gate: reviewers decide it; finance decides budget gates');
    if (!gate && user.role === 'finance') throw new ForbiddenException('finance decides budget gates only, and this course waits at none');
    return gate;
  }

  async approve(user: AuthUser, id: string, dto: ApproveDto) {
    const course = await this.row(user, id, true);
    const gate = await this.checkDecider(user, course);
    // A review approved: the course goes on unless the rest of it (its lessons, none of
    // them generated before stage 6) would pass its budget; then it waits at a budget gate.
    const budgetHold = gate && gate.kind !== 'budget' && gate.stage === dto.stage
      ? holdOf(await projectCourseCost(this.ds, id, course.context?.lessonsTotal ?? 0)) ?? undefined
      : undefined;
    await this.send(id, { type: 'APPROVE', actor: userActor(user), stage: dto.stage as StageNumber, comment: dto.comment, budgetHold }, {
      withinTransaction: (qr: Queryable, _o, row) => this.recordDecision(qr, row.machine_snapshot, user, dto.stage, 'approved', 'continue', dto.comment, []),
    });
    return this.statusAfter(user, id);
  }

  async reject(user: AuthUser, id: string, dto: RejectDto) {
    const gate = await this.checkDecider(user, await this.row(user, id, true));
    if (gate?.kind === 'budget' && dto.action !== 'cancel') throw new BadRequestException('action: a budget gate is declined with cancel (there is nothing to rerun)');
    await this.send(id, { type: 'REJECT', actor: userActor(user), stage: dto.stage as StageNumber, action: dto.action, reasons: dto.reasons, comment: dto.comment }, {
      withinTransaction: async (qr: Queryable, _o, row) => {
        await this.recordDecision(qr, row.machine_snapshot, user, dto.stage, 'rejected', dto.action, dto.comment, dto.reasons);
        // The stage runs again from scratch: its saved outputs must not be reused, but
        // the rejected output is kept so reviewers can compare the next attempt with it.
        if (dto.action === 'rerun') await keepRejectedOutput(qr, id, dto.stage, user.id, dto.reasons ?? [], dto.comment ?? '');
        if (dto.action === 'rerun') await qr.query(`DELETE FROM phase_outputs WHERE course_id = $1 AND stage = $2`, [id, dto.stage]);
      },
    });
    return this.statusAfter(user, id);
  }

  async retry(user: AuthUser, id: string) {
    const before = await this.row(user, id, true);
    const plan = await this.retryPlan(user, before.context ?? null);
    await this.send(id, { type: 'RETRY', actor: userActor(user) });
    return { ...(await this.statusAfter(user, id)), retry: plan };
  }

  /**
   * What a retry runs again: the unfinished items of the failed step (finished items
   * and finished phases are reused from their saved outputs), with an estimate of their
   * cost from this organization's average cost of the same phase.
   */
  private async retryPlan(user: AuthUser, ctx: CourseContext | null) {
    if (!ctx?.stage || !ctx.step) return { phases: [], reusedItems: 0, estimatedCostUsd: 0 };
    const plan = STAGE_STEPS[ctx.stage][ctx.step.index];
    const todo = Array.from({ length: ctx.step.total }, (_, i) => i).filter((i) => !ctx.step!.done.includes(i));
    const [avg] = await this.ds.query(
      `SELECT avg(per_item)::float8 AS avg FROM (
         SELECT sum(cost_usd) AS per_item FROM generation_trace
          WHERE organization_id = $1 AND stage = $2 AND phase = $3
          GROUP BY course_id, run, ${TRACE_ITEM_SQL}) x`,
      [user.organizationId, `stage_${ctx.stage}`, plan.phase],
    );
    return {
      phases: todo.map((index) => ({ stage: `stage_${ctx.stage}`, phase: plan.phase, index })),
      reusedItems: ctx.step.done.length,
      estimatedCostUsd: avg?.avg === null || avg?.avg === undefined ? null : Number((avg.avg * todo.length).toFixed(8)),
    };
  }

  async cancel(user: AuthUser, id: string, reason?: string) {
    await this.row(user, id);
    await this.send(id, { type: 'CANCEL', actor: userActor(user), reason: reason ?? `cancelled by ${user.email}` });
    return this.statusAfter(user, id);
  }

  async restart(user: AuthUser, id: string) {
    await this.row(user, id);
    await this.send(id, { type: 'RESTART', actor: userActor(user) }, {
      restart: true,
      withinTransaction: async (qr: Queryable) => {
        await qr.query(`UPDATE courses SET started_by = $2 WHERE id = $1`, [id, user.id]);
        await qr.query(`DELETE FROM phase_outputs WHERE course_id = $1`, [id]);
        await qr.query(`DELETE FROM lessons WHERE course_id = $1`, [id]);
        await qr.query(`UPDATE courses SET analysis_result = NULL, course_structure = NULL, generation_metadata = NULL WHERE id = $1`, [id]);
      },
    });
    return this.statusAfter(user, id);
  }

  async status(user: AuthUser, id: string, lang: Lang) {
    const rows = await this.statusCache.read(id, user.organizationId, () => this.tenant.run(user.organizationId, async (db) => {
      const r = await this.row(user, id, true, db);
      const [x] = await db.query(
        `SELECT c.generation_metadata, c.course_structure,
                (SELECT model_used FROM generation_trace t WHERE t.course_id = c.id ORDER BY t.created_at DESC LIMIT 1) AS current_model
           FROM courses c WHERE c.id = $1`,
        [id],
      );
      return { row: r, extra: x } as StatusRows;
    }));
    return this.statusAnswer(rows, lang);
  }

  /**
   * The status answer, serialized, when the course's rows are cached for the caller's
   * organization (nothing is read), else null. Callers asking within 250 ms of each other
   * share one answer, as long as the course has not changed in between (the rows then differ).
   */
  async cachedStatusBody(user: AuthUser, id: string, lang: Lang): Promise<string | null> {
    const rows = this.statusCache.get(id, user.organizationId);
    if (!rows) return null;
    const key = `${id}:${lang}`;
    const hit = this.statusAnswers.get(key);
    if (hit && hit.rows === rows && Date.now() - hit.at < 250) return hit.body;
    const body = JSON.stringify(await this.statusAnswer(rows, lang));
    if (this.statusAnswers.size >= 10_000) this.statusAnswers.clear();
    this.statusAnswers.set(key, { rows, at: Date.now(), body });
    return body;
  }

  private readonly statusAnswers = new Map<string, { rows: StatusRows; at: number; body: string }>();

  private async statusAnswer({ row, extra }: StatusRows, lang: Lang) {
    return toStatusContract(row, {
      currentModel: extra.current_model ?? null,
      generationMetadata: extra.generation_metadata,
      courseStructure: extra.course_structure,
      now: new Date(),
      etaSeconds: row.context && (row.status === 'generating' || row.status === 'queued') ? await this.eta.estimate(row.context) : null,
    }, lang);
  }

  async stages(user: AuthUser, id: string, lang: Lang) {
    return toStageInfo(await this.row(user, id), lang);
  }

  async history(user: AuthUser, id: string, query: Record<string, unknown>) {
    const { rows, range } = await this.tenant.run(user.organizationId, async (db) => {
      await this.row(user, id, false, db);
      return pageOf(db, query, {
      sortable: { id: 'h.id', createdAt: 'h.created_at' },
      filters: { event: eq('h.event'), actorType: eq('h.actor_type') },
      defaultSort: ['id', 'ASC'],
      maxPage: 1000,
    }, {
      resource: 'history', from: 'generation_status_history h', tiebreak: 'h.id',
      select: `h.id::text, h.from_status AS "fromStatus", h.to_status AS "toStatus", h.event, h.actor_type AS "actorType",
               h.actor_id AS "actorId", h.reason, h.stage, h.phase, h.percentage, h.run, h.created_at AS "createdAt"`,
      scope: { sql: 'h.course_id = $1', params: [id] },
      });
    });
    return { data: rows, range };
  }

  private async statusAfter(user: AuthUser, id: string) {
    return this.status(user, id, 'en');
  }

  private async send(id: string, event: CourseEvent, options?: SystemApplyOptions) {
    const outcome = await this.orchestrator.apply(id, event, options);
    this.statusCache.invalidate(id);
    if (!outcome.applied) throw new ConflictStateError(`${event.type} refused: ${outcome.detail}`);
    return outcome;
  }

  private async recordDecision(qr: Queryable, snapshot: PersistedCourse | null, user: AuthUser, stage: number, decision: string, action: string, comment: string, reasons: string[]) {
    const gateKey = snapshot?.context.awaiting?.gateKey ?? `s${stage}-unknown`;
    await qr.query(
      `INSERT INTO approvals (course_id, organization_id, stage, gate_key, decision, action, decided_by, decided_role, comment, reasons)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
      [snapshot?.context.courseId, user.organizationId, stage, gateKey, decision, action, user.id, user.role, comment, reasons],
    );
  }
}
