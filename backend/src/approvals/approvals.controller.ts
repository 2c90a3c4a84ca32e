// GET /api/approvals: the reviewers' inbox (admin, reviewer), own organization only.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { ApprovalsService } from './approvals.service';

@ApiTags('approvals')
@ApiBearerAuth()
@Controller('approvals')
export class ApprovalsController {
  constructor(private readonly approvals: ApprovalsService) {}

  @Get()
  @RateLimit('approvals', 120, 60)
  @Can('approvals.read')
  inbox(@CurrentUser() user: AuthUser) {
    return this.approvals.inbox(user);
  }
}
