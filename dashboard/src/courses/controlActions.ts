// Which operator buttons a course shows, by its status (the machine's table: retry a
// failed course; cancel a queued, running or failed one; restart anything finished).
import { can, type Action } from '../providers/permissions';
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

/** The action a control button needs. */
export const CONTROL_ACTION = { retry: 'courses.retry', cancel: 'courses.cancel', restart: 'courses.restart' } as const satisfies Record<ControlAction, Action>;

/** Who decides a gate: `courses.approve` a review gate, `gates.decideBudget` a budget gate. */
export function canDecideGate(permissions: unknown, gateKind: Course['gateKind'] | undefined): boolean {
  return can(permissions, gateKind === 'budget' ? 'gates.decideBudget' : 'courses.approve');
}
