// What a course webhook says, as the README documents it: the event's public name
// (`course.completed`, `course.failed`, `course.cancelled`, `approval.requested`,
// `approval.escalated`; `budget.threshold` is built by the relay from its own row) and
// a summary of the course — title, status, cost, duration, a link to its dashboard
// page. The machine's effect names (`notifyWebhook`…) never leave the process. Pure.
import { z } from 'zod';
import type { WebhookEvent } from '../pipeline/course.types';
import type { Escalation } from '../pipeline/escalation';

/** The machine's webhook event → the name a receiver sees in `type`. */
export const WEBHOOK_EVENT_TYPES: Record<WebhookEvent, string> = {
  completed: 'course.completed',
  failed: 'course.failed',
  cancelled: 'course.cancelled',
  awaiting_approval: 'approval.requested',
  escalated: 'approval.escalated',
};

export const WEBHOOK_TYPES = [...Object.values(WEBHOOK_EVENT_TYPES), 'budget.threshold', 'alert.raised', 'alert.cleared'] as const;

/** The course as the webhooks' summary reads it (webhooks.system-repository.ts). */
export interface CourseSummaryRow {
  id: string;
  title: string;
  status: string;
  generation_status: string;
  percentage: number | null;
  cost_usd: string | number | null;
  generation_started_at: Date | null;
  generation_completed_at: Date | null;
  error_message: string | null;
}

export const CourseSummarySchema = z.object({
  id: z.string().uuid(),
  title: z.string(),
  /** courses.status (draft, generating, completed, failed, cancelled…) */
  status: z.string(),
  /** the pipeline state: idle, queued, stage_N_…, stage_N_awaiting_approval, completed, failed, cancelled */
  generationStatus: z.string(),
  percentage: z.number(),
  /** what the course's model calls cost so far (USD, at the prices charged) */
  costUsd: z.number(),
  /** from the start of the generation to its end, or to now while it runs; null before it starts */
  durationMs: z.number().int().nullable(),
  startedAt: z.string().nullable(),
  completedAt: z.string().nullable(),
  errorMessage: z.string().nullable(),
  /** the course's page in the dashboard */
  url: z.string().url(),
});
export type CourseSummary = z.infer<typeof CourseSummarySchema>;

/** The body of a course webhook (signed as sent; Standard Webhooks' `type`, `timestamp`, `data`). */
export const CourseWebhookPayloadSchema = z.object({
  type: z.enum(WEBHOOK_TYPES),
  timestamp: z.string(),
  data: z.object({
    courseId: z.string().uuid(),
    /** the stage of the gate (approval.* events) */
    stage: z.number().int().min(2).max(6).optional(),
    message: z.string(),
    /** approval.escalated only: a person's "escalate now" (manual, with who) or the gate's deadline */
    escalation: z.object({ reason: z.enum(['manual', 'deadline']), by: z.object({ id: z.string(), name: z.string() }).nullable() }).optional(),
    course: CourseSummarySchema,
  }),
});
export type CourseWebhookPayload = z.infer<typeof CourseWebhookPayloadSchema>;

/** The dashboard's page of a course (react-admin's hash router). */
export function courseUrl(publicUrl: string, courseId: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/#/courses/${courseId}/show`;
}

export function courseSummary(row: CourseSummaryRow, publicUrl: string, now: Date): CourseSummary {
  const started = row.generation_started_at ? new Date(row.generation_started_at) : null;
  const completed = row.generation_completed_at ? new Date(row.generation_completed_at) : null;
  return {
    id: row.id,
    title: row.title,
    status: row.status,
    generationStatus: row.generation_status,
    percentage: Number(row.percentage ?? 0),
    costUsd: Number(row.cost_usd ?? 0),
    durationMs: started ? Math.max(0, (completed ?? now).getTime() - started.getTime()) : null,
    startedAt: started?.toISOString() ?? null,
    completedAt: completed?.toISOString() ?? null,
    errorMessage: row.error_message,
    url: courseUrl(publicUrl, row.id),
  };
}

/** The stage a course waits at (`stage_4_awaiting_approval` → 4), or undefined. */
export function gateStage(generationStatus: string): number | undefined {
  const m = /^stage_(\d)_awaiting_approval$/.exec(generationStatus);
  return m ? Number(m[1]) : undefined;
}

export function coursePayload(
  event: WebhookEvent,
  row: CourseSummaryRow,
  message: string,
  publicUrl: string,
  now: Date,
  escalation?: Escalation,
): CourseWebhookPayload {
  const isApproval = event === 'awaiting_approval' || event === 'escalated';
  const stage = isApproval ? gateStage(row.generation_status) : undefined;
  // An escalation from before who escalated was carried was the deadline's (the only kind there was).
  const escalated = event === 'escalated' ? { escalation: escalation ?? { reason: 'deadline' as const, by: null } } : {};
  return {
    type: WEBHOOK_EVENT_TYPES[event] as CourseWebhookPayload['type'],
    timestamp: now.toISOString(),
    data: { courseId: row.id, ...(stage === undefined ? {} : { stage }), message, ...escalated, course: courseSummary(row, publicUrl, now) },
  };
}
