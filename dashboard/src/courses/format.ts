// Pure helpers for the course pages: the bar that never moves back, money, ETA.

/** What the bar shows: never less than before unless the course was restarted. */
export function monotonicPercentage(prev: number | undefined, next: number, restarted: boolean): number {
  const clamped = Math.max(0, Math.min(100, Math.round(next)));
  if (prev === undefined || restarted) return clamped;
  return Math.max(prev, clamped);
}

export function formatUsd(value: number, locale = 'en'): string {
  const digits = value !== 0 && Math.abs(value) < 0.01 ? 4 : 2;
  return new Intl.NumberFormat(locale === 'ru' ? 'ru-RU' : 'en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
}

export function formatDuration(seconds: number | null | undefined): string | null {
  if (seconds === null || seconds === undefined || !Number.isFinite(seconds)) return null;
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

export function awaitingStage(generationStatus: string): number | null {
  const m = /^stage_(\d)_awaiting_approval$/.exec(generationStatus);
  return m ? Number(m[1]) : null;
}

export const ACTIVE = new Set(['queued', 'generating']);
