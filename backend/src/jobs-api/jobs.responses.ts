// Response schemas of the organization's phase jobs (the type JobResponse of jobs.dto.ts).
import { z } from 'zod';
import { DateTime, named } from '../openapi/common.schemas';
import { RetryResultSchema } from '../courses/courses.responses';

export const JobSchema = named(
  'Job',
  z.object({
    id: z.string(),
    queue: z.string(),
    name: z.string(),
    state: z
      .enum(['waiting', 'active', 'delayed', 'failed', 'missing', 'completed'])
      .meta({ description: 'BullMQ\'s waiting-like states are one "waiting"; "missing" is a job the course waits for and no queue holds' }),
    bullState: z.string().nullable().meta({ description: "BullMQ's own name of the state (null for a missing job)" }),
    courseId: z.string(),
    courseTitle: z.string(),
    courseStatus: z.string(),
    run: z.number().int(),
    superseded: z.boolean().meta({ description: "the job belongs to an earlier run than the course's current one" }),
    stage: z.enum(['stage_2', 'stage_3', 'stage_4', 'stage_5', 'stage_6']),
    stageNumber: z.union([z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)]),
    phase: z.string(),
    index: z.number().int(),
    attempt: z.number().int().meta({ description: 'attempts started so far (the running one included)' }),
    maxAttempts: z.number().int(),
    createdAt: DateTime.nullable(),
    ageSeconds: z.number().nullable(),
    processedOn: DateTime.nullable(),
    activeSeconds: z.number().nullable().meta({ description: 'how long an active job has been running' }),
    runAt: DateTime.nullable().meta({ description: 'when a delayed job runs next' }),
    finishedOn: DateTime.nullable(),
    error: z.string().nullable(),
    worker: z.string().nullable(),
    stuck: z.boolean(),
    stuckReason: z
      .enum(['no_worker', 'no_consumer', 'over_time', 'no_job'])
      .nullable()
      .meta({ description: "why a job is stuck: the stall detector's and the reconciler's notions" }),
    retryable: z.boolean().meta({ description: "a failed job of the course's current run whose course is failed, queued or generating" }),
  }),
);

export const JobRetrySchema = named(
  'JobRetry',
  z.discriminatedUnion('retriedBy', [
    z.object({ retriedBy: z.literal('course'), course: RetryResultSchema }).meta({ description: 'the course failed with this job: the course was retried' }),
    z.object({ retriedBy: z.literal('job'), job: JobSchema }).meta({ description: 'BullMQ runs the job again' }),
  ]),
);
