// The rules of the courses API: every query scoped to the caller's organization,
// creation, and the user events (start, approve, reject, retry, cancel, restart) sent
// through the orchestrator. A refused event is a 409 that says why.
import { BadRequestException, ForbiddenException, Inject, Injectable, UnsupportedMediaTypeException } from '@nestjs/common';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkWebhookUrl } from '../webhooks/url-guard';
import { STAGE_STEPS } from '../pipeline/stages';
import type { CourseContext } from '../pipeline/course.types';
import { createHash } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuthUser } from '../auth/access.decorators';
import { can } from '../auth/permissions';
import { ConflictStateError, TooManyError } from '../common/errors.filter';
import { TenantApplyOptions, CourseNotFoundError, CourseOrchestrator } from '../orchestrator/course-orchestrator';
import type { Actor, CourseEvent } from '../pipeline/course.types';
import type { StageNumber } from '../pipeline/stages';
import { ApproveDto, CourseRow, CreateCourseDto, RejectDto, UpdateCourseDto, toCourseResponse, toStageInfo } from './courses.dto';
import { Lang, pickLanguage } from './status-messages';
import { DocumentContentRejected, checkTextContent } from '../documents/document-files';
import { toStatusContract } from './status.contract';
import { EtaService } from './eta.service';
import { StatusCache } from './status-cache';
import { TenantRepositories, TenantScope } from '../repositories/tenant/tenant-scope';
import type { StatusExtrasRow } from '../repositories/tenant/courses.repository';
import { holdOf } from '../repositories/budget-projection';
import { styleView } from '../pipeline/content-styles';

/** What the status route reads from Postgres; the status cache keeps it per course. */
interface StatusRows {
  row: CourseRow;
  extra: StatusExtrasRow;
}

/** Why a START was refused at the organization's limit (seen by the refused transaction). */
class StartLimitReached extends TooManyError {
  constructor(
    readonly active: number,
    readonly limit: number,
  ) {
    super(`concurrency limit reached: ${active} of ${limit} generations already running for this organization`);
  }
}

const userActor = (u: AuthUser): Actor => ({ type: 'user', id: u.id, role: u.role });

@Injectable()
export class CoursesService {
  constructor(
    private readonly orchestrator: CourseOrchestrator,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly eta: EtaService,
    private readonly statusCache: StatusCache<StatusRows>,
    private readonly scope: TenantScope,
  ) {}

  private async checkWebhook(url: string | null | undefined): Promise<void> {
    if (!url) return;
    const check = await checkWebhookUrl(url, this.config.webhooks.allowHosts);
    if (!check.ok) throw new BadRequestException(`webhookUrl: ${check.reason}`);
  }

  async list(user: AuthUser, query: Record<string, unknown>, lang: Lang) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.courses.list(query));
    return { data: rows.map((r) => toCourseResponse(r, lang)), range };
  }

  /** The caller's course (in the caller's transaction when `repos` is given), or 404. */
  async row(user: AuthUser, id: string, withContext = false, repos?: TenantRepositories): Promise<CourseRow> {
    const row = repos ? await repos.courses.find(id, withContext) : await this.scope.run(user.organizationId, (r) => r.courses.find(id, withContext));
    if (!row) throw new CourseNotFoundError(id);
    return row;
  }

  /** One course, with what its stages produced (for reviewers and the course page). */
  async get(user: AuthUser, id: string, lang: Lang) {
    const [row, outputs] = await this.scope.run(user.organizationId, async (repos) => {
      const r = await this.row(user, id, false, repos);
      return [r, await repos.courses.outputs(id)] as const;
    });
    return {
      ...toCourseResponse(row, lang),
      /** the content style's guidance block, as the prompts carry it, in the caller's language */
      contentStyleGuide: styleView(row.content_style, lang),
      analysisResult: outputs?.analysis_result,
      courseStructure: outputs?.course_structure,
      generationMetadata: outputs?.generation_metadata,
    };
  }

  async create(user: AuthUser, dto: CreateCourseDto, lang: Lang) {
    // Documents sent as JSON get the uploads' content checks (HTML is stored sanitized).
    const documents = dto.documents.map((d, i) => {
      try {
        return { ...d, content: checkTextContent(`documents.${i} ("${d.filename}")`, d.mimeType, Buffer.from(d.content, 'utf8')).toString('utf8') };
      } catch (err) {
        if (err instanceof DocumentContentRejected) throw new UnsupportedMediaTypeException(err.message);
        throw err;
      }
    });
    await this.checkWebhook(dto.webhookUrl);
    const id = await this.scope.run(user.organizationId, async (repos) => {
      const gates = dto.approvalGates ?? (await repos.courses.defaultApprovalGates());
      const size = documents.reduce((n, d) => n + Buffer.byteLength(d.content), 0);
      const id = await repos.courses.insert({
        createdBy: user.id,
        title: dto.title,
        description: dto.description,
        language: dto.language,
        contentStyle: dto.contentStyle,
        approvalGates: gates,
        hasDocuments: documents.length > 0,
        documentSize: size,
        webhookUrl: dto.webhookUrl ?? null,
        approvalSlaMinutes: dto.approvalSlaMinutes ?? null,
        budgetUsd: dto.budgetUsd ?? null,
      });
      for (let i = 0; i < documents.length; i++) {
        const d = documents[i];
        // Given inline with the course: stored in the row, no file.
        await repos.documents.insert({
          courseId: id,
          ordinal: i,
          filename: d.filename,
          mimeType: d.mimeType,
          sizeBytes: Buffer.byteLength(d.content),
          sha256: createHash('sha256').update(d.content).digest('hex'),
          content: d.content,
          storagePath: null,
        });
      }
      return id;
    });
    return this.get(user, id, lang);
  }

  async update(user: AuthUser, id: string, dto: UpdateCourseDto, lang: Lang) {
    await this.row(user, id);
    await this.checkWebhook(dto.webhookUrl);
    await this.scope.run(user.organizationId, (repos) =>
      repos.courses.update(id, {
        title: dto.title,
        description: dto.description,
        approvalGates: dto.approvalGates,
        webhookUrl: dto.webhookUrl,
        approvalSlaMinutes: dto.approvalSlaMinutes,
        budgetUsd: dto.budgetUsd,
      }),
    );
    this.statusCache.invalidate(id);
    return this.get(user, id, lang);
  }

  /**
   * Deletes a course that never ran (a draft). One that has run keeps its traces, costs
   * and history: deleting it is a 409 saying so (cancel it instead). Its stored document
   * files go after the commit.
   */
  async remove(user: AuthUser, id: string) {
    const before = await this.get(user, id, 'en');
    const result = await this.scope.run(user.organizationId, (repos) => repos.courses.deleteNeverRun(id));
    if (!result) throw new CourseNotFoundError(id);
    if (!result.deleted) {
      throw new ConflictStateError(
        `the course has run (status ${result.generationStatus}): its traces, costs and history are kept, so it cannot be deleted; cancel it instead`,
      );
    }
    this.statusCache.invalidate(id);
    await rm(join(this.config.storageDir, user.organizationId, id), { recursive: true, force: true }).catch(() => undefined);
    return before;
  }

  /**
   * Starts a generation. Race-free against the organization's limit: under the course's
   * row lock the transaction takes the organization's start lock, counts its active
   * courses, and completes START from the course's documents as they are now (an upload
   * locks the same row, so it is either counted or refused, never ignored). A refusal
   * rolls the transaction back; the limit hit is recorded in a short one of its own.
   */
  async start(user: AuthUser, id: string) {
    const course = await this.row(user, id);
    if (course.generation_status !== 'idle') {
      throw new ConflictStateError(`course is ${course.generation_status}; only an idle course can be started (use retry or restart)`);
    }
    let outcome: Awaited<ReturnType<CoursesService['send']>>;
    try {
      outcome = await this.send(
        user,
        id,
        {
          type: 'START',
          actor: userActor(user),
          hasDocuments: false,
          documentCount: 0,
          gates: course.approval_gates as StageNumber[],
        },
        {
          // A course no longer idle is refused by the machine itself (409), before any limit.
          precondition: async (repos, row) => {
            if (row.generation_status !== 'idle') return null;
            const limit = await repos.courses.lockStartLimit();
            const active = await repos.courses.countActive();
            if (active >= limit) throw new StartLimitReached(active, limit);
            return null;
          },
          complete: async (repos, event) => {
            const facts = await repos.courses.startFacts(id);
            if (event.type !== 'START') return event;
            return { ...event, hasDocuments: facts.documentCount > 0, documentCount: facts.documentCount, gates: facts.approvalGates as StageNumber[] };
          },
          withinTransaction: (repos) => repos.courses.setStartedBy(id, user.id),
        },
      );
    } catch (err) {
      if (err instanceof StartLimitReached) {
        await this.scope.run(user.organizationId, (repos) => repos.courses.recordConcurrencyLimitHit(id, err.active, err.limit));
      }
      throw err;
    }
    const jobs = outcome.effects.find((e) => e.type === 'enqueuePhases');
    return { jobId: jobs && jobs.type === 'enqueuePhases' ? jobs.jobs[0].jobId : null, courseId: id, status: 'queued' as const };
  }

  /**
   * Who decides a gate: reviewers (and admins) a review gate, finance (and admins) a
   * budget gate; and no self-approval when the organization asks for it (who started a
   * generation may not decide its gates). Returns the gate the course waits at, if any.
   */
  private checkDecider(user: AuthUser, course: CourseRow, distinctApprover: boolean): NonNullable<CourseContext['awaiting']> | null {
    if (distinctApprover && course.started_by === user.id) {
      throw new ForbiddenException('you started this generation; your organization requires someone else to decide its gates');
    }
    const gate = course.context?.awaiting ?? null;
    // The permission table decides: `courses.approve` for review gates, `gates.decideBudget` for budget gates.
    if (gate?.kind === 'budget' && !can(user, 'gates.decideBudget')) {
      throw new ForbiddenException(
        `this is a budget gate (projected $${gate.budget?.projectedUsd} of a $${gate.budget?.budgetUsd} budget): finance decides it`,
      );
    }
    if (gate && gate.kind !== 'budget' && !can(user, 'courses.approve'))
      throw new ForbiddenException('this is a review gate: reviewers decide it; finance decides budget gates');
    if (!gate && !can(user, 'courses.approve')) throw new ForbiddenException('finance decides budget gates only, and this course waits at none');
    return gate;
  }

  /** The course (with its context) and the gate the caller may decide, or 404/403. */
  private async decidable(user: AuthUser, id: string, repos: TenantRepositories) {
    const course = await this.row(user, id, true, repos);
    const gate = this.checkDecider(user, course, await repos.courses.requiresDistinctApprover());
    return { course, gate };
  }

  async approve(user: AuthUser, id: string, dto: ApproveDto) {
    const budgetHold = await this.scope.run(user.organizationId, async (repos) => {
      const { course, gate } = await this.decidable(user, id, repos);
      // A review approved: the course goes on unless the rest of it (its lessons, none of
      // them generated before stage 6) would pass its budget; then it waits at a budget gate.
      return gate && gate.kind !== 'budget' && gate.stage === dto.stage
        ? (holdOf(await repos.courses.projectCost(id, course.context?.lessonsTotal ?? 0)) ?? undefined)
        : undefined;
    });
    await this.send(
      user,
      id,
      { type: 'APPROVE', actor: userActor(user), stage: dto.stage as StageNumber, comment: dto.comment, budgetHold },
      {
        withinTransaction: (repos, _o, row) =>
          this.recordDecision(repos, row.id, row.machine_snapshot?.context.awaiting?.gateKey, user, dto.stage, 'approved', 'continue', dto.comment, []),
      },
    );
    return this.statusAfter(user, id);
  }

  async reject(user: AuthUser, id: string, dto: RejectDto) {
    const { gate } = await this.scope.run(user.organizationId, (repos) => this.decidable(user, id, repos));
    if (gate?.kind === 'budget' && dto.action !== 'cancel')
      throw new BadRequestException('action: a budget gate is declined with cancel (there is nothing to rerun)');
    await this.send(
      user,
      id,
      { type: 'REJECT', actor: userActor(user), stage: dto.stage as StageNumber, action: dto.action, reasons: dto.reasons, comment: dto.comment },
      {
        withinTransaction: async (repos, _o, row) => {
          await this.recordDecision(
            repos,
            row.id,
            row.machine_snapshot?.context.awaiting?.gateKey,
            user,
            dto.stage,
            'rejected',
            dto.action,
            dto.comment,
            dto.reasons,
          );
          // The stage runs again from scratch: its saved outputs must not be reused, but
          // the rejected output is kept so reviewers can compare the next attempt with it.
          if (dto.action === 'rerun') {
            await repos.approvals.keepRejectedOutput(id, dto.stage, user.id, dto.reasons ?? [], dto.comment ?? '');
            await repos.courses.deleteStageOutputs(id, dto.stage);
          }
        },
      },
    );
    return this.statusAfter(user, id);
  }

  async retry(user: AuthUser, id: string) {
    const plan = await this.scope.run(user.organizationId, async (repos) => this.retryPlan(repos, (await this.row(user, id, true, repos)).context ?? null));
    await this.send(user, id, { type: 'RETRY', actor: userActor(user) });
    return { ...(await this.statusAfter(user, id)), retry: plan };
  }

  /**
   * What a retry runs again: the unfinished items of the failed step (finished items
   * and finished phases are reused from their saved outputs), with an estimate of their
   * cost from this organization's average cost of the same phase.
   */
  private async retryPlan(repos: TenantRepositories, ctx: CourseContext | null) {
    if (!ctx?.stage || !ctx.step) return { phases: [], reusedItems: 0, estimatedCostUsd: 0 };
    const plan = STAGE_STEPS[ctx.stage][ctx.step.index];
    const todo = Array.from({ length: ctx.step.total }, (_, i) => i).filter((i) => !ctx.step!.done.includes(i));
    const avg = await repos.courses.averageItemCost(`stage_${ctx.stage}`, plan.phase);
    return {
      phases: todo.map((index) => ({ stage: `stage_${ctx.stage}`, phase: plan.phase, index })),
      reusedItems: ctx.step.done.length,
      estimatedCostUsd: avg === null ? null : Number((avg * todo.length).toFixed(8)),
    };
  }

  async cancel(user: AuthUser, id: string, reason?: string) {
    await this.row(user, id);
    await this.send(user, id, { type: 'CANCEL', actor: userActor(user), reason: reason ?? `cancelled by ${user.email}` });
    return this.statusAfter(user, id);
  }

  async restart(user: AuthUser, id: string) {
    await this.row(user, id);
    await this.send(
      user,
      id,
      { type: 'RESTART', actor: userActor(user) },
      {
        restart: true,
        withinTransaction: async (repos) => {
          await repos.courses.setStartedBy(id, user.id);
          await repos.courses.clearGeneratedWork(id);
        },
      },
    );
    return this.statusAfter(user, id);
  }

  async status(user: AuthUser, id: string, lang: Lang) {
    const rows = await this.statusCache.read(id, user.organizationId, () =>
      this.scope.run(user.organizationId, async (repos) => {
        const r = await this.row(user, id, true, repos);
        const x = await repos.courses.statusExtras(id);
        return { row: r, extra: x } as StatusRows;
      }),
    );
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
    return toStatusContract(
      row,
      {
        currentModel: extra.current_model ?? null,
        generationMetadata: extra.generation_metadata,
        courseStructure: extra.course_structure,
        now: new Date(),
        etaSeconds: row.context && (row.status === 'generating' || row.status === 'queued') ? await this.eta.estimate(row.context, row.organization_id) : null,
      },
      lang,
    );
  }

  async stages(user: AuthUser, id: string, lang: Lang) {
    return toStageInfo(await this.row(user, id), lang);
  }

  async history(user: AuthUser, id: string, query: Record<string, unknown>) {
    const { rows, range } = await this.scope.run(user.organizationId, async (repos) => {
      await this.row(user, id, false, repos);
      return repos.courseHistory.history(id, query);
    });
    return { data: rows, range };
  }

  /** The status after an action, in the caller's own or organization's language (these routes read no Accept-Language). */
  private async statusAfter(user: AuthUser, id: string) {
    return this.status(user, id, pickLanguage(undefined, user));
  }

  /** Applies a person's event in a transaction scoped to their organization. */
  private async send(user: AuthUser, id: string, event: CourseEvent, options: Omit<TenantApplyOptions, 'organizationId'> = {}) {
    try {
      const outcome = await this.orchestrator.apply(id, event, { ...options, organizationId: user.organizationId });
      if (!outcome.applied) throw new ConflictStateError(`${event.type} refused: ${outcome.detail}`);
      return outcome;
    } finally {
      this.statusCache.invalidate(id);
    }
  }

  private async recordDecision(
    repos: TenantRepositories,
    courseId: string,
    gateKey: string | undefined,
    user: AuthUser,
    stage: number,
    decision: 'approved' | 'rejected',
    action: string,
    comment: string,
    reasons: string[],
  ) {
    await repos.approvals.recordDecision({
      courseId,
      stage,
      gateKey: gateKey ?? `s${stage}-unknown`,
      decision,
      action,
      decidedBy: user.id,
      decidedRole: user.role,
      comment,
      reasons,
    });
  }
}
