// GET /api/courses/:id/status in the shape of the seed 003 §5 getStatus contract.
// The contract's status and phase enums are kept as they are: `phase` names a stage-5
// phase only; `generationStatus` and `stage` are added for what the enums cannot say
// (other stages, approval gates).
import type { CourseContext } from '../pipeline/course.types';
import { STAGE_STEPS } from '../pipeline/stages';
import { CourseRow, stageOf } from './courses.dto';
import { Lang, statusMessage } from './status-messages';

const STAGE_5_PHASES = ['metadata', 'sections', 'validation', 'saving'] as const;
type ContractPhase = (typeof STAGE_5_PHASES)[number];

/** Seed 003's static estimate for a standard course, used until the course has progress to extrapolate from. */
export const STATIC_ESTIMATE_SECONDS = 150;

export interface StatusExtras {
  currentModel: string | null;
  generationMetadata: Record<string, any> | null;
  courseStructure: { sections?: { lessons?: unknown[] }[] } | null;
  now: Date;
  /** from past runs' phase medians; null falls back to the static estimate */
  etaSeconds?: number | null;
}

export function estimateRemainingSeconds(percentage: number, startedAt: Date | null, now: Date): number {
  if (!startedAt || percentage < 5) return Math.round((STATIC_ESTIMATE_SECONDS * (100 - percentage)) / 100);
  const elapsed = Math.max(0, (now.getTime() - startedAt.getTime()) / 1000);
  return Math.max(0, Math.round((elapsed * (100 - percentage)) / percentage));
}

function contractPhase(phase: string | null | undefined): ContractPhase | null {
  return STAGE_5_PHASES.includes(phase as ContractPhase) ? (phase as ContractPhase) : null;
}

export function toStatusContract(row: CourseRow, extras: StatusExtras, lang: Lang) {
  const ctx = row.context as CourseContext | null;
  const p = row.generation_progress;
  const stage = stageOf(row);
  const state = row.generation_status;
  const status = row.status as 'idle' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';
  const sectionsStep = ctx?.stage === 5 && ctx.step && STAGE_STEPS[5][ctx.step.index]?.phase === 'sections' ? ctx.step : null;
  const batchesCompleted = sectionsStep ? sectionsStep.done.length : ctx?.stage === 5 && (ctx.step?.index ?? 0) > 1 ? ctx.sectionsTotal : 0;
  const totalBatches = ctx?.sectionsTotal || 8;
  const message = statusMessage(
    {
      generationStatus: state,
      stage,
      phase: p.phase ?? null,
      sectionsPercent: totalBatches ? (batchesCompleted / totalBatches) * 100 : 0,
      lessonsCompleted: p.lessons_completed,
      lessonsTotal: p.lessons_total,
      error: row.error_message,
      budgetGate: ctx?.awaiting?.kind === 'budget',
      escalation: ctx?.awaiting?.escalation ?? null,
    },
    lang,
  );
  const gm = extras.generationMetadata;
  const quality = typeof gm?.quality_scores?.overall === 'number' ? Math.min(1, Math.max(0, gm.quality_scores.overall)) : undefined;
  let phase: ContractPhase | null = null;
  let metadata: Record<string, unknown> | null = null;
  if (status === 'generating') {
    phase = stage === 5 ? contractPhase(p.phase) : null;
    metadata = {
      batchesCompleted,
      totalBatches,
      ...(extras.currentModel ? { currentModel: extras.currentModel } : {}),
      ...(quality !== undefined ? { qualityScore: quality } : {}),
    };
  } else if (status === 'completed') {
    phase = 'saving';
    const sections = extras.courseStructure?.sections ?? [];
    metadata = {
      totalLessons: sections.reduce((n, s) => n + (s.lessons?.length ?? 0), 0),
      totalSections: sections.length,
      ...(typeof gm?.cost_usd === 'number' ? { cost: gm.cost_usd } : {}),
      ...(typeof gm?.duration_ms?.total === 'number' ? { duration: Math.round(gm.duration_ms.total) } : {}),
      ...(quality !== undefined ? { qualityScore: quality } : {}),
    };
  } else if (status === 'failed') {
    phase = ctx?.error?.stage === 5 ? contractPhase(ctx.error.phase) : null;
    metadata = { error: row.error_message ?? 'unknown error', retryable: ctx?.error?.retryable ?? false };
  }
  const active = status === 'generating' || status === 'queued';
  const startedAt = row.generation_started_at ?? row.created_at;
  return {
    courseId: row.id,
    status,
    phase,
    progress: Math.max(0, Math.min(100, Math.round(p.percentage ?? 0))),
    message,
    estimatedRemainingSeconds:
      active && !state.endsWith('_awaiting_approval')
        ? (extras.etaSeconds ?? estimateRemainingSeconds(p.percentage ?? 0, row.generation_started_at, extras.now))
        : null,
    startedAt: new Date(startedAt).toISOString(),
    lastUpdatedAt: new Date(row.updated_at).toISOString(),
    metadata,
    generationStatus: state,
    stage: p.current_stage ?? null,
  };
}
