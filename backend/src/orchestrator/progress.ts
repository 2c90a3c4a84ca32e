// Maps the machine's context onto the course row: the coarse status of the getStatus
// contract (seed 003) and the generation_progress JSONB of seed 000.
import type { CourseContext } from '../pipeline/course.types';
import { STAGE_NAMES, StageNumber } from '../pipeline/stages';

/** courses.generation_progress (the JSONB of seed 000), which buildProgress writes. */
export interface GenerationProgress {
  percentage: number;
  message: string;
  current_step: number;
  current_stage: string | null;
  steps: unknown[];
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

export function buildProgress(
  state: string,
  ctx: CourseContext,
  prev: GenerationProgress,
  now: Date,
): GenerationProgress {
  const started = state === 'queued' && prev.percentage === 0 ? now.toISOString() : prev.started_at ?? now.toISOString();
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
    })),
    has_documents: ctx.hasDocuments,
    lessons_completed: ctx.lessonsCompleted,
    lessons_total: ctx.lessonsTotal,
    started_at: state === 'idle' ? null : started,
  };
}
