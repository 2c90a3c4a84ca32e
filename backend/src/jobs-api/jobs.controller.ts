// The organization's phase jobs (the tenant's "Queues"): the list, one job, and retrying
// a failed one. Bull Board, which shows every organization's queues, is for operators.
import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { AuthUser, Can, CurrentUser } from '../auth/access.decorators';
import { ZodPipe } from '../common/zod.pipe';
import { EmptySchema } from '../courses/courses.dto';
import { JobsService } from './jobs.service';

@ApiTags('jobs')
@ApiBearerAuth()
@Controller('jobs')
export class JobsController {
  constructor(private readonly jobs: JobsService) {}

  @Get()
  @Can('jobs.read')
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.jobs.list(user, query);
    res.header('Content-Range', range);
    return data;
  }

  @Get(':id')
  @Can('jobs.read')
  get(@CurrentUser() user: AuthUser, @Param('id') id: string) {
    return this.jobs.get(user, id);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Can('jobs.retry')
  retry(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.jobs.retry(user, id);
  }
}
