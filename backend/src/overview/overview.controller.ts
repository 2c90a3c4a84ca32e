// GET /api/overview: the dashboard's home, for every role, own organization only.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { RateLimit } from '../auth/rate-limit';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { OverviewService } from './overview.service';
import { ApiJson } from '../openapi/api-doc.decorators';
import { OverviewSchema } from './overview.responses';

@ApiTags('overview')
@ApiBearerAuth()
@Controller('overview')
export class OverviewController {
  constructor(private readonly overview: OverviewService) {}

  @Get()
  @RateLimit('overview', 120, 60)
  @Can('overview.read')
  @ApiJson(OverviewSchema, { summary: "The dashboard's home: counts, cost and durations of the organization" })
  get(@CurrentUser() user: AuthUser) {
    return this.overview.overview(user);
  }
}
