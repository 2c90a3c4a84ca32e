// A phase job as GET /api/jobs answers it, and the pure helpers its page uses.

export type JobState = 'waiting' | 'active' | 'delayed' | 'failed' | 'missing' | 'completed';
export const JOB_STATES: JobState[] = ['waiting', 'active', 'delayed', 'failed', 'missing'];
export type StuckReason = 'no_worker' | 'no_consumer' | 'over_time' | 'no_job';

export interface Job {
  id: string;
  queue: string;
  name: string;
  state: JobState;
  bullState: string | null;
  courseId: string;
  courseTitle: string;
  courseStatus: string;
  run: number;
  superseded: boolean;
  stage: string;
  stageNumber: number;
  phase: string;
  index: number;
  attempt: number;
  maxAttempts: number;
  createdAt: string | null;
  ageSeconds: number | null;
  processedOn: string | null;
  activeSeconds: number | null;
  runAt: string | null;
  finishedOn: string | null;
  error: string | null;
  worker: string | null;
  stuck: boolean;
  stuckReason: StuckReason | null;
  retryable: boolean;
}

/** How long ago, compactly: 42 s, 5 min, 3 h 10 min, 2 d 4 h. */
export function formatAge(seconds: number | null | undefined, locale = 'en'): string {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return '—';
  const u = locale === 'ru' ? { s: 'с', m: 'мин', h: 'ч', d: 'д' } : { s: 's', m: 'min', h: 'h', d: 'd' };
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} ${u.s}`;
  if (s < 3600) return `${Math.floor(s / 60)} ${u.m}`;
  if (s < 86400) {
    const m = Math.floor((s % 3600) / 60);
    return `${Math.floor(s / 3600)} ${u.h}${m ? ` ${m} ${u.m}` : ''}`;
  }
  const h = Math.floor((s % 86400) / 3600);
  return `${Math.floor(s / 86400)} ${u.d}${h ? ` ${h} ${u.h}` : ''}`;
}

export type ChipColor = 'default' | 'info' | 'primary' | 'success' | 'error' | 'warning';

export function stateColor(state: JobState): ChipColor {
  return ({ waiting: 'default', active: 'info', delayed: 'warning', failed: 'error', missing: 'error', completed: 'success' } as const)[state] ?? 'default';
}
