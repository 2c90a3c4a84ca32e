// Which operator buttons a course shows, by its status (the machine's table: retry a
// failed course; cancel a queued, running or failed one; restart anything finished).
import { can } from '../providers/permissions';
import type { Course } from '../types';

export type ControlAction = 'retry' | 'cancel' | 'restart';

export function controlActions(course: Pick<Course, 'status'>): ControlAction[] {
  switch (course.status) {
    case 'failed':
      return ['retry', 'restart', 'cancel'];
    case 'queued':
    case 'generating':
      return ['cancel'];
    case 'completed':
    case 'cancelled':
      return ['restart'];
    default:
      return [];
  }
}

/** Who decides a gate: reviewers (and admins) a review, finance (and admins) a budget gate. */
export function canDecideGate(role: unknown, gateKind: Course['gateKind']): boolean {
  return can(role, gateKind === 'budget' ? 'decideBudget' : 'approve');
}
