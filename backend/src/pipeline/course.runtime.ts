// The pure step the orchestrator takes for one event: restore the persisted snapshot,
// apply the event with transition(), and return the new persisted snapshot, the
// effects to carry out, or why the event was refused.
import { initialTransition, transition } from 'xstate';
import { CourseInput, courseMachine, isCurrentItem } from './course.machine';
import type { CourseContext, CourseEffect, CourseEvent } from './course.types';

export interface PersistedCourse {
  value: string;
  context: CourseContext;
}

export type RefusalReason = 'stale_run' | 'wrong_stage' | 'approval_lock' | 'duplicate' | 'not_allowed' | 'stale_attempt';

export type ApplyResult =
  | { applied: true; from: string; to: string; persisted: PersistedCourse; effects: CourseEffect[] }
  | { applied: false; from: string; reason: RefusalReason; detail: string };

export function initialCourse(input: CourseInput): PersistedCourse {
  const [snapshot] = initialTransition(courseMachine, input);
  return { value: String(snapshot.value), context: snapshot.context };
}

export function restore(persisted: PersistedCourse) {
  return courseMachine.resolveState({ value: persisted.value, context: persisted.context });
}

function explainRefusal(state: string, ctx: CourseContext, event: CourseEvent): { reason: RefusalReason; detail: string } {
  if ('run' in event && ['idle', 'completed', 'failed', 'cancelled'].includes(state)) {
    return { reason: 'not_allowed', detail: `${event.type} is not allowed in state ${state}` };
  }
  if ('run' in event) {
    if (state.endsWith('_awaiting_approval')) {
      return { reason: 'approval_lock', detail: `${state}: worker reports are not applied while awaiting approval` };
    }
    if (event.run !== ctx.run) return { reason: 'stale_run', detail: `run ${event.run} is not the current run ${ctx.run}` };
    if (event.stage !== ctx.stage) {
      return { reason: 'wrong_stage', detail: `stage_${event.stage} reported while the course is at ${ctx.stage ? `stage_${ctx.stage}` : state}` };
    }
    if (ctx.step && ctx.step.done.includes(event.index)) {
      return { reason: 'duplicate', detail: `${event.phase}#${event.index} already done` };
    }
    if (!isCurrentItem(ctx, event)) return { reason: 'wrong_stage', detail: `${event.phase}#${event.index} is not a current phase` };
  }
  if ((event.type === 'APPROVE' || event.type === 'REJECT') && state.endsWith('_awaiting_approval') && ctx.awaiting?.stage !== event.stage) {
    return { reason: 'wrong_stage', detail: `awaiting approval of stage_${ctx.awaiting?.stage}, not stage_${event.stage}` };
  }
  return { reason: 'not_allowed', detail: `${event.type} is not allowed in state ${state}` };
}

export function applyCourseEvent(persisted: PersistedCourse, event: CourseEvent): ApplyResult {
  const snapshot = restore(persisted);
  const from = persisted.value;
  if (!snapshot.can(event)) {
    return { applied: false, from, ...explainRefusal(from, persisted.context, event) };
  }
  const [next, actions] = transition(courseMachine, snapshot, event);
  const effects: CourseEffect[] = [];
  for (const action of actions) {
    const params = (action as { params?: Record<string, unknown> }).params ?? {};
    switch (action.type) {
      case 'enqueuePhases': {
        const jobs = (params.jobs as CourseContext['dispatch']) ?? [];
        if (jobs.length > 0) effects.push({ type: 'enqueuePhases', jobs });
        break;
      }
      case 'requestApproval':
      case 'cancelRun':
      case 'notifyWebhook':
      case 'escalate':
        effects.push({ type: action.type, ...params } as CourseEffect);
        break;
      default:
        break;
    }
  }
  const to = String(next.value);
  return { applied: true, from, to, persisted: { value: to, context: { ...next.context, dispatch: [] } }, effects };
}
