// The caller's organization: its gate policy (default gates, deadline, no
// self-approval), its quality threshold and quality gate, its concurrency limit, its default language, its webhook signing secret, and the webhook
// deliveries with every attempt.
import { BadRequestException, Body, Controller, Get, HttpCode, Inject, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { AuthService } from '../auth/auth.service';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { checkWebhookUrl } from '../webhooks/url-guard';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { OrganizationSchema, WebhookDeliverySchema, WebhookSecretSchema } from './organization.responses';
import { DELIVERIES } from '../repositories/tenant/organizations.repository';
import { newWebhookSecret } from '../webhooks/signature';
import { RotateWebhookSecretDto, RotateWebhookSecretSchema } from './organization.dto';

const Stage = z.number().int().min(2).max(6);
const UpdateOrganizationSchema = z
  .object({
    defaultApprovalGates: z
      .array(Stage)
      .max(5)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a stage')
      .optional(),
    requireDistinctApprover: z.boolean().optional(),
    approvalSlaMinutes: z
      .number()
      .int()
      .min(1)
      .max(60 * 24 * 30)
      .nullable()
      .optional(),
    maxConcurrentGenerations: z.number().int().min(1).max(1000).optional(),
    maxDocumentBytes: z
      .number()
      .int()
      .min(1)
      .max(64 * 1024 * 1024)
      .optional(),
    maxDocumentsPerCourse: z.number().int().min(1).max(100).optional(),
    monthlyBudgetUsd: z.number().min(0).max(1_000_000_000).nullable().optional(),
    /** percentages of the monthly budget that raise an alert when spend crosses them */
    budgetThresholds: z
      .array(z.number().int().min(1).max(1000))
      .min(1)
      .max(10)
      .refine((a) => new Set(a).size === a.length, 'must not repeat a threshold')
      .transform((a) => [...a].sort((x, y) => x - y))
      .optional(),
    /** where budget.threshold webhooks go; without one, to the crossing course's webhookUrl */
    budgetWebhookUrl: z.string().url().max(2000).nullable().optional(),
    /** the language of messages for requests without Accept-Language whose user chose none, and of webhook payloads */
    defaultLanguage: z.enum(['en', 'ru']).optional(),
    /** stage 5's quality score below this flags a course quality_low (seed 004's 0.75 by default) */
    qualityThreshold: z.number().min(0, 'must be from 0 to 1').max(1, 'must be from 0 to 1').optional(),
    /** a course below the threshold waits at a review gate before its lessons are generated */
    qualityGate: z.boolean().optional(),
  })
  .strict();

@ApiTags('organization')
@ApiBearerAuth()
@Controller('organization')
export class OrganizationController {
  constructor(
    private readonly scope: TenantScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly auth: AuthService,
  ) {}

  @Get()
  @Can('organization.read')
  @ApiJson(OrganizationSchema, { summary: "The caller's organization: gate policy, limits, budget, language" })
  get(@CurrentUser() user: AuthUser) {
    return this.scope.run(user.organizationId, (repos) => repos.organizations.settings());
  }

  @Put()
  @Can('organization.edit')
  @ApiJson(OrganizationSchema, { summary: "Change the organization's settings" })
  async update(@CurrentUser() user: AuthUser, @Body(new ZodPipe(UpdateOrganizationSchema)) body: z.infer<typeof UpdateOrganizationSchema>) {
    if (body.budgetWebhookUrl) {
      const check = await checkWebhookUrl(body.budgetWebhookUrl, this.config.webhooks.allowHosts);
      if (!check.ok) throw new BadRequestException(`budgetWebhookUrl: ${check.reason}`);
    }
    const settings = await this.scope.run(user.organizationId, async (repos) => {
      await repos.organizations.updateSettings(body);
      return repos.organizations.settings();
    });
    // The users' cached rows carry the organization's language: this process forgets them.
    if (body.defaultLanguage) this.auth.forgetOrganization(user.organizationId);
    return settings;
  }

  @Get('webhook-secret')
  @Can('organization.edit')
  @ApiJson(WebhookSecretSchema, { summary: 'The webhook signing secret' })
  async secret(@CurrentUser() user: AuthUser) {
    return this.scope.run(user.organizationId, (repos) => repos.organizations.webhookSecret());
  }

  /**
   * A new signing secret, answered once here (and by GET webhook-secret). The replaced one
   * keeps signing beside it for `overlapMinutes`, so a receiver can switch at its own pace:
   * each delivery then carries two signatures in `webhook-signature`.
   */
  @Post('webhook-secret/rotate')
  @HttpCode(200)
  @Can('organization.edit')
  @ApiJson(WebhookSecretSchema, { summary: 'Rotate the webhook signing secret; the replaced one signs beside it for overlapMinutes' })
  rotateSecret(@CurrentUser() user: AuthUser, @Body(new ZodPipe(RotateWebhookSecretSchema)) body: RotateWebhookSecretDto) {
    return this.scope.run(user.organizationId, (repos) => repos.organizations.rotateWebhookSecret(newWebhookSecret(), body.overlapMinutes));
  }

  @Get('webhook-deliveries')
  @Can('webhooks.read')
  @ApiList(WebhookDeliverySchema, { summary: 'Webhook deliveries with every attempt', spec: DELIVERIES })
  async deliveries(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    // As every request: mc_app for the caller's organization, under row-level security.
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.organizations.webhookDeliveries(query));
    res.header('Content-Range', range);
    return rows;
  }
}
