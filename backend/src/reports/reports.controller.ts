// Finance's reports and corrections: cost reports (JSON, and CSV streamed from a
// cursor), re-pricing a period (preview, then apply) and closing months.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Readable } from 'node:stream';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { ZodPipe } from '../common/zod.pipe';
import { BooksService, MonthSchema, RepriceRequest, RepriceSchema } from './books.service';
import { parseGenerationsQuery, ReportsService } from './reports.service';
import { ApiJson, ApiList, ApiText } from '../openapi/api-doc.decorators';
import { z } from 'zod';
import { ClosedMonthSchema, CostReportSchema, GenerationAnalysisSchema, LabelReportSchema, RepriceResultSchema } from './reports.responses';
import { CostQuerySchema, GenerationsQuerySchema, LabelQuerySchema } from './reports.service';

const MonthPipe = new ZodPipe(MonthSchema, 'month');

@ApiTags('reports')
@ApiBearerAuth()
@Controller('reports')
export class ReportsController {
  constructor(
    private readonly reports: ReportsService,
    private readonly books: BooksService,
  ) {}

  @Get('costs')
  @Can('reports.costs')
  @RateLimit('cost-report', 120, 60)
  @ApiJson(CostReportSchema, { summary: 'Cost report grouped by day, model, stage, label, organization or course', query: CostQuerySchema })
  async costs(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const report = await this.reports.costs(user, this.reports.parse(query));
    if (report.page) res.header('Content-Range', report.page.contentRange);
    return report;
  }

  @Get('costs.csv')
  @Can('reports.costs')
  @RateLimit('cost-report-csv', 30, 60)
  @ApiText('text/csv', {
    summary: 'The cost report as CSV (streamed)',
    query: CostQuerySchema,
    example: 'day,calls,inputTokens,outputTokens,costUsd\n2026-01-05,12,3400,5100,0.0412\n',
  })
  async csv(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res() res: FastifyReply) {
    const q = this.reports.parse(query);
    res
      .header('content-type', 'text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="costs-${q.from}-${q.to}-${q.groupBy.join('-')}.csv"`)
      .send(Readable.from(this.reports.costCsvStream(user, q)));
  }

  @Get('costs/labels')
  @Can('reports.costs')
  @RateLimit('cost-report', 120, 60)
  @ApiJson(LabelReportSchema, { summary: 'Spend by attempt label per model and stage: what failure cost', query: LabelQuerySchema })
  labels(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>) {
    return this.reports.labels(user, this.reports.parseLabels(query));
  }

  @Get('generations')
  @Can('reports.costs')
  @RateLimit('cost-report', 120, 60)
  @ApiOperation({
    summary: "Seed 001's analyses of stage-5 generation metadata",
    description:
      'kind=expensive (cost_usd above threshold, default 1.0 USD), slow (duration_ms.total above threshold, default 30000 ms) or low_quality ' +
      '(quality_scores.overall below threshold, default 0.7); the caller\'s organization only; sort ["value"|"createdAt"|"title","ASC"|"DESC"] ' +
      '(worst first by default), range [0,24]; Content-Range: generations a-b/total.',
  })
  @ApiList(GenerationAnalysisSchema, {
    summary: "Seed 001's analyses of stage-5 generation metadata",
    query: GenerationsQuerySchema.omit({ sort: true, range: true }),
    sortable: ['value', 'createdAt', 'title'],
    filters: [],
  })
  async generations(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.reports.generations(user, parseGenerationsQuery(query));
    res.header('Content-Range', range);
    return data;
  }

  @Post('reprice/preview')
  @HttpCode(200)
  @Can('reports.reprice')
  @RateLimit('reprice', 30, 60)
  @ApiJson(RepriceResultSchema, { summary: 'Preview re-pricing a period at other prices' })
  preview(@CurrentUser() user: AuthUser, @Body(new ZodPipe(RepriceSchema)) body: RepriceRequest) {
    return this.books.preview(user, body);
  }

  @Post('reprice')
  @HttpCode(200)
  @Can('reports.reprice')
  @RateLimit('reprice', 30, 60)
  @ApiJson(RepriceResultSchema, { summary: 'Re-price a period (open months only)', errors: [409] })
  reprice(@CurrentUser() user: AuthUser, @Body(new ZodPipe(RepriceSchema)) body: RepriceRequest) {
    return this.books.apply(user, body);
  }

  @Get('months')
  @Can('reports.costs')
  @ApiJson(z.array(ClosedMonthSchema), { summary: 'Closed months' })
  months(@CurrentUser() user: AuthUser) {
    return this.books.months(user);
  }

  @Post('months/:month/close')
  @HttpCode(200)
  @Can('reports.closeMonth')
  @ApiJson(ClosedMonthSchema, { summary: 'Close a month: its costs can no longer be re-priced', errors: [409] })
  close(@CurrentUser() user: AuthUser, @Param('month', MonthPipe) month: string) {
    return this.books.closeMonth(user, month);
  }
}
