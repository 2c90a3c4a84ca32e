// Turns a `course.updated` event into the course as the dashboard caches it. Events may
// arrive late or out of order (Socket.IO delivers at most once, two API processes may
// relay in any order): an event older than what is cached is dropped, and within one
// run the percentage only rises; a new run (a restart) may start from 0 again.
import type { Course } from '../types';

export interface CourseUpdatedEvent {
  id: string;
  status: Course['status'];
  generationStatus: string;
  stage: string | null;
  phase: string | null;
  percentage: number;
  message: string;
  run?: number;
  at?: string;
  /** the course's cost so far (older servers send none) */
  costUsd?: number;
}

export function applyCourseUpdate<T extends Partial<Course>>(course: T, e: CourseUpdatedEvent): T {
  if (String(course.id) !== String(e.id)) return course;
  const oldRun = typeof course.run === 'number' ? course.run : undefined;
  const newRun = typeof e.run === 'number' ? e.run : undefined;
  if (oldRun !== undefined && newRun !== undefined && newRun < oldRun) return course;
  const sameRun = oldRun === undefined || newRun === undefined || oldRun === newRun;
  if (sameRun && e.at && course.updatedAt && Date.parse(e.at) < Date.parse(course.updatedAt)) return course;
  const percentage = sameRun ? Math.max(Number(course.percentage ?? 0), Number(e.percentage ?? 0)) : Number(e.percentage ?? 0);
  return {
    ...course,
    status: e.status,
    generationStatus: e.generationStatus,
    currentStage: e.stage,
    message: e.message ?? course.message,
    percentage,
    run: newRun ?? course.run,
    costUsd: typeof e.costUsd === 'number' ? e.costUsd : course.costUsd,
    updatedAt: e.at ?? course.updatedAt,
  };
}

/** react-admin's list answer ({data, total}) with one course replaced; `found` says if it was there. */
export function applyToList<T extends { data?: Partial<Course>[] }>(list: T | undefined, e: CourseUpdatedEvent): { list: T | undefined; found: boolean } {
  if (!list?.data) return { list, found: false };
  let found = false;
  const data = list.data.map((c) => {
    if (String(c.id) !== String(e.id)) return c;
    found = true;
    return applyCourseUpdate(c, e);
  });
  return { list: found ? { ...list, data } : list, found };
}
