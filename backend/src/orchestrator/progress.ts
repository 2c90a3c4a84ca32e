// Maps the machine's context onto the course row: the coarse status of the getStatus
// contract (seed 003) and the generation_progress JSONB of seed 000.
import type { CourseContext } from '../pipeline/course.types';
import { STAGE_NAMES, StageNumber } from '../pipeline/stages';

/**
 * Where a stage stands, in the legacy `steps` of generation_progress — the StageInfo
 * vocabulary of seed 000 (the same as GET /api/courses/:id/stages), plus `skipped`:
 * `completed` before the current stage (or every stage once the course completed);
 * `skipped` for stages 2 and 3 of a course without documents once it is past them; the
 * current stage `awaiting` at a gate, `error` when the course failed, `pending` when it
 * was cancelled or waits in the queue again, else `active`; `pending` after it (and all
 * of them before the first stage).
 */
export type StepStatus = 'pending' | 'active' | 'completed' | 'error' | 'awaiting' | 'skipped';

/** One entry of the legacy `steps`: a stage, its own progress 0-100 and its status. */
export interface ProgressStep {
  stage: string;
  progress: number;
  status: StepStatus;
}

/**
 * courses.generation_progress (the JSONB of seed 000), which buildProgress writes. Two
 * of seed 000's fields are kept for old clients and derived from the stage on every
 * transition: `current_step` is the current stage's number (2-6; 0 before the first
 * stage), always the number in `current_stage` (`stage_N`, null before the first
 * stage); `steps` lists the stages 2-6 in order with their progress and status.
 */
export interface GenerationProgress {
  percentage: number;
  message: string;
  current_step: number;
  current_stage: string | null;
  steps: ProgressStep[];
  has_documents: boolean;
  document_size: number;
  lessons_completed: number;
  lessons_total: number;
  started_at: string | null;
  estimated_completion: string | null;
  phase?: string | null;
}

export type CoarseStatus = 'idle' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';

export function coarseStatus(state: string): CoarseStatus {
  if (state === 'idle' || state === 'queued' || state === 'completed' || state === 'failed' || state === 'cancelled') return state;
  return 'generating';
}

export function englishMessage(state: string, ctx: CourseContext): string {
  const stageName = ctx.stage ? STAGE_NAMES[ctx.stage].en : '';
  if (state === 'idle') return 'Generation not started';
  if (state === 'queued') return 'Waiting in queue';
  if (state === 'completed') return 'Generation completed';
  if (state === 'failed') return `Generation failed: ${ctx.error?.message ?? 'unknown error'}`;
  if (state === 'cancelled') return 'Generation cancelled';
  if (state.endsWith('_awaiting_approval')) return `${stageName}: awaiting ${ctx.awaiting?.kind === 'budget' ? 'budget ' : ''}approval`;
  return `${stageName}: ${ctx.phase ?? ''}`.trim();
}

export function stepStatus(n: StageNumber, state: string, ctx: CourseContext): StepStatus {
  const current = ctx.stage;
  if (n <= 3 && !ctx.hasDocuments && (current ?? 0) >= 4) return 'skipped';
  if (state === 'completed') return 'completed';
  if (current === null) return 'pending';
  if (n < current) return 'completed';
  if (n > current) return 'pending';
  if (state.endsWith('_awaiting_approval')) return 'awaiting';
  if (state === 'failed') return 'error';
  if (state === 'cancelled') return (ctx.stageProgress[n] ?? 0) >= 1 ? 'completed' : 'pending';
  if (state === 'queued') return 'pending';
  return 'active';
}

export function buildProgress(state: string, ctx: CourseContext, prev: GenerationProgress, now: Date): GenerationProgress {
  const started = state === 'queued' && prev.percentage === 0 ? now.toISOString() : (prev.started_at ?? now.toISOString());
  return {
    ...prev,
    percentage: ctx.percentage,
    message: englishMessage(state, ctx),
    current_step: ctx.stage ?? 0,
    current_stage: ctx.stage ? `stage_${ctx.stage}` : null,
    phase: ctx.phase,
    steps: ([2, 3, 4, 5, 6] as StageNumber[]).map((n) => ({
      stage: `stage_${n}`,
      progress: Math.round((ctx.stageProgress[n] ?? 0) * 100),
      status: stepStatus(n, state, ctx),
    })),
    has_documents: ctx.hasDocuments,
    lessons_completed: ctx.lessonsCompleted,
    lessons_total: ctx.lessonsTotal,
    started_at: state === 'idle' ? null : started,
  };
}
