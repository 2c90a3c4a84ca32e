// Response schemas of model-call traces.
import { z } from 'zod';
import { AnyJson, DateTime, named, Uuid } from '../openapi/common.schemas';

export const TraceSummarySchema = named(
  'TraceSummary',
  z.object({
    id: Uuid,
    courseId: Uuid,
    lessonId: Uuid.nullable(),
    run: z.number().int(),
    stage: z.string(),
    phase: z.string(),
    stepName: z.string(),
    modelUsed: z.string(),
    provider: z.string(),
    tokensUsed: z.number().int(),
    inputTokens: z.number().int(),
    outputTokens: z.number().int(),
    costUsd: z.number(),
    durationMs: z.number().nullable(),
    attempt: z.number().int(),
    label: z.string().meta({ description: 'first_try, retry, fallback, repair or rerun' }),
    hasError: z.boolean(),
    createdAt: DateTime,
    priceVersionId: z.string().nullable(),
    repriceId: z.string().nullable(),
    courseTitle: z.string().nullable(),
    lessonTitle: z.string().nullable(),
    lessonOrdinal: z.number().int().nullable().meta({ description: "the lesson's place in the course, from 0" }),
    providerCostUsd: z.number().nullable().meta({ description: "what the provider itself charged, when it says (OpenRouter's usage.cost)" }),
    otelTraceId: z.string().nullable().meta({ description: 'the OpenTelemetry trace of the call (32 hex digits)' }),
    otelSpanId: z.string().nullable().meta({ description: "the model call's span (16 hex digits)" }),
    otelTraceUrl: z.string().nullable().meta({ description: "TRACE_URL_TEMPLATE filled in: the call in the operator's tracer" }),
  }),
);

export const TraceSchema = named(
  'Trace',
  TraceSummarySchema.extend({
    inputData: AnyJson.optional().meta({ description: 'the prompt (absent for finance)' }),
    outputData: AnyJson.optional().meta({ description: 'the answer (absent for finance)' }),
    errorData: AnyJson.optional(),
  }),
);
