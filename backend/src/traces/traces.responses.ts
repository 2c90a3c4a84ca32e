// Response schemas of model-call traces.
import { z } from 'zod';
import { AnyJson, DateTime, named, Uuid } from '../openapi/common.schemas';

export const TraceSummarySchema = named('TraceSummary', z.object({
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
}));

export const TraceSchema = named('Trace', TraceSummarySchema.extend({
  inputData: AnyJson.optional().meta({ description: 'the prompt (absent for finance)' }),
  outputData: AnyJson.optional().meta({ description: 'the answer (absent for finance)' }),
  errorData: AnyJson.optional(),
}));
