// What the outbox carries: the machine's effects plus the live event every applied
// transition publishes.
import type { CourseEffect } from '../pipeline/course.types';

export type OutboxKind = CourseEffect['type'] | 'publishLive';

export interface LiveMessage {
  room: string;
  event: 'course.updated' | 'trace.created' | 'approval.requested' | 'approval.escalated' | 'cost.updated' | 'alert.raised' | 'alert.cleared';
  payload: Record<string, unknown>;
}
