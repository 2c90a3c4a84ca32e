// Response schemas of the probes and the detailed health answer.
import { z } from 'zod';
import { named } from '../openapi/common.schemas';

export const CheckResultSchema = named('CheckResult', z.object({ ok: z.boolean(), ms: z.number(), error: z.string().optional() }));

export const LiveSchema = named('Live', z.object({ status: z.literal('ok') }));

export const ReadinessSchema = named(
  'Readiness',
  z.object({
    status: z.enum(['ok', 'unavailable']),
    failed: z.array(z.string()).meta({ description: 'the checks that failed, e.g. ["postgres"]; ["shutdown"] while stopping' }),
    checks: z.record(z.string(), CheckResultSchema),
  }),
);

export const HealthSchema = named(
  'Health',
  z.object({
    status: z.enum(['ok', 'degraded']),
    postgres: CheckResultSchema,
    redis: CheckResultSchema,
    workers: z.object({ alive: z.number().int(), waitingJobs: z.number().int(), consuming: z.boolean() }).nullable(),
    alerts: z.record(z.string(), z.number().int()).nullable().meta({ description: 'open stall alerts of the deployment by kind' }),
  }),
);
