// GET /api/courses/:id/timeline: the flight recorder of one course (all roles).
import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { UuidPipe } from '../common/zod.pipe';
import { TimelineService } from './timeline.service';
import { ApiJson } from '../openapi/api-doc.decorators';
import { TimelineSchema } from './courses.responses';

@ApiTags('courses')
@ApiBearerAuth()
@Controller('courses')
export class TimelineController {
  constructor(private readonly timeline: TimelineService) {}

  @Get(':id/timeline')
  @RateLimit('timeline', 120, 60)
  @Can('courses.read')
  @ApiJson(TimelineSchema, { summary: 'The flight recorder of one course: transitions, model calls, decisions, cost' })
  get(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.timeline.timeline(user, id);
  }
}
