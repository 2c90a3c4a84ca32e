// The organization's phase jobs (the tenant's "Queues"): the list, one job, and retrying
// a failed one. Bull Board, which shows every organization's queues, is for operators.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, Can, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { EmptySchema } from '../courses/courses.dto';
import { JobsService } from './jobs.service';
import { SORTABLE } from './jobs.dto';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { JobRetrySchema, JobSchema } from './jobs.responses';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Can('jobs.read')
  @ApiList(JobSchema, { summary: "The organization's phase jobs", sortable: SORTABLE, filters: ['state', 'stage', 'courseId', 'q', 'stuck'] })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.jobs.list(user, query);
    res.header('Content-Range', range);
    return data;
  }

  @Get(':id')
  @Can('jobs.read')
  @ApiJson(JobSchema, { summary: 'One phase job' })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.jobs.get(user, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Can('jobs.retry')
  @ApiJson(JobRetrySchema, { summary: 'Retry a failed job (or its failed course)', errors: [409] })
  retry(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.jobs.retry(user, id);
  }
}
