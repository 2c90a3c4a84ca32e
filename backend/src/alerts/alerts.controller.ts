// Alerts the stall detectors raised: the caller's organization's and the system-wide
// ones (organization_id NULL — a queue nobody consumes), open or cleared.
import { BadRequestException, Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { z } from 'zod';
import { Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { eq, pageOf, uuidEq } from '../repositories/list-query';
import { ALERT_KINDS } from '../orchestrator/stall-detector';

const SELECT = `a.id::text AS id, a.kind, a.subject, a.organization_id AS "organizationId", a.course_id AS "courseId",
  a.details, a.raised_at AS "raisedAt", a.cleared_at AS "clearedAt",
  CASE WHEN a.cleared_at IS NULL THEN 'open' ELSE 'cleared' END AS status`;

const SPEC = {
  sortable: { id: 'a.id', raisedAt: 'a.raised_at', clearedAt: 'a.cleared_at', kind: 'a.kind' },
  filters: {
    id: eq('a.id::text', z.string().regex(/^\d{1,18}$/, 'must be an alert id')),
    kind: eq('a.kind', z.enum(ALERT_KINDS as [string, ...string[]])),
    courseId: uuidEq('a.course_id'),
    status: (v: unknown) => {
      const s = z.enum(['open', 'cleared']).safeParse(v);
      if (!s.success) throw new BadRequestException('filter.status: must be "open" or "cleared"');
      return s.data === 'open' ? 'a.cleared_at IS NULL' : 'a.cleared_at IS NOT NULL';
    },
  },
  defaultSort: ['raisedAt', 'DESC'] as [string, 'DESC'],
};

@ApiTags('alerts')
@ApiBearerAuth()
@Controller('alerts')
export class AlertsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Allow('admin', 'ops')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await pageOf(this.ds, query, SPEC, {
      resource: 'alerts', select: SELECT, from: 'alerts a', tiebreak: 'a.id',
      scope: { sql: '(a.organization_id = $1 OR a.organization_id IS NULL)', params: [user.organizationId] },
    });
    res.header('Content-Range', range);
    return rows;
  }
}
