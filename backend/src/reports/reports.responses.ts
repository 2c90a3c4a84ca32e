// Response schemas of finance's reports, re-pricing, closed months and the budget.
import { z } from 'zod';
import { COST_GROUPS } from '../repositories/tenant/costs.repository';
import { DateTime, Day, named, Usd, Uuid } from '../openapi/common.schemas';

const Cell = z.union([z.string(), z.number(), z.null()]);

/** One group of the cost report: the groupBy keys (day, model, stage, label, organizationId/Name, courseId/Title) and the sums. */
export const CostRowSchema = named(
  'CostRow',
  z
    .object({
      calls: z.number().int(),
      inputTokens: z.number(),
      outputTokens: z.number(),
      costUsd: Usd,
    })
    .catchall(Cell),
);

export const CostReportSchema = named(
  'CostReport',
  z.object({
    from: Day,
    to: Day,
    groupBy: z.array(z.enum(COST_GROUPS as [string, ...string[]])),
    scope: z.enum(['organization', 'platform']).meta({ description: 'platform: every organization (operators grouping by organization)' }),
    rows: z.array(CostRowSchema),
    totals: z.object({ calls: z.number().int(), inputTokens: z.number().nullable(), outputTokens: z.number().nullable(), costUsd: Usd }),
    page: z.object({ offset: z.number().int(), limit: z.number().int(), total: z.number().int(), contentRange: z.string() }).optional().meta({
      description:
        "grouped by course: the page of rows answered (sort and range, react-admin conventions; the 100 most expensive by default); totals stay the whole period's",
    }),
  }),
);

const LabelSums = {
  calls: z.number().int(),
  costUsd: Usd,
  firstTryUsd: Usd,
  retryUsd: Usd,
  fallbackUsd: Usd,
  repairUsd: Usd,
  rerunUsd: Usd,
  failureUsd: Usd.meta({ description: 'what failure cost on top of first tries' }),
  failureCalls: z.number().int(),
  failurePercent: z.number(),
};

export const LabelReportSchema = named(
  'LabelReport',
  z.object({
    from: Day,
    to: Day,
    rows: z.array(z.object({ model: z.string().nullable(), stage: z.string().nullable(), ...LabelSums }).partial()),
    totals: z.object(LabelSums).partial().extend({ calls: z.number().int() }),
  }),
);

/** Seed 001's analyses of stage 5's generation metadata. */
export const GenerationAnalysisSchema = named(
  'GenerationAnalysis',
  z.object({
    id: Uuid,
    title: z.string(),
    status: z.string(),
    value: z.number().meta({ description: 'the analysed value: cost in USD, duration in ms or the quality score' }),
    costUsd: z.number().nullable(),
    durationMs: z.number().nullable(),
    quality: z.number().nullable(),
    modelUsed: z.record(z.string(), z.string()).nullable(),
    createdAt: DateTime,
  }),
);

const RepriceSums = { traces: z.number().int(), currentUsd: Usd, repricedUsd: Usd, differenceUsd: Usd };

export const RepriceResultSchema = named(
  'RepriceResult',
  z.object({
    from: Day,
    to: Day,
    rows: z.array(z.object({ model: z.string(), day: Day, ...RepriceSums })),
    totals: z.object(RepriceSums),
    repriceId: z.string().optional().meta({ description: 'set when applied' }),
    changedTraces: z.number().int().optional(),
  }),
);

export const ClosedMonthSchema = named(
  'ClosedMonth',
  z.object({
    month: z.string().meta({ description: 'YYYY-MM' }),
    closedAt: DateTime,
    closedBy: Uuid.nullable(),
    costUsd: Usd,
    calls: z.number().int(),
  }),
);

export const BudgetSchema = named(
  'Budget',
  z.object({
    month: z.string().meta({ description: 'YYYY-MM (UTC)' }),
    budgetUsd: Usd.nullable(),
    spentUsd: Usd,
    budgetThresholds: z.array(z.number().int()),
    budgetWebhookUrl: z.string().nullable(),
    crossed: z.array(z.object({ threshold: z.number().int(), crossedAt: DateTime, spentUsd: Usd, budgetUsd: Usd, courseId: Uuid.nullable() })),
    percent: z.number().nullable().meta({ description: 'spent as a percentage of the budget' }),
    thresholds: z.array(z.object({ threshold: z.number().int(), amountUsd: Usd.nullable(), crossedAt: DateTime.nullable() })),
  }),
);
