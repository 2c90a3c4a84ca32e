// This month's model spend against the organization's monthly budget, and which of its
// thresholds were crossed, when, and by which course's call. Crossings are recorded by
// a trigger in the transaction of the trace that crossed them (one row per
// organization × month × threshold), so this reads what happened, not an estimate.
import { Controller, Get, NotFoundException } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Can, AuthUser, CurrentUser } from '../auth/access.decorators';
import { TenantScope } from '../repositories/tenant/tenant-scope';
import { ApiJson } from '../openapi/api-doc.decorators';
import { BudgetSchema } from '../reports/reports.responses';

@ApiTags('budgets')
@ApiBearerAuth()
@Controller('budgets')
export class BudgetsController {
  constructor(private readonly scope: TenantScope) {}

  @Get()
  @Can('reports.costs')
  @ApiJson(BudgetSchema, { summary: "This month's spend against the monthly budget and its thresholds" })
  async current(@CurrentUser() user: AuthUser) {
    const row = await this.scope.run(user.organizationId, (repos) => repos.costs.currentBudget());
    if (!row) throw new NotFoundException('organization not found');
    const budget = row.budgetUsd === null ? null : Number(row.budgetUsd);
    return {
      ...row,
      percent: budget ? Math.round((Number(row.spentUsd) / budget) * 10_000) / 100 : null,
      thresholds: row.budgetThresholds
        .slice()
        .sort((a, b) => a - b)
        .map((t) => ({
          threshold: t,
          amountUsd: budget === null ? null : ((budget * t) / 100).toFixed(4),
          crossedAt: row.crossed.find((c) => c.threshold === t)?.crossedAt ?? null,
        })),
    };
  }
}
