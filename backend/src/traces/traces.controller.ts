// Model call traces. Finance sees tokens and costs but never prompts or answers.
import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { can } from '../auth/permissions';
import { UuidPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { TraceSchema, TraceSummarySchema } from './traces.responses';
import { SPEC as TRACES_LIST } from '../repositories/tenant/traces.repository';

@ApiTags('traces')
@ApiBearerAuth()
@Controller('traces')
export class TracesController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('traces.read')
  @ApiList(TraceSummarySchema, { summary: 'Model calls of the organization', spec: TRACES_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.traces.page(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('traces.read')
  @ApiJson(TraceSchema, { summary: 'One model call (prompt and answer for roles that may read them)' })
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const trace = await this.scope.run(user.organizationId, (repos) => repos.traces.trace(id, can(user, 'traces.readBodies')));
    if (!trace) throw new NotFoundException('trace not found');
    return trace;
  }
}
