// The routes behind the dashboard's own pages: the overview's aggregates, the
// reviewers' inbox, a course's flight recorder and the Bull Board session. Imported by the API module; the
// API module's global guard and error filter apply.
import { Module } from '@nestjs/common';
import { ApprovalsController } from '../approvals/approvals.controller';
import { ApprovalsService } from '../approvals/approvals.service';
import { TimelineController } from '../courses/timeline.controller';
import { TimelineService } from '../courses/timeline.service';
import { OverviewController } from '../overview/overview.controller';
import { OverviewService } from '../overview/overview.service';
import { QueuesBoardController } from '../queues-board/queues-board.controller';

@Module({
  controllers: [OverviewController, ApprovalsController, TimelineController, QueuesBoardController],
  providers: [OverviewService, ApprovalsService, TimelineService],
})
export class DashboardApiModule {}
