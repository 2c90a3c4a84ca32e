// The caller's organization: its gate policy (default gates, deadline, no
// self-approval), its concurrency limit, its webhook signing secret, and the webhook
// deliveries with every attempt.
import { BadRequestException, Body, Controller, Get, Inject, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { eq, pageOf, uuidEq } from '../repositories/list-query';
import { ZodPipe } from '../common/zod.pipe';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { checkWebhookUrl } from '../webhooks/url-guard';

const COLUMNS = `id, name, slug, tier, max_concurrent_generations AS "maxConcurrentGenerations",
  default_approval_gates AS "defaultApprovalGates", require_distinct_approver AS "requireDistinctApprover",
  approval_sla_minutes AS "approvalSlaMinutes", max_document_bytes AS "maxDocumentBytes",
  max_documents_per_course AS "maxDocumentsPerCourse", monthly_budget_usd::float8 AS "monthlyBudgetUsd",
  budget_thresholds AS "budgetThresholds", budget_webhook_url AS "budgetWebhookUrl"`;

const Stage = z.number().int().min(2).max(6);
const UpdateOrganizationSchema = z.object({
  defaultApprovalGates: z.array(Stage).max(5).refine((a) => new Set(a).size === a.length, 'must not repeat a stage').optional(),
  requireDistinctApprover: z.boolean().optional(),
  approvalSlaMinutes: z.number().int().min(1).max(60 * 24 * 30).nullable().optional(),
  maxConcurrentGenerations: z.number().int().min(1).max(1000).optional(),
  maxDocumentBytes: z.number().int().min(1).max(64 * 1024 * 1024).optional(),
  maxDocumentsPerCourse: z.number().int().min(1).max(100).optional(),
  monthlyBudgetUsd: z.number().min(0).max(1_000_000_000).nullable().optional(),
  /** percentages of the monthly budget that raise an alert when spend crosses them */
  budgetThresholds: z.array(z.number().int().min(1).max(1000)).min(1).max(10)
    .refine((a) => new Set(a).size === a.length, 'must not repeat a threshold')
    .transform((a) => [...a].sort((x, y) => x - y)).optional(),
  /** where budget.threshold webhooks go; without one, to the crossing course's webhookUrl */
  budgetWebhookUrl: z.string().url().max(2000).nullable().optional(),
}).strict();

@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization')
export class OrganizationController {
  constructor(private readonly ds: DataSource, @Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @Get()
  @Allow(...ALL_ROLES)
  async get(@CurrentUser() user: AuthUser) {
    const [org] = await this.ds.query(`SELECT ${COLUMNS} FROM organizations WHERE id = $1`, [user.organizationId]);
    return org;
  }

  @Put()
  @Allow('admin')
  async update(@CurrentUser() user: AuthUser, @Body(new ZodPipe(UpdateOrganizationSchema)) body: z.infer<typeof UpdateOrganizationSchema>) {
    if (body.budgetWebhookUrl) {
      const check = await checkWebhookUrl(body.budgetWebhookUrl, this.config.webhooks.allowHosts);
      if (!check.ok) throw new BadRequestException(`budgetWebhookUrl: ${check.reason}`);
    }
    await this.ds.query(
      `UPDATE organizations SET
         default_approval_gates = coalesce($2, default_approval_gates),
         require_distinct_approver = coalesce($3, require_distinct_approver),
         approval_sla_minutes = CASE WHEN $4::boolean THEN $5 ELSE approval_sla_minutes END,
         max_concurrent_generations = coalesce($6, max_concurrent_generations),
         max_document_bytes = coalesce($7, max_document_bytes),
         max_documents_per_course = coalesce($8, max_documents_per_course),
         monthly_budget_usd = CASE WHEN $9::boolean THEN $10 ELSE monthly_budget_usd END,
         budget_thresholds = coalesce($11::int[], budget_thresholds),
         budget_webhook_url = CASE WHEN $12::boolean THEN $13 ELSE budget_webhook_url END
       WHERE id = $1`,
      [user.organizationId, body.defaultApprovalGates ?? null, body.requireDistinctApprover ?? null,
        body.approvalSlaMinutes !== undefined, body.approvalSlaMinutes ?? null, body.maxConcurrentGenerations ?? null,
        body.maxDocumentBytes ?? null, body.maxDocumentsPerCourse ?? null, body.monthlyBudgetUsd !== undefined, body.monthlyBudgetUsd ?? null,
        body.budgetThresholds ?? null, body.budgetWebhookUrl !== undefined, body.budgetWebhookUrl ?? null],
    );
    return this.get(user);
  }

  @Get('webhook-secret')
  @Allow('admin')
  async secret(@CurrentUser() user: AuthUser) {
    const [org] = await this.ds.query(`SELECT webhook_secret AS "webhookSecret" FROM organizations WHERE id = $1`, [user.organizationId]);
    return org;
  }

  @Get('webhook-deliveries')
  @Allow('admin', 'ops')
  async deliveries(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await pageOf(this.ds, query, {
      sortable: { createdAt: 'd.created_at', attempts: 'd.attempts' },
      filters: { courseId: uuidEq('d.course_id'), status: eq('d.status'), event: eq('d.event') },
      defaultSort: ['createdAt', 'DESC'],
    }, {
      resource: 'webhook-deliveries', from: 'webhook_deliveries d', tiebreak: 'd.id',
      select: `d.id, d.course_id AS "courseId", d.event, d.url, d.status, d.attempts, d.created_at AS "createdAt", d.delivered_at AS "deliveredAt",
               coalesce((SELECT json_agg(json_build_object('attempt', a.attempt, 'statusCode', a.status_code, 'error', a.error, 'durationMs', a.duration_ms, 'at', a.created_at) ORDER BY a.id)
                           FROM webhook_attempts a WHERE a.delivery_id = d.id), '[]') AS "attemptLog"`,
      scope: { sql: 'd.organization_id = $1', params: [user.organizationId] },
    });
    res.header('Content-Range', range);
    return rows;
  }
}
