// The dashboard's home in numbers, all SQL aggregates over the caller's organization:
// course counts, cost today and this month, cost by day × model and tokens by stage
// (from the daily cost rollup, never from generation_trace rows), and stage durations
// p50 / p95 from the status history (repositories/tenant/overview.repository.ts).
import { Injectable } from '@nestjs/common';
import type { AuthUser } from '../auth/access.decorators';
import type { CostByDayRow, CostTodayRow, CourseCountsRow, StageDurationRow, TokensByStageRow } from '../repositories/tenant/overview.repository';
import { TenantScope } from '../repositories/tenant/tenant-scope';

export const OVERVIEW_DAYS = 30;

export interface Overview {
  counts: CourseCountsRow;
  cost: CostTodayRow;
  costByDay: CostByDayRow[];
  tokensByStage: TokensByStageRow[];
  stageDurations: StageDurationRow[];
  days: number;
}

@Injectable()
export class OverviewService {
  constructor(private readonly scope: TenantScope) {}

  /** One transaction in the organization's row-level-security scope (the SQL scopes it too). */
  overview(user: AuthUser): Promise<Overview> {
    return this.scope.run(user.organizationId, async (repos) => {
      const o = repos.overview;
      return {
        counts: await o.courseCounts(),
        cost: await o.costTodayAndMonth(),
        costByDay: await o.costByDay(OVERVIEW_DAYS),
        tokensByStage: await o.tokensByStage(OVERVIEW_DAYS),
        stageDurations: await o.stageDurations(OVERVIEW_DAYS),
        days: OVERVIEW_DAYS,
      };
    });
  }
}
