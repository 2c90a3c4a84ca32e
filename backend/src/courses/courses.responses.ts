// Response schemas of the courses API (the OpenAPI document and the dashboard's types
// are generated from them; the routes' decorators check the handlers' answers fit).
import { z } from 'zod';
import { AnyJson, DateTime, named, Usd, Uuid } from '../openapi/common.schemas';

export const CourseStatusSchema = named('CourseStatus', z.enum(['idle', 'queued', 'generating', 'completed', 'failed', 'cancelled']));

export const CourseSchema = named(
  'Course',
  z.object({
    id: Uuid,
    organizationId: Uuid,
    createdBy: Uuid.nullable(),
    title: z.string(),
    description: z.string(),
    language: z.enum(['en', 'ru']),
    contentStyle: z.string(),
    status: CourseStatusSchema,
    generationStatus: z.string().meta({ description: 'the machine state: stage_4, stage_4_awaiting_approval, completed, ...' }),
    percentage: z.number(),
    currentStage: z.string().nullable(),
    phase: z.string().nullable(),
    message: z.string().meta({ description: "the status in words, in the request's language" }),
    hasDocuments: z.boolean(),
    approvalGates: z.array(z.number().int()),
    webhookUrl: z.string().nullable(),
    approvalSlaMinutes: z.number().int().nullable(),
    budgetUsd: z.number().nullable(),
    gateKind: z
      .enum(['review', 'budget'])
      .nullable()
      .meta({ description: 'the gate the course waits at: a review (reviewers decide) or its budget (finance decides)' }),
    qualityLow: z.boolean().meta({ description: "stage 5's quality fell below the organization's threshold" }),
    quality: z
      .object({
        overall: z.number(),
        threshold: z.number(),
        method: z.enum(['lexical', 'embedding']),
        model: z.string().nullable().meta({ description: 'the embeddings model, when the method is embedding' }),
        gate: z.boolean().meta({ description: 'the course was stopped at a review gate for it' }),
      })
      .nullable()
      .meta({ description: "stage 5's quality score, how it was measured and the threshold it was held to" }),
    startedBy: Uuid.nullable(),
    run: z.number().int().meta({ description: 'generation run number; grows when a person restarts the course from scratch' }),
    costUsd: z.number(),
    errorMessage: z.string().nullable(),
    generationStartedAt: DateTime.nullable(),
    generationCompletedAt: DateTime.nullable(),
    createdAt: DateTime,
    updatedAt: DateTime,
  }),
);

/** One course with what its stages produced (for reviewers and the course page). */
export const CourseDetailSchema = named(
  'CourseDetail',
  CourseSchema.extend({
    analysisResult: AnyJson.optional().meta({ description: "stage 4's output" }),
    courseStructure: AnyJson.optional().meta({ description: "stage 5's output" }),
    generationMetadata: AnyJson.optional().meta({ description: "stage 5's metadata (seed 001)" }),
    contentStyleGuide: z
      .object({
        id: z.string(),
        name: z.string(),
        tone: z.string(),
        structure: z.string(),
        exercises: z.array(z.string()),
        example: z.string(),
        parts: z.array(z.string()),
      })
      .optional()
      .meta({ description: "the content style's guidance block, in the reader's language" }),
  }),
);

export const StageStatusSchema = named('StageStatus', z.enum(['pending', 'active', 'completed', 'error', 'awaiting', 'skipped']));

/** StageInfo of seed 000. */
export const StageInfoSchema = named(
  'StageInfo',
  z.object({
    id: z.string(),
    number: z.number().int(),
    name: z.string(),
    status: StageStatusSchema,
    progress: z.number(),
    skipped: z.boolean().meta({ description: 'a course without documents skips stages 2 and 3' }),
    hasGate: z.boolean(),
  }),
);

/** seed 003 §5 getStatus. */
export const GenerationStatusSchema = named(
  'GenerationStatus',
  z.object({
    courseId: Uuid,
    status: CourseStatusSchema,
    phase: z.enum(['metadata', 'sections', 'validation', 'saving']).nullable(),
    progress: z.number(),
    message: z.string(),
    estimatedRemainingSeconds: z.number().nullable(),
    startedAt: DateTime,
    lastUpdatedAt: DateTime,
    metadata: z.record(z.string(), AnyJson).nullable(),
    generationStatus: z.string(),
    stage: z.string().nullable(),
  }),
);

export const StartGenerationResultSchema = named(
  'StartGenerationResult',
  z.object({
    jobId: z.string().nullable(),
    courseId: Uuid,
    status: z.literal('queued'),
  }),
);

export const RetryResultSchema = named(
  'RetryResult',
  GenerationStatusSchema.extend({
    retry: z
      .object({
        phases: z.array(z.object({ stage: z.string(), phase: z.string(), index: z.number().int() })),
        reusedItems: z.number().int(),
        estimatedCostUsd: z.number().nullable(),
      })
      .meta({ description: 'what the retry runs again; finished items are reused' }),
  }),
);

export const HistoryEntrySchema = named(
  'HistoryEntry',
  z.object({
    id: z.string(),
    fromStatus: z.string().nullable(),
    toStatus: z.string(),
    event: z.string(),
    actorType: z.string(),
    actorId: z.string().nullable(),
    reason: z.string().nullable(),
    stage: z.string().nullable(),
    phase: z.string().nullable(),
    percentage: z.number().nullable(),
    run: z.number().int().nullable(),
    createdAt: DateTime,
  }),
);

const TimelineBase = { at: DateTime, label: z.string(), stage: z.string().nullable(), phase: z.string().nullable() };
export const TimelineEventSchema = named(
  'TimelineEvent',
  z.discriminatedUnion('kind', [
    z.object({
      ...TimelineBase,
      kind: z.literal('transition'),
      from: z.string().nullable(),
      to: z.string(),
      percentage: z.number().nullable(),
      run: z.number().int().nullable(),
      reason: z.string().nullable(),
    }),
    z.object({
      ...TimelineBase,
      kind: z.literal('call'),
      traceId: Uuid.meta({ description: "the model call's trace" }),
      model: z.string().nullable(),
      callLabel: z.string().nullable(),
      durationMs: z.number().nullable(),
      costUsd: Usd,
      error: z.boolean(),
      run: z.number().int().nullable(),
      attempt: z.number().int().nullable(),
    }),
    z.object({ ...TimelineBase, kind: z.literal('approval'), comment: z.string(), reasons: z.array(z.string()), role: z.string() }),
  ]),
);

export const TimelineSchema = named(
  'Timeline',
  z.object({
    startedAt: DateTime.nullable(),
    events: z.array(TimelineEventSchema),
    cost: z.array(z.object({ at: DateTime, totalUsd: z.number() })).meta({ description: 'cumulative cost after each model call' }),
    costByStageModel: z.array(z.object({ stage: z.string(), model: z.string(), costUsd: Usd })),
  }),
);
