// Response schemas of the caller's organization and its webhook deliveries.
import { z } from 'zod';
import { WebhookSecretResponseSchema } from './organization.dto';
import { DateTime, named, Uuid } from '../openapi/common.schemas';
import { LanguageSchema } from '../auth/auth.responses';

export const OrganizationSchema = named(
  'Organization',
  z.object({
    id: Uuid,
    name: z.string(),
    slug: z.string(),
    tier: z.string(),
    maxConcurrentGenerations: z.number().int(),
    defaultApprovalGates: z.array(z.number().int()),
    requireDistinctApprover: z.boolean(),
    approvalSlaMinutes: z.number().int().nullable(),
    maxDocumentBytes: z.number().int(),
    maxDocumentsPerCourse: z.number().int(),
    monthlyBudgetUsd: z.number().nullable(),
    budgetThresholds: z.array(z.number().int()),
    budgetWebhookUrl: z.string().nullable(),
    defaultLanguage: LanguageSchema,
    qualityThreshold: z.number().meta({ description: 'stage 5 quality below this flags the course (default 0.75)' }),
    qualityGate: z.boolean().meta({ description: 'a course below the threshold stops at a review gate' }),
  }),
);

export const WebhookSecretSchema = named('WebhookSecret', WebhookSecretResponseSchema);

export const WebhookDeliverySchema = named(
  'WebhookDelivery',
  z.object({
    id: z.string(),
    courseId: Uuid.nullable(),
    event: z.string(),
    url: z.string(),
    status: z.string(),
    attempts: z.number().int(),
    createdAt: DateTime,
    deliveredAt: DateTime.nullable(),
    attemptLog: z.array(
      z.object({
        attempt: z.number().int(),
        statusCode: z.number().int().nullable(),
        error: z.string().nullable(),
        durationMs: z.number().nullable(),
        at: DateTime,
      }),
    ),
  }),
);
