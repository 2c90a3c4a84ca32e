// Model call traces. Finance sees tokens and costs but never prompts or answers.
import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { UuidPipe } from '../common/zod.pipe';
import { TenantScope } from '../repositories/tenant/tenant-scope';

@ApiTags('traces')
@ApiBearerAuth()
@Controller('traces')
export class TracesController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.traces.page(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const trace = await this.scope.run(user.organizationId, (repos) => repos.traces.trace(id, user.role !== 'finance'));
    if (!trace) throw new NotFoundException('trace not found');
    return trace;
  }
}
