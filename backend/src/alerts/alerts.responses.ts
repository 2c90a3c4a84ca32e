// Response schema of the stall detectors' alerts.
import { z } from 'zod';
import { AnyJson, DateTime, named, Uuid } from '../openapi/common.schemas';

export const AlertSchema = named(
  'Alert',
  z.object({
    id: z.string(),
    kind: z.string(),
    subject: z.string(),
    organizationId: Uuid.nullable().meta({ description: 'null: a system-wide alert (a queue nobody consumes)' }),
    courseId: Uuid.nullable(),
    details: z.record(z.string(), AnyJson),
    raisedAt: DateTime,
    clearedAt: DateTime.nullable(),
    status: z.enum(['open', 'cleared']),
  }),
);
