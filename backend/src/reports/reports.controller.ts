import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { ReportsService, costCsv } from './reports.service';

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Get('costs')
  @Allow('admin', 'finance', 'ops')
  @RateLimit('cost-report', 120, 60)
  costs(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    return this.reports.costs(user, this.reports.parse(query));
  }

  @Get('costs.csv')
  @Allow('admin', 'finance', 'ops')
  @RateLimit('cost-report-csv', 30, 60)
  async csv(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res() res: FastifyReply) {
    const q = this.reports.parse(query);
    const report = await this.reports.costs(user, q);
    res
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="costs-${q.from}-${q.to}-${q.groupBy.join('-')}.csv"`)
      .send(Readable.from(costCsv(report)));
  }
}
