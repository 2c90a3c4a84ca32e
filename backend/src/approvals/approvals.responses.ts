// Response schema of the reviewers' inbox.
import { z } from 'zod';
import { AnyJson, DateTime, named, Usd, Uuid } from '../openapi/common.schemas';

export const ApprovalItemSchema = named(
  'ApprovalItem',
  z.object({
    courseId: Uuid,
    title: z.string(),
    stage: z.number().int(),
    gateKey: z.string().nullable(),
    kind: z
      .enum(['review', 'budget'])
      .meta({ description: "review: a reviewer decides on the stage's output; budget: finance decides on the projected spend" }),
    budget: z.object({ projectedUsd: z.number(), budgetUsd: z.number(), spentUsd: z.number() }).nullable(),
    waitingSince: DateTime,
    waitSeconds: z.number(),
    slaMinutes: z.number().int().nullable(),
    dueAt: DateTime.nullable(),
    overdue: z.boolean(),
    escalatedAt: DateTime.nullable(),
    escalation: z
      .object({
        reason: z.enum(['manual', 'deadline']).meta({ description: 'manual: a person pressed "escalate now"; deadline: the SLA passed' }),
        by: z.object({ id: z.string(), name: z.string() }).nullable().meta({ description: 'who escalated it (manual only)' }),
      })
      .nullable()
      .meta({ description: 'who escalated the gate; null while it is not escalated' }),
    costUsd: Usd,
    rerunEstimateUsd: Usd.meta({ description: 'what rerunning the stage would cost: what its last run cost' }),
    canDecide: z.boolean().meta({ description: 'whether the caller may decide it (ops see every gate, read-only)' }),
    deciders: z
      .array(z.object({ name: z.string(), email: z.string(), role: z.string() }))
      .meta({ description: "who may decide it: the organization's reviewers (review gate) or finance (budget gate), and admins" }),
    output: AnyJson.meta({ description: 'what the stage produced (null for finance)' }),
    previous: z
      .object({ output: AnyJson, reasons: z.array(z.string()), comment: z.string(), rejectedAt: DateTime })
      .nullable()
      .meta({ description: 'the attempt rejected before this one' }),
  }),
);
