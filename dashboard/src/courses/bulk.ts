// Which selected courses a bulk action applies to, by the same table as the course page's
// buttons (controlActions.ts, the machine's rules): the others are left out, each with
// the reason in plain words, before anything is sent.
import type { Course } from '../types';
import { controlActions, type ControlAction } from './controlActions';

export interface BulkPlan<C> {
  eligible: C[];
  skipped: C[];
}

export function bulkPlan<C extends Pick<Course, 'status'>>(action: ControlAction, courses: C[]): BulkPlan<C> {
  const eligible: C[] = [];
  const skipped: C[] = [];
  for (const c of courses) (controlActions(c).includes(action) ? eligible : skipped).push(c);
  return { eligible, skipped };
}

/** The status a refusal names: a course waiting at a gate is "waiting", not "running". */
export const statusWord = (c: Pick<Course, 'status' | 'generationStatus'>): string =>
  /_awaiting_approval$/.test(c.generationStatus ?? '') ? 'awaiting' : c.status;
