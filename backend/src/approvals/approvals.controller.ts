// GET /api/approvals: the reviewers' inbox (admin, reviewer), own organization only.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Allow, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @RateLimit('approvals', 120, 60)
  @Allow('admin', 'reviewer', 'finance')
  inbox(@CurrentUser() user: AuthUser) {
    return this.approvals.inbox(user);
  }
}
