// This month's model spend against the organization's monthly budget, and which of its
// thresholds were crossed, when, and by which course's call. Crossings are recorded by
// a trigger in the transaction of the trace that crossed them (one row per
// organization × month × threshold), so this reads what happened, not an estimate.
import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { DataSource } from 'typeorm';
import { Allow, AuthUser, CurrentUser } from '../auth/access.decorators';

@ApiTags('budgets')
@ApiBearerAuth()
@Controller('budgets')
export class BudgetsController {
  constructor(private readonly ds: DataSource) {}

  @Get()
  @Allow('admin', 'finance', 'ops')
  async current(@CurrentUser() user: AuthUser) {
    const [row] = await this.ds.query(
      `WITH m AS (SELECT date_trunc('month', now() AT TIME ZONE 'UTC')::date AS month)
       SELECT to_char(m.month, 'YYYY-MM') AS month,
              o.monthly_budget_usd::text AS "budgetUsd",
              (SELECT coalesce(sum(r.cost_usd), 0)::numeric(18, 8)::text FROM cost_daily_rollup r
                WHERE r.organization_id = o.id AND r.day >= m.month AND r.day < (m.month + interval '1 month')::date) AS "spentUsd",
              o.budget_thresholds AS "budgetThresholds",
              o.budget_webhook_url AS "budgetWebhookUrl",
              coalesce((SELECT json_agg(json_build_object('threshold', b.threshold, 'crossedAt', b.crossed_at, 'spentUsd', b.spent_usd::text,
                                                          'budgetUsd', b.budget_usd::text, 'courseId', b.course_id) ORDER BY b.threshold)
                          FROM budget_threshold_crossings b WHERE b.organization_id = o.id AND b.month = m.month), '[]') AS crossed
         FROM organizations o, m WHERE o.id = $1`,
      [user.organizationId],
    );
    const budget = row.budgetUsd === null ? null : Number(row.budgetUsd);
    return {
      ...row,
      percent: budget ? Math.round((Number(row.spentUsd) / budget) * 10_000) / 100 : null,
      thresholds: (row.budgetThresholds as number[]).slice().sort((a, b) => a - b).map((t) => ({
        threshold: t,
        amountUsd: budget === null ? null : ((budget * t) / 100).toFixed(4),
        crossedAt: (row.crossed as { threshold: number; crossedAt: string }[]).find((c) => c.threshold === t)?.crossedAt ?? null,
      })),
    };
  }
}
