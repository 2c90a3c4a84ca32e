// The course actor: one pure XState v5 machine that decides everything about a
// course's life. No I/O, clocks or ids inside — it is driven with transition() by the
// orchestrator, which persists the snapshot and carries out the named effects
// (enqueuePhases, requestApproval, cancelRun, notifyWebhook) after commit.
//
// The three rules of seed 000 are guards here (and a trigger in Postgres):
//   stage sequence — worker reports must name the current run, stage and phase;
//   approval lock  — awaiting states accept no worker report at all;
//   bar            — the percentage is a running maximum, reset only by RESTART.
import { assign, setup } from 'xstate';
import { enterStage, finishBar, firstStage, gateKey, isLastItemOfStage, recordDone, recordPartial, resumeStep } from './course.steps';
import type { CourseContext, CourseEvent, WebhookEvent } from './course.types';
import { escalationOf, type Escalation } from './escalation';
import { STAGE_NUMBERS, STAGE_STEPS, StageNumber, nextStage } from './stages';

export interface CourseInput {
  courseId: string;
  hasDocuments?: boolean;
  documentCount?: number;
  gates?: StageNumber[];
}

type WorkerEvent = Extract<CourseEvent, { run: number }>;

function isWorkerEvent(e: CourseEvent): e is WorkerEvent {
  return 'run' in e;
}

/** A worker report for the item the machine is waiting on, under the current run. */
export function isCurrentItem(ctx: CourseContext, e: CourseEvent): boolean {
  if (!isWorkerEvent(e) || e.run !== ctx.run || e.stage !== ctx.stage || !ctx.step) return false;
  const plan = STAGE_STEPS[e.stage][ctx.step.index];
  return plan.phase === e.phase && e.index >= 0 && e.index < ctx.step.total && !ctx.step.done.includes(e.index);
}

const freshContext = (input: CourseInput): CourseContext => ({
  courseId: input.courseId,
  hasDocuments: input.hasDocuments ?? false,
  documentCount: input.documentCount ?? 0,
  gates: input.gates ?? [],
  run: 0,
  stage: null,
  step: null,
  phase: null,
  stageProgress: {},
  percentage: 0,
  sectionsTotal: 0,
  lessonsTotal: 0,
  lessonsCompleted: 0,
  gateVisits: {},
  awaiting: null,
  error: null,
  rejection: null,
  dispatch: [],
});

const stageState = (n: StageNumber) => `stage_${n}` as const;
const gateState = (n: StageNumber) => `stage_${n}_awaiting_approval` as const;

export const courseMachine = setup({
  types: {
    context: {} as CourseContext,
    events: {} as CourseEvent,
    input: {} as CourseInput,
  },
  guards: {
    isCurrentItem: ({ context, event }) => isCurrentItem(context, event),
    completesStage: ({ context, event }) => isCurrentItem(context, event) && isLastItemOfStage(context),
    isAwaitedStage: ({ context, event }) => 'stage' in event && context.awaiting?.stage === event.stage,
    isCurrentRun: ({ context, event }) => isWorkerEvent(event) && event.run === context.run && event.stage === context.stage,
    startsAtStage: ({ context, event }, params: { stage: StageNumber }) => isCurrentItem(context, event) && context.stage === params.stage,
    failedAtStage: ({ context }, params: { stage: StageNumber | null }) => (context.error?.stage ?? null) === params.stage,
  },
  actions: {
    startRun: assign(({ context, event }) => {
      if (event.type !== 'START') return {};
      const ctx: CourseContext = {
        ...freshContext({ courseId: context.courseId, ...event }),
        hasDocuments: event.hasDocuments,
        documentCount: event.documentCount,
        gates: event.gates,
        run: context.run + 1,
      };
      return enterStage(ctx, firstStage(ctx));
    }),
    restart: assign(({ context }) => {
      const ctx: CourseContext = { ...freshContext(context), run: context.run + 1 };
      return enterStage(ctx, firstStage(ctx));
    }),
    markStarted: assign(({ event }) => (isWorkerEvent(event) ? { phase: event.phase, dispatch: [] } : {})),
    markProgress: assign(({ context, event }) => (event.type === 'PROGRESS' ? recordPartial(context, event.fraction, event.index) : {})),
    markDone: assign(({ context, event }) => (event.type === 'PHASE_DONE' ? recordDone(context, event.index, event.result) : {})),
    enterNextStage: assign(({ context }) => enterStage(context, nextStage(context.stage!, context.hasDocuments)!)),
    openGate: assign(({ context, event }) => {
      const stage = context.stage!;
      // A stage asked to be reviewed gets a review gate (its budget is checked on approval);
      // otherwise the gate is there because the rest of the course would pass its budget.
      // A course whose quality fell below its organization's threshold, when the
      // organization asks for it, waits at a review gate too (its verdict kept on the gate).
      const hold = event.type === 'PHASE_DONE' ? event.result?.budgetHold : undefined;
      const quality = event.type === 'PHASE_DONE' && event.result?.quality?.gate ? event.result.quality : undefined;
      const review = context.gates.includes(stage) || !!quality || !hold;
      return {
        awaiting: review
          ? { stage, gateKey: gateKey(context, stage), kind: 'review' as const, ...(quality ? { quality } : {}) }
          : { stage, gateKey: gateKey(context, stage), kind: 'budget' as const, budget: hold },
        gateVisits: { ...context.gateVisits, [stage]: (context.gateVisits[stage] ?? 0) + 1 },
        dispatch: [],
      };
    }),
    openBudgetGate: assign(({ context, event }) => {
      const stage = context.awaiting!.stage;
      return {
        awaiting: { stage, gateKey: gateKey(context, stage), kind: 'budget' as const, budget: event.type === 'APPROVE' ? event.budgetHold : undefined },
        gateVisits: { ...context.gateVisits, [stage]: (context.gateVisits[stage] ?? 0) + 1 },
        dispatch: [],
      };
    }),
    rerunStage: assign(({ context, event }) => {
      if (event.type !== 'REJECT') return {};
      const ctx: CourseContext = {
        ...context,
        run: context.run + 1,
        rejection: { stage: event.stage, reasons: event.reasons ?? [], comment: event.comment ?? '' },
      };
      return enterStage(ctx, event.stage);
    }),
    fail: assign(({ context, event }) =>
      event.type === 'PHASE_FAILED'
        ? { error: { message: event.error, retryable: event.retryable, stage: context.stage, phase: event.phase }, dispatch: [] }
        : {},
    ),
    cancel: assign(({ context, event }) => ({
      error: { message: event.type === 'CANCEL' ? (event.reason ?? 'cancelled') : 'rejected', retryable: false, stage: context.stage, phase: context.phase },
      awaiting: null,
      dispatch: [],
    })),
    resume: assign(({ context }) => resumeStep({ ...context, run: context.run + 1, error: null })),
    finish: assign(({ context }) => finishBar(context)),
    clearDispatch: assign({ dispatch: [] }),
    enqueuePhases: (_, _params: { jobs: CourseContext['dispatch'] }) => {},
    requestApproval: (_, _params: { stage: StageNumber; gateKey: string }) => {},
    cancelRun: (_, _params: { run: number }) => {},
    notifyWebhook: (_, _params: { event: WebhookEvent; escalation?: Escalation }) => {},
    escalate: (_, _params: { stage: StageNumber; gateKey: string; escalation: Escalation }) => {},
    markEscalated: assign(({ context, event }) => ({
      awaiting: context.awaiting
        ? { ...context.awaiting, escalated: true, ...(event.type === 'ESCALATE' ? { escalation: escalationOf(event.actor, event.byName) } : {}) }
        : null,
      dispatch: [],
    })),
  },
}).createMachine({
  id: 'course',
  context: ({ input }) => freshContext(input),
  initial: 'idle',
  states: {
    idle: {
      on: { START: { target: 'queued', actions: ['startRun', enqueue()] } },
    },
    queued: {
      on: {
        // The course waits in the queue until its first phase is picked up.
        PHASE_STARTED: STAGE_NUMBERS.filter((n) => n === 2 || n === 4).map((n) => ({
          guard: { type: 'startsAtStage' as const, params: { stage: n } },
          target: stageState(n),
          actions: 'markStarted' as const,
        })),
        PHASE_FAILED: { guard: 'isCurrentRun', target: 'failed', actions: ['fail', cancelRun(), webhook('failed')] },
        CANCEL: { target: 'cancelled', actions: ['cancel', cancelRun(), webhook('cancelled')] },
      },
    },
    ...Object.fromEntries(
      STAGE_NUMBERS.flatMap((n) => [
        [stageState(n), stageConfig(n)],
        [gateState(n), gateConfig(n)],
      ]),
    ),
    completed: {
      on: { RESTART: { target: 'queued', actions: ['restart', enqueue()] } },
    },
    failed: {
      on: {
        RETRY: [
          { guard: { type: 'failedAtStage', params: { stage: null } }, target: 'queued', actions: ['resume', enqueue()] },
          ...STAGE_NUMBERS.map((n) => ({
            guard: { type: 'failedAtStage' as const, params: { stage: n } },
            target: stageState(n),
            actions: ['resume' as const, enqueue()],
          })),
        ],
        RESTART: { target: 'queued', actions: ['restart', enqueue()] },
        CANCEL: { target: 'cancelled', actions: ['cancel', webhook('cancelled')] },
      },
    },
    cancelled: {
      on: { RESTART: { target: 'queued', actions: ['restart', enqueue()] } },
    },
  },
});

function enqueue() {
  return { type: 'enqueuePhases' as const, params: ({ context }: { context: CourseContext }) => ({ jobs: context.dispatch }) };
}

function cancelRun() {
  return { type: 'cancelRun' as const, params: ({ context }: { context: CourseContext }) => ({ run: context.run }) };
}

function escalationOfEvent(event: CourseEvent): Escalation {
  return event.type === 'ESCALATE' ? escalationOf(event.actor, event.byName) : { reason: 'deadline', by: null };
}

function webhook(event: WebhookEvent) {
  return { type: 'notifyWebhook' as const, params: { event } };
}

function stageConfig(n: StageNumber) {
  const next = n === 2 ? 3 : n === 6 ? null : ((n + 1) as StageNumber);
  return {
    on: {
      PHASE_STARTED: { guard: 'isCurrentItem' as const, actions: 'markStarted' as const },
      PROGRESS: { guard: 'isCurrentItem' as const, actions: 'markProgress' as const },
      PHASE_DONE: [
        {
          guard: ({ context, event }: { context: CourseContext; event: CourseEvent }) =>
            isCurrentItem(context, event) &&
            isLastItemOfStage(context) &&
            (context.gates.includes(n) || (event.type === 'PHASE_DONE' && next !== null && (!!event.result?.budgetHold || !!event.result?.quality?.gate))),
          target: gateState(n),
          actions: [
            'markDone' as const,
            'openGate' as const,
            {
              type: 'requestApproval' as const,
              params: ({ context }: { context: CourseContext }) => ({ stage: n, gateKey: context.awaiting!.gateKey }),
            },
            webhook('awaiting_approval'),
          ],
        },
        next === null
          ? { guard: 'completesStage' as const, target: 'completed', actions: ['markDone' as const, 'finish' as const, webhook('completed')] }
          : { guard: 'completesStage' as const, target: stageState(next), actions: ['markDone' as const, 'enterNextStage' as const, enqueue()] },
        { guard: 'isCurrentItem' as const, actions: ['markDone' as const, enqueue()] },
      ],
      PHASE_FAILED: { guard: 'isCurrentRun' as const, target: 'failed', actions: ['fail' as const, cancelRun(), webhook('failed')] },
      CANCEL: { target: 'cancelled', actions: ['cancel' as const, cancelRun(), webhook('cancelled')] },
    },
  };
}

function gateConfig(n: StageNumber) {
  const next = n === 2 ? 3 : n === 6 ? null : ((n + 1) as StageNumber);
  return {
    // Approval lock: no worker event is handled here, so none is ever applied.
    on: {
      APPROVE: [
        // A reviewer approved, but the rest of the course would pass its budget: the course
        // now waits at a budget gate, for finance.
        {
          guard: ({ context, event }: { context: CourseContext; event: CourseEvent }) =>
            event.type === 'APPROVE' && !!event.budgetHold && next !== null && context.awaiting?.stage === event.stage && context.awaiting.kind !== 'budget',
          target: gateState(n),
          reenter: true,
          actions: [
            'openBudgetGate' as const,
            {
              type: 'requestApproval' as const,
              params: ({ context }: { context: CourseContext }) => ({ stage: n, gateKey: context.awaiting!.gateKey }),
            },
            webhook('awaiting_approval'),
          ],
        },
        next === null
          ? { guard: 'isAwaitedStage' as const, target: 'completed', actions: ['finish' as const, webhook('completed')] }
          : { guard: 'isAwaitedStage' as const, target: stageState(next), actions: ['enterNextStage' as const, enqueue()] },
      ],
      REJECT: [
        {
          guard: ({ context, event }: { context: CourseContext; event: CourseEvent }) =>
            event.type === 'REJECT' && event.action === 'rerun' && context.awaiting?.stage === event.stage,
          target: stageState(n),
          reenter: true,
          actions: ['rerunStage' as const, enqueue()],
        },
        { guard: 'isAwaitedStage' as const, target: 'cancelled', actions: ['cancel' as const, webhook('cancelled')] },
      ],
      CANCEL: { target: 'cancelled', actions: ['cancel' as const, webhook('cancelled')] },
      // A gate past its deadline, or one a person escalates now, is escalated once; the
      // course keeps waiting. The effects say which of the two it was.
      ESCALATE: {
        guard: ({ context, event }: { context: CourseContext; event: CourseEvent }) =>
          event.type === 'ESCALATE' && context.awaiting?.gateKey === event.gateKey && !context.awaiting.escalated,
        actions: [
          'markEscalated' as const,
          {
            type: 'escalate' as const,
            params: ({ context, event }: { context: CourseContext; event: CourseEvent }) => ({
              stage: n,
              gateKey: context.awaiting!.gateKey,
              escalation: escalationOfEvent(event),
            }),
          },
          {
            type: 'notifyWebhook' as const,
            params: ({ event }: { event: CourseEvent }) => ({ event: 'escalated' as const, escalation: escalationOfEvent(event) }),
          },
        ],
      },
    },
  };
}
