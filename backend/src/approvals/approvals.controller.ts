// GET /api/approvals: the reviewers' inbox (admin, reviewer), own organization only.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
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
  @ApiJson(z.array(ApprovalItemSchema), { summary: 'Courses waiting at a gate the caller decides, oldest first' })
  inbox(@CurrentUser() user: AuthUser) {
    return this.approvals.inbox(user);
  }
}
