// Model call traces. Finance sees tokens and costs but never prompts or answers.
import { Controller, Get, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantDb } from '../repositories/tenant/tenant-db';
import { z } from 'zod';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { eq, pageOf, uuidEq } from '../repositories/list-query';
import { UuidPipe } from '../common/zod.pipe';
import { BadRequestException, NotFoundException } from '@nestjs/common';

const SUMMARY = `t.id, t.course_id AS "courseId", t.lesson_id AS "lessonId", t.run, t.stage, t.phase, t.step_name AS "stepName",
  t.model_used AS "modelUsed", t.provider, t.tokens_used AS "tokensUsed", t.input_tokens AS "inputTokens",
  t.output_tokens AS "outputTokens", t.cost_usd::float8 AS "costUsd", t.duration_ms AS "durationMs", t.attempt, t.label,
  (t.error_data IS NOT NULL) AS "hasError", t.created_at AS "createdAt",
  t.price_version_id::text AS "priceVersionId", t.reprice_id::text AS "repriceId"`;
const BODIES = `, t.input_data AS "inputData", t.output_data AS "outputData", t.error_data AS "errorData"`;

const SPEC = {
  sortable: { id: 't.id', createdAt: 't.created_at', costUsd: 't.cost_usd', tokensUsed: 't.tokens_used', durationMs: 't.duration_ms' },
  filters: {
    id: uuidEq('t.id'),
    courseId: uuidEq('t.course_id'),
    lessonId: uuidEq('t.lesson_id'),
    stage: eq('t.stage'),
    phase: eq('t.phase'),
    modelUsed: eq('t.model_used'),
    label: eq('t.label'),
    hasError: (v: unknown) => {
      const b = z.boolean().safeParse(v);
      if (!b.success) throw new BadRequestException('filter.hasError: must be a boolean');
      return b.data ? 't.error_data IS NOT NULL' : 't.error_data IS NULL';
    },
  },
  defaultSort: ['createdAt', 'DESC'] as [string, 'DESC'],
};

@ApiTags('traces')
@ApiBearerAuth()
@Controller('traces')
export class TracesController {
  constructor(private readonly tenant: TenantDb) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.tenant.run(user.organizationId, (db) => pageOf(db, query, SPEC, {
      resource: 'traces', select: SUMMARY, from: 'generation_trace t', tiebreak: 't.id',
      scope: { sql: 't.organization_id = $1', params: [user.organizationId] },
    }));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const bodies = user.role === 'finance' ? '' : BODIES;
    const rows = await this.tenant.query(user.organizationId, `SELECT ${SUMMARY}${bodies} FROM generation_trace t WHERE t.id = $1 AND t.organization_id = $2`, [id, user.organizationId]);
    if (!rows[0]) throw new NotFoundException('trace not found');
    return rows[0];
  }
}
