import { Body, Controller, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ALL_ROLES, Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { UuidPipe, ZodPipe } from '../common/zod.pipe';
import { ApproveDto, ApproveSchema, CancelSchema, CreateCourseDto, CreateCourseSchema, EmptySchema, RejectDto, RejectSchema, UpdateCourseDto, UpdateCourseSchema } from './courses.dto';
import { CoursesService } from './courses.service';
import { pickLanguage } from './status-messages';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get()
  @Allow(...ALL_ROLES)
  async list(@CurrentUser() user: AuthUser, @Query() query: Record<string, unknown>, @Headers('accept-language') lang: string | undefined, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.courses.list(user, query, pickLanguage(lang, user));
    res.header('Content-Range', range);
    return data;
  }

  @Get(':id')
  @Allow(...ALL_ROLES)
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.get(user, id, pickLanguage(lang, user));
  }

  @Post()
  @Allow('admin', 'ops')
  @RateLimit('course-create', 120, 60)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(CreateCourseSchema)) dto: CreateCourseDto, @Headers('accept-language') lang?: string) {
    return this.courses.create(user, dto, pickLanguage(lang, user));
  }

  @Put(':id')
  @Allow('admin', 'ops')
  update(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(UpdateCourseSchema)) dto: UpdateCourseDto, @Headers('accept-language') lang?: string) {
    return this.courses.update(user, id, dto, pickLanguage(lang, user));
  }

  @Post(':id/generation')
  @HttpCode(202)
  @Allow('admin', 'ops')
  @RateLimit('generation-start', 120, 60)
  start(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.start(user, id);
  }

  @Get(':id/status')
  @Allow(...ALL_ROLES)
  status(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.status(user, id, pickLanguage(lang, user));
  }

  @Get(':id/stages')
  @Allow(...ALL_ROLES)
  stages(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.stages(user, id, pickLanguage(lang, user));
  }

  @Get(':id/history')
  @Allow(...ALL_ROLES)
  async history(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Query() query: Record<string, unknown>, @Res({ passthrough: true }) res: FastifyReply) {
    const { data, range } = await this.courses.history(user, id, query);
    res.header('Content-Range', range);
    return data;
  }

  @Post(':id/approve')
  @HttpCode(200)
  // Reviewers decide review gates, finance budget gates (checked by the service).
  @Allow('admin', 'reviewer', 'finance')
  approve(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(ApproveSchema)) dto: ApproveDto) {
    return this.courses.approve(user, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Allow('admin', 'reviewer', 'finance')
  reject(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(RejectSchema)) dto: RejectDto) {
    return this.courses.reject(user, id, dto);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Allow('admin', 'ops')
  retry(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.retry(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Allow('admin', 'ops')
  cancel(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(CancelSchema)) body: { reason?: string }) {
    return this.courses.cancel(user, id, body.reason);
  }

  @Post(':id/restart')
  @HttpCode(200)
  @Allow('admin', 'ops')
  restart(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.restart(user, id);
  }
}
