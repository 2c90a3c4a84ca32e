// A phase job as GET /api/jobs answers it, and the pure helpers its page uses.

import type { components } from '../api/schema';

/** The API's job (generated from its OpenAPI document). */
export type Job = components['schemas']['Job'];
export type JobState = Job['state'];
export const JOB_STATES: JobState[] = ['waiting', 'active', 'delayed', 'failed', 'missing'];
export type StuckReason = NonNullable<Job['stuckReason']>;

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
