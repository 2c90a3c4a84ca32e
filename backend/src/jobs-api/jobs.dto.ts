// The tenant jobs view's contract: what a phase job id says (course, run, stage, phase,
// item), the list's ra-data-simple-rest parameters (filter, sort, range), and the
// response a job is shown as. Pure: no I/O, unit-tested beside.
import { BadRequestException } from '@nestjs/common';
import { z } from 'zod';
import { describeZodError } from '../common/zod.pipe';
import { parseJson } from '../repositories/list-query';
import { JOB_QUEUE, jobNameFor, QueueName } from '../jobs/job.names';
import { STAGE_STEPS, StageNumber, stageId } from '../pipeline/stages';
import { JobSchema } from './jobs.responses';

/** The states a tenant sees: BullMQ's waiting-like states are one "waiting"; "missing" is a job the course waits for and no queue holds. */
export const JOB_STATES = ['waiting', 'active', 'delayed', 'failed', 'missing'] as const;
export type JobState = (typeof JOB_STATES)[number] | 'completed';

/** Why a job is stuck (see JobsService): the stall detector's and the reconciler's notions. */
export type StuckReason = 'no_worker' | 'no_consumer' | 'over_time' | 'no_job';

export interface PhaseJobParts {
  id: string;
  courseId: string;
  run: number;
  stage: StageNumber;
  phase: string;
  index: number;
  queue: QueueName;
}

const JOB_ID = /^([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})-r(\d{1,9})-s([2-6])-([a-z0-9_]{1,64})-(\d{1,6})$/;

/** The parts of a phase job id (pipeline/stages.ts phaseJobId), or null when it is not one. */
export function parsePhaseJobId(id: string): PhaseJobParts | null {
  const m = JOB_ID.exec(id);
  if (!m) return null;
  const stage = Number(m[3]) as StageNumber;
  const phase = m[4];
  if (!STAGE_STEPS[stage].some((s) => s.phase === phase)) return null;
  return { id, courseId: m[1], run: Number(m[2]), stage, phase, index: Number(m[5]), queue: JOB_QUEUE[jobNameFor(stage, phase)] };
}

/** `:id` of the jobs routes: a malformed id is a 400 naming the field. */
export function jobIdParam(id: string): PhaseJobParts {
  const parts = typeof id === 'string' ? parsePhaseJobId(id) : null;
  if (!parts) throw new BadRequestException('id: must be a phase job id (<courseId>-r<run>-s<stage>-<phase>-<index>)');
  return parts;
}

/** BullMQ's state as the tenant sees it; null for states the list leaves out. */
export function viewState(bullState: string): JobState {
  if (bullState === 'waiting' || bullState === 'prioritized' || bullState === 'paused' || bullState === 'waiting-children' || bullState === 'wait')
    return 'waiting';
  if (bullState === 'active' || bullState === 'delayed' || bullState === 'failed') return bullState;
  return 'completed';
}

/** A job as the API answers it: the schema's type (jobs.responses.ts), one definition for the API, its document and the dashboard. */
export type JobResponse = z.infer<typeof JobSchema>;

const JobId = z.string().min(1).max(200);

const FilterSchema = z
  .object({
    /** one job id or several (ra-data-simple-rest's getMany) */
    id: z.union([JobId, z.array(JobId).max(500)]).optional(),
    state: z.union([z.enum(JOB_STATES), z.array(z.enum(JOB_STATES)).max(10)]).optional(),
    stage: z
      .union([
        z.coerce.number().int().min(2).max(6),
        z
          .string()
          .regex(/^stage_[2-6]$/)
          .transform((s) => Number(s.slice(6))),
      ])
      .optional(),
    courseId: z.string().uuid({ message: 'must be a UUID' }).optional(),
    q: z.string().max(200).optional(),
    stuck: z.union([z.boolean(), z.enum(['true', 'false']).transform((v) => v === 'true')]).optional(),
  })
  .strict();

export type JobsFilter = { id?: string[]; state?: JobState[]; stage?: number; courseId?: string; q?: string; stuck?: boolean };

export const SORTABLE = ['createdAt', 'ageSeconds', 'state', 'stage', 'attempt', 'courseTitle', 'id'] as const;
type SortField = (typeof SORTABLE)[number];

export interface JobsQuery {
  filter: JobsFilter;
  sort: [SortField, 'ASC' | 'DESC'];
  range: [number, number];
}

const MAX_PAGE = 500;

/** The list's parameters, as ra-data-simple-rest sends them; anything else is a 400 naming it. */
export function parseJobsQuery(query: Record<string, unknown>): JobsQuery {
  const rawFilter = parseJson('filter', query.filter) ?? {};
  if (typeof rawFilter !== 'object' || rawFilter === null || Array.isArray(rawFilter)) throw new BadRequestException('filter: must be a JSON object');
  // Empty values are no filter (react-admin sends them for a cleared input).
  const present = Object.fromEntries(Object.entries(rawFilter).filter(([, v]) => v !== null && v !== ''));
  const f = FilterSchema.safeParse(present);
  if (!f.success) {
    const unknown = f.error.issues.find((i) => i.code === 'unrecognized_keys') as { keys?: string[] } | undefined;
    if (unknown?.keys?.length)
      throw new BadRequestException(`filter: unknown field "${unknown.keys[0]}" (allowed: ${Object.keys(FilterSchema.shape).join(', ')})`);
    throw new BadRequestException(describeZodError(f.error, 'filter'));
  }
  const { state, id, ...rest } = f.data;
  const filter: JobsFilter = {
    ...rest,
    ...(state === undefined ? {} : { state: Array.isArray(state) ? state : [state] }),
    ...(id === undefined ? {} : { id: Array.isArray(id) ? id : [id] }),
  };

  const rawSort = parseJson('sort', query.sort);
  let sort: JobsQuery['sort'] = ['createdAt', 'DESC'];
  if (rawSort !== undefined) {
    const s = z.tuple([z.string(), z.enum(['ASC', 'DESC', 'asc', 'desc'])]).safeParse(rawSort);
    if (!s.success) throw new BadRequestException(`sort: ${describeZodError(s.error)}`);
    if (!(SORTABLE as readonly string[]).includes(s.data[0]))
      throw new BadRequestException(`sort: cannot sort by "${s.data[0]}" (allowed: ${SORTABLE.join(', ')})`);
    sort = [s.data[0] as SortField, s.data[1].toUpperCase() as 'ASC' | 'DESC'];
  }

  const rawRange = parseJson('range', query.range);
  // getMany sends ids and no range: as many rows as ids.
  let range: [number, number] = [0, filter.id ? Math.min(Math.max(filter.id.length, 25), MAX_PAGE) - 1 : 24];
  if (rawRange !== undefined) {
    const r = z
      .tuple([z.number().int().min(0), z.number().int().min(0)])
      .refine(([a, b]) => b >= a, 'end must not be before start')
      .safeParse(rawRange);
    if (!r.success) throw new BadRequestException(`range: ${describeZodError(r.error)}`);
    if (r.data[1] - r.data[0] + 1 > MAX_PAGE) throw new BadRequestException(`range: at most ${MAX_PAGE} rows per page`);
    range = r.data;
  }
  return { filter, sort, range };
}

/** Whether a job passes the filter (state, stage, course, text, stuck). */
export function matches(job: JobResponse, f: JobsFilter): boolean {
  if (f.id && !f.id.includes(job.id)) return false;
  if (f.state && !f.state.includes(job.state)) return false;
  if (f.stage !== undefined && job.stageNumber !== f.stage) return false;
  if (f.courseId && job.courseId !== f.courseId) return false;
  if (f.stuck !== undefined && job.stuck !== f.stuck) return false;
  if (f.q) {
    const q = f.q.toLowerCase();
    if (![job.courseTitle, job.id, job.phase, job.error ?? '', job.worker ?? ''].some((t) => t.toLowerCase().includes(q))) return false;
  }
  return true;
}

const STATE_ORDER: Record<JobState, number> = { failed: 0, missing: 1, active: 2, delayed: 3, waiting: 4, completed: 5 };

/** Sorts in place by the field, then by id so pages are stable. */
export function sortJobs(jobs: JobResponse[], [field, order]: JobsQuery['sort']): JobResponse[] {
  const key = (j: JobResponse): number | string => {
    switch (field) {
      case 'createdAt':
        return j.createdAt ?? '';
      case 'ageSeconds':
        return j.ageSeconds ?? -1;
      case 'state':
        return STATE_ORDER[j.state];
      case 'stage':
        return j.stageNumber * 1000 + j.index;
      case 'attempt':
        return j.attempt;
      case 'courseTitle':
        return j.courseTitle.toLowerCase();
      default:
        return j.id;
    }
  };
  const sign = order === 'ASC' ? 1 : -1;
  return jobs.sort((a, b) => {
    const ka = key(a);
    const kb = key(b);
    if (ka < kb) return -sign;
    if (ka > kb) return sign;
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  });
}

export { stageId };
