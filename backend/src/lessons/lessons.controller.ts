// Stage 6 lessons and their latest generated source.
import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { UuidPipe } from '../common/zod.pipe';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { LessonDetailSchema, LessonSchema } from './lessons.responses';
import { SPEC as LESSONS_LIST } from '../repositories/tenant/lessons.repository';

@ApiTags('lessons')
@ApiBearerAuth()
@Controller('lessons')
export class LessonsController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('lessons.read')
  @ApiList(LessonSchema, { summary: 'Stage 6 lessons of the organization', spec: LESSONS_LIST })
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { rows, range } = await this.scope.run(user.organizationId, (repos) => repos.lessons.page(query));
    res.header('Content-Range', range);
    return rows;
  }

  @Get(':id')
  @Can('lessons.read')
  @ApiJson(LessonDetailSchema, { summary: 'One lesson with its latest generated source' })
  async get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    const lesson = await this.scope.run(user.organizationId, (repos) => repos.lessons.byIdWithSource(id));
    if (!lesson) throw new NotFoundException('lesson not found');
    return lesson;
  }
}
