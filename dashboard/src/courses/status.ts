// Reading a course's status: which stage waits for approval, whether it is moving, the
// chip's colour. Pure, so the list, the page and the tests agree.
import type { CourseStatus, StageInfo, StageStatus } from '../types';

export const COURSE_STATUSES: CourseStatus[] = ['idle', 'queued', 'generating', 'completed', 'failed', 'cancelled'];

export const STAGE_NUMBERS = [2, 3, 4, 5, 6] as const;

/** The stage whose gate the course waits at ('stage_4_awaiting_approval' -> 4), else null. */
export function awaitingStage(generationStatus: string | null | undefined): number | null {
  const m = /^stage_(\d+)_awaiting_approval$/.exec(generationStatus ?? '');
  return m ? Number(m[1]) : null;
}

/** 'stage_4' (or 'stage_4_awaiting_approval') -> 4; anything else -> null. */
export function stageNumber(stage: string | null | undefined): number | null {
  const m = /^stage_(\d+)/.exec(stage ?? '');
  return m ? Number(m[1]) : null;
}

/** Queued or generating (a gate wait included): worth polling. */
export function isActive(status: string | null | undefined): boolean {
  return status === 'queued' || status === 'generating';
}

export type ChipColor = 'default' | 'info' | 'primary' | 'success' | 'error' | 'warning' | 'secondary';

const COLORS: Record<CourseStatus, ChipColor> = {
  idle: 'default',
  queued: 'info',
  generating: 'primary',
  completed: 'success',
  failed: 'error',
  cancelled: 'secondary',
};

export function statusColor(status: string, generationStatus?: string | null): ChipColor {
  if (awaitingStage(generationStatus) !== null) return 'warning';
  return COLORS[status as CourseStatus] ?? 'default';
}

/** A stage's status, folding the older `skipped: true` form into 'skipped'. */
export function stageState(stage: Pick<StageInfo, 'status'> & { skipped?: boolean }): StageStatus {
  return stage.skipped ? 'skipped' : stage.status;
}
