// Alerts the stall detectors raised: the caller's organization's and the system-wide
// ones (organization_id NULL — a queue nobody consumes), open or cleared.
import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiList } from '../openapi/api-doc.decorators';
import { AlertSchema } from './alerts.responses';
import { SPEC as ALERTS_LIST } from '../repositories/tenant/alerts.repository';

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('alerts.read')
  @ApiList(AlertSchema, { summary: 'Stall alerts of the organization and of the whole system', spec: ALERTS_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.alerts.page(query));
    res.header('Content-Range', range);
    return rows;
  }
}
