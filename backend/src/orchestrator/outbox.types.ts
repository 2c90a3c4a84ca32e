// What the outbox carries: the machine's effects plus the live event every applied
// transition publishes.
import type { CourseEffect } from '../pipeline/course.types';

/** budgetThreshold rows are written by the database's budget trigger (migration 1763800014000). */
export type OutboxKind = CourseEffect['type'] | 'publishLive' | 'budgetThreshold';

export interface LiveMessage {
  room: string;
  event:
    'course.updated' | 'trace.created' | 'approval.requested' | 'approval.escalated' | 'cost.updated' | 'budget.threshold' | 'alert.raised' | 'alert.cleared';
  payload: Record<string, unknown>;
  /**
   * course.updated only: send this many ms later, and not at all if a newer update of the
   * course was published meanwhile, by this process or another (a phase that started and
   * finished within the delay shows only as finished: half the fan-out for short phases,
   * and no second broadcast on the heels of the first).
   */
  deferMs?: number;
}
