// The organization's phase jobs (the tenant's "Queues"): the list, one job, and retrying
// a failed one. Bull Board, which shows every organization's queues, is for operators.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { EmptySchema } from '../courses/courses.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Allow('admin', 'ops')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.jobs.list(user, query);
    res.header('Content-Range', range);
    return data;
  }

  @Get(':id')
  @Allow('admin', 'ops')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.jobs.get(user, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Allow('admin', 'ops')
  retry(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.jobs.retry(user, id);
  }
}
