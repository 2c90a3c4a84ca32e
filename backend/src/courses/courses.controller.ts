import { Body, Controller, Delete, Get, Headers, HttpCode, Param, Post, Put, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { RateLimit } from '../auth/rate-limit';
import { UuidPipe, ZodPipe } from '../common/zod.pipe';
import { ApiJson, ApiList } from '../openapi/api-doc.decorators';
import { HISTORY_SPEC } from '../repositories/tenant/course-history.repository';
import { LIST_SPEC } from '../repositories/tenant/courses.repository';
import {
  ApproveDto,
  ApproveSchema,
  CancelSchema,
  CreateCourseDto,
  CreateCourseSchema,
  EmptySchema,
  RejectDto,
  RejectSchema,
  UpdateCourseDto,
  UpdateCourseSchema,
} from './courses.dto';
import {
  CourseDetailSchema,
  CourseSchema,
  GenerationStatusSchema,
  HistoryEntrySchema,
  RetryResultSchema,
  StageInfoSchema,
  StartGenerationResultSchema,
} from './courses.responses';
import { CoursesService } from './courses.service';
import { pickLanguage } from './status-messages';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('courses')
export class CoursesController {
  constructor(private readonly courses: CoursesService) {}

  @Get()
  @Can('courses.read')
  @ApiList(CourseSchema, { summary: "List the organization's courses", spec: LIST_SPEC })
  async list(
    @CurrentUser() user: AuthUser,
    @Query() query: Record<string, unknown>,
    @Headers('accept-language') lang: string | undefined,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { data, range } = await this.courses.list(user, query, pickLanguage(lang, user));
    res.header('Content-Range', range);
    return data;
  }

  @Get(':id')
  @Can('courses.read')
  @ApiJson(CourseDetailSchema, { summary: 'One course with what its stages produced' })
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.get(user, id, pickLanguage(lang, user));
  }

  @Post()
  @ApiJson(CourseDetailSchema, { summary: 'Create a course (with inline documents)', errors: [409] })
  @Can('courses.create')
  @RateLimit('course-create', 120, 60)
  create(@CurrentUser() user: AuthUser, @Body(new ZodPipe(CreateCourseSchema)) dto: CreateCourseDto, @Headers('accept-language') lang?: string) {
    return this.courses.create(user, dto, pickLanguage(lang, user));
  }

  @Put(':id')
  @Can('courses.create')
  @ApiJson(CourseDetailSchema, { summary: 'Change a course (read-only fields of the full record are ignored)', errors: [409] })
  update(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Body(new ZodPipe(UpdateCourseSchema)) dto: UpdateCourseDto,
    @Headers('accept-language') lang?: string,
  ) {
    return this.courses.update(user, id, dto, pickLanguage(lang, user));
  }

  /** A course that never ran (a draft); one that has run is a 409 that says why. Answers the deleted record. */
  @Delete(':id')
  @HttpCode(200)
  @Can('courses.delete')
  @ApiJson(CourseDetailSchema, { summary: 'Delete a course that never ran (409 with why for one that has)', errors: [409] })
  remove(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.courses.remove(user, id);
  }

  @Post(':id/generation')
  @HttpCode(202)
  @Can('courses.start')
  @RateLimit('generation-start', 120, 60)
  @ApiJson(StartGenerationResultSchema, { summary: 'Start generating a course', errors: [409] })
  start(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.start(user, id);
  }

  @Get(':id/status')
  @Can('courses.read')
  @ApiOperation({
    summary: 'The getStatus contract of seed 003',
    description:
      'stage is generation_progress.current_stage ("stage_N", null before the first stage). courses.generation_progress (seed 000) also ' +
      'keeps two legacy fields for old clients, not part of this answer, rebuilt from the stage on every transition: current_step, the number in ' +
      'current_stage (2-6; 0 without one), and steps, stages 2-6 in order as {stage, progress 0-100, status}, status in the StageInfo vocabulary ' +
      'of GET /api/courses/:id/stages (pending, active, completed, error, awaiting) plus skipped (stages 2-3 of a course without documents). ' +
      'A course never started has current_step 0 and steps [].',
  })
  @ApiJson(GenerationStatusSchema, { summary: 'The getStatus contract of seed 003' })
  status(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.status(user, id, pickLanguage(lang, user));
  }

  @Get(':id/stages')
  @Can('courses.read')
  @ApiJson(z.array(StageInfoSchema), { summary: "The course's stages 2-6 (StageInfo of seed 000)" })
  stages(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Headers('accept-language') lang?: string) {
    return this.courses.stages(user, id, pickLanguage(lang, user));
  }

  @Get(':id/history')
  @Can('courses.read')
  @ApiList(HistoryEntrySchema, { summary: "The course's status history", spec: HISTORY_SPEC })
  async history(
    @CurrentUser() user: AuthUser,
    @Param('id', UuidPipe) id: string,
    @Query() query: Record<string, unknown>,
    @Res({ passthrough: true }) res: FastifyReply,
  ) {
    const { data, range } = await this.courses.history(user, id, query);
    res.header('Content-Range', range);
    return data;
  }

  @Post(':id/approve')
  @HttpCode(200)
  // Reviewers decide review gates, finance budget gates (checked by the service).
  @Can('courses.approve', 'gates.decideBudget')
  @ApiJson(GenerationStatusSchema, { summary: 'Approve the stage the course waits at', errors: [409] })
  approve(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(ApproveSchema)) dto: ApproveDto) {
    return this.courses.approve(user, id, dto);
  }

  @Post(':id/reject')
  @HttpCode(200)
  @Can('courses.approve', 'gates.decideBudget')
  @ApiJson(GenerationStatusSchema, { summary: 'Reject the stage the course waits at: rerun it or cancel the course', errors: [409] })
  reject(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(RejectSchema)) dto: RejectDto) {
    return this.courses.reject(user, id, dto);
  }

  @Post(':id/retry')
  @HttpCode(200)
  @Can('courses.retry')
  @ApiJson(RetryResultSchema, { summary: 'Retry a failed course from its failed step', errors: [409] })
  retry(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.retry(user, id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Can('courses.cancel')
  @ApiJson(GenerationStatusSchema, { summary: 'Cancel a course', errors: [409] })
  cancel(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(CancelSchema)) body: { reason?: string }) {
    return this.courses.cancel(user, id, body.reason);
  }

  @Post(':id/restart')
  @HttpCode(200)
  @Can('courses.restart')
  @ApiJson(GenerationStatusSchema, { summary: 'Restart a course from scratch (a new run)', errors: [409] })
  restart(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.courses.restart(user, id);
  }
}
