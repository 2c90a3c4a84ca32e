// Response schema of the reviewers' inbox.
import { z } from 'zod';
import { AnyJson, DateTime, named, Usd, Uuid } from '../openapi/common.schemas';

export const ApprovalItemSchema = named('ApprovalItem', z.object({
  courseId: Uuid,
  title: z.string(),
  stage: z.number().int(),
  gateKey: z.string().nullable(),
  kind: z.enum(['review', 'budget']).meta({ description: 'review: a reviewer decides on the stage\'s output; budget: finance decides on the projected spend' }),
  budget: z.object({ projectedUsd: z.number(), budgetUsd: z.number(), spentUsd: z.number() }).nullable(),
  waitingSince: DateTime,
  waitSeconds: z.number(),
  slaMinutes: z.number().int().nullable(),
  dueAt: DateTime.nullable(),
  overdue: z.boolean(),
  escalatedAt: DateTime.nullable(),
  costUsd: Usd,
  output: AnyJson.meta({ description: 'what the stage produced (null for finance)' }),
  previous: z.object({ output: AnyJson, reasons: z.array(z.string()), comment: z.string(), rejectedAt: DateTime }).nullable()
    .meta({ description: 'the attempt rejected before this one' }),
}));
