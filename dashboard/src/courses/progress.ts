// A progress bar must never move backwards on screen. The API already refuses to lower
// a course's percentage except on a restart from scratch; these helpers keep polls,
// remounts and out-of-order answers from making the bar jump back anyway.

/** What the bar shows: the new value, but never less than before unless restarted. */
export function monotonicPercentage(prev: number | undefined, next: number, restarted: boolean): number {
  const clamped = Number.isFinite(next) ? Math.max(0, Math.min(100, Math.round(next))) : 0;
  if (prev === undefined || restarted) return clamped;
  return Math.max(prev, clamped);
}

export interface RunMark {
  /** Generation run number, when the API sends it. */
  run?: number | null;
  status: string;
}

const FRESH = new Set(['idle', 'queued']);

/**
 * Did the course start over since `prev` was shown? The run number says so when the
 * API sends it; without it, a course back at idle/queued from any other status counts
 * (a retry also passes through queued, but a retry never lowers the percentage).
 */
export function isRestart(prev: RunMark | undefined, next: RunMark): boolean {
  if (!prev) return true;
  if (typeof prev.run === 'number' && typeof next.run === 'number') return prev.run !== next.run;
  return FRESH.has(next.status) && !FRESH.has(prev.status);
}
