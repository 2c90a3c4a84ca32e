// Calendar dates as request parameters. `YYYY-MM-DD` alone lets through days that do
// not exist (2026-02-30, 0000-01-01), which Postgres refuses with an error instead of a
// row: they are refused here, with the field's name, before any query runs.
import { z } from 'zod';

/** Whether `s` (YYYY-MM-DD) is a day of the proleptic Gregorian calendar from year 1. */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (y < 1 || mo < 1 || mo > 12 || d < 1) return false;
  const date = new Date(Date.UTC(2000, mo - 1, d));
  date.setUTCFullYear(y);
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A real day, `YYYY-MM-DD`. */
export const calendarDate = () => z.string().refine(isCalendarDate, { message: 'must be a real date YYYY-MM-DD' });

/** A real month, `YYYY-MM`. */
export const calendarMonth = () => z.string().refine((s) => /^\d{4}-\d{2}$/.test(s) && isCalendarDate(`${s}-01`), { message: 'must be a real month YYYY-MM' });

/** An ISO timestamp whose date part is a real day (and which Date can read). */
export const calendarTimestamp = () =>
  z.string().refine((s) => isCalendarDate(s.slice(0, 10)) && !Number.isNaN(Date.parse(s)), { message: 'must be a real date or ISO timestamp' });
