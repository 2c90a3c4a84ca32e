// Request schemas, response shapes and the row -> response mappers of the courses API.
import { z } from 'zod';
import { readOnly } from '../common/zod.pipe';
import { CONTENT_STYLES } from '../pipeline/outputs/structure.schema';
import { STAGE_NAMES, STAGE_NUMBERS, StageNumber, stagesFor } from '../pipeline/stages';
import { Lang, statusMessage } from './status-messages';
import { CourseDetailSchema, type CourseStatusSchema } from './courses.responses';

type CourseStatus = z.infer<typeof CourseStatusSchema>;

/** The 21 content styles of seed 004 (one list, the stage 5 schema's). */
export const CONTENT_STYLE_IDS = CONTENT_STYLES;

const Stage = z.number().int().min(2, 'must be a stage from 2 to 6').max(6, 'must be a stage from 2 to 6');

export const DOCUMENT_TYPES = ['text/plain', 'text/markdown', 'text/html'] as const;

export const CreateCourseSchema = z
  .object({
    title: z.string().trim().min(1, 'is required').max(300),
    description: z.string().max(5000).default(''),
    language: z.enum(['en', 'ru']).default('en'),
    contentStyle: z.enum(CONTENT_STYLE_IDS).default('conversational'),
    approvalGates: z
      .array(Stage)
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a stage')
      .optional(),
    webhookUrl: z.string().url().max(2000).optional(),
    approvalSlaMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .optional(),
    budgetUsd: z.number().nonnegative('must not be negative').max(1_000_000_000).optional(),
    documents: z
      .array(
        z
          .object({
            filename: z
              .string()
              .min(1)
              .max(200)
              .regex(/^[^/\\\0]+$/, 'must be a plain file name'),
            mimeType: z.enum(DOCUMENT_TYPES),
            content: z.string().min(1).max(1_000_000),
          })
          .strict(),
      )
      .max(20)
      .default([]),
  })
  .strict();
export type CreateCourseDto = z.infer<typeof CreateCourseSchema>;

/** What GET /api/courses/:id answers besides the editable fields: ignored when sent back (react-admin's update). */
export const COURSE_READ_ONLY = [
  'id',
  'organizationId',
  'createdBy',
  'language',
  'contentStyle',
  'status',
  'generationStatus',
  'percentage',
  'currentStage',
  'phase',
  'message',
  'hasDocuments',
  'gateKind',
  'startedBy',
  'run',
  'costUsd',
  'errorMessage',
  'generationStartedAt',
  'generationCompletedAt',
  'createdAt',
  'updatedAt',
  'analysisResult',
  'courseStructure',
  'generationMetadata',
  'qualityLow',
  'quality',
  'contentStyleGuide',
] as const;

/** What a course's record may change; every other field of the record as read is read-only. */
const COURSE_WRITABLE = new Set(['title', 'description', 'approvalGates', 'webhookUrl', 'approvalSlaMinutes', 'budgetUsd']);

export const UpdateCourseSchema = z
  .object({
    // A field the API answers later is read-only too: a whole record sent back is never refused for it.
    ...readOnly([...new Set([...COURSE_READ_ONLY, ...Object.keys(CourseDetailSchema.shape).filter((k) => !COURSE_WRITABLE.has(k))])]),
    title: z.string().trim().min(1, 'is required').max(300).optional(),
    description: z.string().max(5000).optional(),
    approvalGates: z
      .array(Stage)
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a stage')
      .optional(),
    webhookUrl: z.string().url().max(2000).nullable().optional(),
    approvalSlaMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .nullable()
      .optional(),
    budgetUsd: z.number().nonnegative('must not be negative').max(1_000_000_000).nullable().optional(),
  })
  .strict();
export type UpdateCourseDto = z.infer<typeof UpdateCourseSchema>;

export const ApproveSchema = z.object({ stage: Stage, comment: z.string().max(5000).default('') }).strict();
export type ApproveDto = z.infer<typeof ApproveSchema>;

export const REJECTION_REASONS = ['too_shallow', 'wrong_audience', 'off_topic', 'factual_errors', 'poor_structure', 'other'] as const;

export const RejectSchema = z
  .object({
    stage: Stage,
    action: z.enum(['rerun', 'cancel']),
    reasons: z.array(z.enum(REJECTION_REASONS)).max(6).default([]),
    comment: z.string().max(5000).default(''),
  })
  .strict()
  // A rejection says why: the next attempt's prompt and the reviewer of the rerun read it.
  .refine((r) => r.reasons.length > 0 || r.comment.trim() !== '', { path: ['reasons'], message: 'give at least one reason or a comment' });
export type RejectDto = z.infer<typeof RejectSchema>;

export const CancelSchema = z.object({ reason: z.string().max(1000).optional() }).strict();
export const EmptySchema = z.object({}).strict();

export type { CourseRow } from '../repositories/tenant/courses.repository';
import type { CourseRow } from '../repositories/tenant/courses.repository';

export function stageOf(row: CourseRow): StageNumber | null {
  const m = /^stage_(\d)/.exec(row.generation_progress.current_stage ?? '');
  return m ? (Number(m[1]) as StageNumber) : null;
}

export function toCourseResponse(row: CourseRow, lang: Lang) {
  const p = row.generation_progress;
  const stage = stageOf(row);
  return {
    id: row.id,
    organizationId: row.organization_id,
    createdBy: row.created_by,
    title: row.title,
    description: row.description,
    language: row.language,
    contentStyle: row.content_style,
    status: row.status as CourseStatus,
    generationStatus: row.generation_status,
    percentage: p.percentage ?? 0,
    currentStage: p.current_stage ?? null,
    phase: p.phase ?? null,
    message: statusMessage(
      {
        generationStatus: row.generation_status,
        stage,
        phase: p.phase ?? null,
        lessonsCompleted: p.lessons_completed,
        lessonsTotal: p.lessons_total,
        escalation: row.gate_escalation ?? null,
      },
      lang,
    ),
    hasDocuments: !!p.has_documents,
    approvalGates: row.approval_gates,
    webhookUrl: row.webhook_url ?? null,
    approvalSlaMinutes: row.approval_sla_minutes ?? null,
    budgetUsd: row.budget_usd === null || row.budget_usd === undefined ? null : Number(row.budget_usd),
    /** the kind of gate the course waits at: review (reviewers decide) or budget (finance decides) */
    gateKind: row.generation_status.endsWith('_awaiting_approval') ? (row.gate_kind === 'budget' ? ('budget' as const) : ('review' as const)) : null,
    /** stage 5's quality fell below the organization's threshold (flagged in the list) */
    qualityLow: !!row.quality_low,
    /** the score, its method (lexical | embedding, with the embeddings model) and the threshold it was held to */
    quality: row.quality_check
      ? {
          overall: row.quality_check.overall,
          threshold: row.quality_check.threshold,
          method: row.quality_check.method as 'lexical' | 'embedding',
          model: row.quality_check.model ?? null,
          gate: !!row.quality_check.gate,
        }
      : null,
    startedBy: row.started_by ?? null,
    run: row.generation_run,
    costUsd: Number(row.cost_usd ?? 0),
    errorMessage: row.error_message,
    generationStartedAt: row.generation_started_at,
    generationCompletedAt: row.generation_completed_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export type StageStatus = 'pending' | 'active' | 'completed' | 'error' | 'awaiting';

/** StageInfo of seed 000, one per stage 2-6; stages a course without documents skips are marked. */
export function toStageInfo(row: CourseRow, lang: Lang) {
  const p = row.generation_progress;
  const current = stageOf(row);
  const s = row.generation_status;
  const running = stagesFor(!!p.has_documents);
  return STAGE_NUMBERS.map((n) => {
    const step = p.steps?.find((x) => x.stage === `stage_${n}`);
    const progress = step?.progress ?? 0;
    const skipped = !running.includes(n);
    let status: StageStatus = 'pending';
    if (skipped) status = 'pending';
    else if (s === 'completed') status = 'completed';
    else if (current !== null && n < current) status = 'completed';
    else if (current === n) {
      if (s.endsWith('_awaiting_approval')) status = 'awaiting';
      else if (s === 'failed') status = 'error';
      // Cancelled at this stage: finished work stays finished (a stage cancelled at its
      // gate had done all its phases), the rest did not run to the end.
      // The step's own status says so (a stage 99.6 % done shows 100 but did not finish).
      else if (s === 'cancelled') status = (step ? step.status === 'completed' : progress >= 100) ? 'completed' : 'pending';
      else if (s === 'queued') status = 'pending';
      else status = 'active';
    }
    return {
      id: `stage_${n}`,
      number: n,
      name: STAGE_NAMES[n][lang],
      status,
      progress: status === 'completed' ? 100 : progress,
      skipped,
      hasGate: row.approval_gates.includes(n),
    };
  });
}
