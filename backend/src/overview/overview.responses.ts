// Response schema of the dashboard's home.
import { z } from 'zod';
import { Day, named, Usd } from '../openapi/common.schemas';

export const OverviewSchema = named(
  'Overview',
  z.object({
    counts: z.object({
      generating: z.number().int(),
      queued: z.number().int(),
      awaitingApproval: z.number().int(),
      failed24h: z.number().int(),
      completed24h: z.number().int(),
      total: z.number().int(),
    }),
    cost: z.object({ todayUsd: Usd, monthUsd: Usd }),
    costByDay: z.array(z.object({ day: Day, model: z.string(), costUsd: Usd })),
    tokensByStage: z.array(z.object({ stage: z.string(), inputTokens: z.number(), outputTokens: z.number(), calls: z.number() })),
    stageDurations: z.array(z.object({ stage: z.string(), runs: z.number(), p50Seconds: z.number(), p95Seconds: z.number() })),
    days: z.number().int().meta({ description: 'how many days the series cover' }),
  }),
);
