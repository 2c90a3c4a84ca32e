// The approvals inbox (`GET /api/approvals`: the gates the caller decides, every gate for
// ops), one course's gate (`GET /api/approvals/:id`, what the course page shows) and
// "escalate now" (`POST /api/approvals/:id/escalate`), own organization only.
import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { UuidPipe, ZodPipe } from '../common/zod.pipe';
import { EmptySchema } from '../courses/courses.dto';
import { ApprovalsService } from './approvals.service';
import { ApiJson } from '../openapi/api-doc.decorators';
import { z } from 'zod';
import { ApprovalItemSchema } from './approvals.responses';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @RateLimit('approvals', 120, 60)
  @Can('approvals.read')
  @ApiJson(z.array(ApprovalItemSchema), { summary: 'Courses waiting at a gate (ops: every gate, read-only), overdue and escalated first, then by due time' })
  inbox(@CurrentUser() user: AuthUser) {
    return this.approvals.inbox(user);
  }

  @Get(':id')
  @Can('approvals.read')
  @ApiJson(ApprovalItemSchema.nullable(), { summary: 'The gate a course waits at (null: none)' })
  gate(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string) {
    return this.approvals.gate(user, id);
  }

  @Post(':id/escalate')
  @HttpCode(200)
  @Can('gates.escalate')
  @ApiJson(ApprovalItemSchema.nullable(), { summary: 'Escalate the gate a course waits at now, as its deadline would', errors: [409] })
  escalate(@CurrentUser() user: AuthUser, @Param('id', UuidPipe) id: string, @Body(new ZodPipe(EmptySchema)) _body: object) {
    return this.approvals.escalate(user, id);
  }
}
