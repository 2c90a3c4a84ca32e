// What the outbox carries: the machine's effects plus the live event every applied
// transition publishes.
import type { CourseEffect } from '../pipeline/course.types';

/** budgetThreshold rows are written by the database's budget trigger (migration 1763800014000). */
export type OutboxKind = CourseEffect['type'] | 'publishLive' | 'budgetThreshold';

export interface LiveMessage {
  room: string;
  event: 'course.updated' | 'trace.created' | 'approval.requested' | 'approval.escalated' | 'cost.updated' | 'budget.threshold' | 'alert.raised' | 'alert.cleared';
  payload: Record<string, unknown>;
}
