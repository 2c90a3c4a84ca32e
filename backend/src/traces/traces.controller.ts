// Model call traces. Finance sees tokens and costs but never prompts or answers. Each
// row names its OpenTelemetry trace; with TRACE_URL_TEMPLATE set, `otelTraceUrl` links
// it to the operator's tracer (the dashboard's trace page shows the link).
import { Controller, Get, Inject, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { can } from '../auth/permissions';
import { UuidPipe } from '../common/zod.pipe';
import { APP_CONFIG, AppConfig } from '../config/app-config';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { TraceSchema, TraceSummarySchema } from './traces.responses';
import { SPEC as TRACES_LIST } from '../repositories/tenant/traces.repository';
import type { TraceSummaryRow } from '../repositories/tenant/traces.repository';

/** The tracer's page of a trace: the template with {traceId} (and {spanId}) filled in; null without either. */
export function traceUrl(template: string | undefined, row: Pick<TraceSummaryRow, 'otelTraceId' | 'otelSpanId'>): string | null {
  if (!template || !row.otelTraceId) return null;
  return template.replaceAll('{traceId}', row.otelTraceId).replaceAll('{spanId}', row.otelSpanId ?? '');
}

@ApiTags('traces')
@ApiBearerAuth()
@Controller('traces')
export class TracesController {
  constructor(
    private readonly scope: TenantScope,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  private withLink<T extends TraceSummaryRow>(row: T): T & { otelTraceUrl: string | null } {
    return { ...row, otelTraceUrl: traceUrl(this.config.traceUrlTemplate, row) };
  }

  @Get()
  @Can('traces.read')
  @ApiList(TraceSummarySchema, { summary: 'Model calls of the organization', spec: TRACES_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.traces.page(query));
    res.header('Content-Range', range);
    return rows.map((r) => this.withLink(r));
  }

  @Get(':id')
  @Can('traces.read')
  @ApiJson(TraceSchema, { summary: 'One model call (prompt and answer for roles that may read them)' })
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const trace = await this.scope.run(user.organizationId, (repos) => repos.traces.trace(id, can(user, 'traces.readBodies')));
    if (!trace) throw new NotFoundException('trace not found');
    return this.withLink(trace);
  }
}
