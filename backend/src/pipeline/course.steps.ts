// Pure context arithmetic for the course machine: entering a stage, dispatching the
// items of a fan-out step within its parallelism, counting a finished item, and the
// bar. Kept apart from the machine so each piece is testable on its own.
import type { CourseContext, PhaseJobSpec, PhaseResult, StepState } from './course.types';
import { STAGE_STEPS, StageNumber, overallPercentage, phaseJobId, stagesFor } from './stages';

function itemCount(ctx: CourseContext, stage: StageNumber, stepIndex: number): number {
  const plan = STAGE_STEPS[stage][stepIndex];
  switch (plan.fanout) {
    case 'documents':
      return ctx.documentCount;
    case 'sections':
      return ctx.sectionsTotal;
    case 'lessons':
      return ctx.lessonsTotal;
    default:
      return 1;
  }
}

/** Picks the items to start now: not done, not running, within the step's parallelism. */
function fill(ctx: CourseContext, stage: StageNumber, step: StepState): { step: StepState; jobs: PhaseJobSpec[] } {
  const plan = STAGE_STEPS[stage][step.index];
  const limit = plan.parallel ?? 1;
  const jobs: PhaseJobSpec[] = [];
  const inFlight = [...step.inFlight];
  for (let i = 0; i < step.total && inFlight.length < limit; i++) {
    if (step.done.includes(i) || inFlight.includes(i)) continue;
    inFlight.push(i);
    jobs.push({
      jobId: phaseJobId(ctx.courseId, ctx.run, stage, plan.phase, i),
      courseId: ctx.courseId,
      run: ctx.run,
      stage,
      phase: plan.phase,
      index: i,
    });
  }
  return { step: { ...step, inFlight }, jobs };
}

function stageFraction(stage: StageNumber, step: StepState | null, complete: boolean): number {
  if (complete) return 1;
  if (!step) return 0;
  const steps = STAGE_STEPS[stage];
  let sum = 0;
  for (let i = 0; i < step.index; i++) sum += steps[i].weight;
  // A running item of a fan-out counts with its reported share (a streamed lesson moves the bar).
  const running = Object.entries(step.partials ?? {}).reduce((n, [i, f]) => (step.done.includes(Number(i)) ? n : n + Math.min(0.99, f)), 0);
  const within = step.total > 1 ? (step.done.length + running) / step.total : step.done.length > 0 ? 1 : step.partial;
  return sum + steps[step.index].weight * within;
}

function withBar(ctx: CourseContext): CourseContext {
  const computed = overallPercentage(ctx.hasDocuments, ctx.stageProgress);
  // Rule 3: the bar never moves back, whatever a rerun does to a stage's own progress.
  return { ...ctx, percentage: Math.max(ctx.percentage, computed) };
}

export function enterStage(ctx: CourseContext, stage: StageNumber): CourseContext {
  const first: StepState = { index: 0, total: itemCount(ctx, stage, 0), done: [], inFlight: [], partial: 0 };
  const { step, jobs } = fill(ctx, stage, first);
  const stageProgress = { ...ctx.stageProgress, [stage]: 0 };
  return {
    ...ctx,
    stage,
    step,
    phase: STAGE_STEPS[stage][0].phase,
    stageProgress,
    awaiting: null,
    dispatch: jobs,
  };
}

export function firstStage(ctx: Pick<CourseContext, 'hasDocuments'>): StageNumber {
  return stagesFor(ctx.hasDocuments)[0];
}

/** Sends again every unfinished item of the current step, under the current run. */
export function resumeStep(ctx: CourseContext): CourseContext {
  if (!ctx.stage || !ctx.step) return { ...ctx, dispatch: [] };
  const { step, jobs } = fill(ctx, ctx.stage, { ...ctx.step, inFlight: [], partial: 0 });
  return { ...ctx, step, dispatch: jobs };
}

export function isLastItemOfStage(ctx: CourseContext): boolean {
  if (!ctx.stage || !ctx.step) return false;
  const lastStep = ctx.step.index === STAGE_STEPS[ctx.stage].length - 1;
  return lastStep && ctx.step.done.length + 1 >= ctx.step.total;
}

function applyResult(ctx: CourseContext, result: PhaseResult | undefined): CourseContext {
  if (!result) return ctx;
  return {
    ...ctx,
    sectionsTotal: result.sectionsTotal ?? ctx.sectionsTotal,
    lessonsTotal: result.lessonsTotal ?? ctx.lessonsTotal,
  };
}

/** Counts one finished item; moves to the next step, or marks the stage complete. */
export function recordDone(ctx: CourseContext, index: number, result?: PhaseResult): CourseContext {
  const stage = ctx.stage as StageNumber;
  const current = ctx.step as StepState;
  let next = applyResult(ctx, result);
  const { [index]: _finished, ...partials } = current.partials ?? {};
  const step: StepState = {
    ...current,
    done: [...current.done, index],
    inFlight: current.inFlight.filter((i) => i !== index),
    ...(current.partials ? { partials } : {}),
  };
  if (STAGE_STEPS[stage][step.index].fanout === 'lessons') {
    next = { ...next, lessonsCompleted: step.done.length };
  }
  const steps = STAGE_STEPS[stage];
  if (step.done.length < step.total) {
    const filled = fill(next, stage, step);
    next = { ...next, step: filled.step, dispatch: filled.jobs };
    next.stageProgress = { ...next.stageProgress, [stage]: stageFraction(stage, next.step, false) };
    return withBar(next);
  }
  if (step.index < steps.length - 1) {
    const fresh: StepState = { index: step.index + 1, total: itemCount(next, stage, step.index + 1), done: [], inFlight: [], partial: 0 };
    const filled = fill(next, stage, fresh);
    next = { ...next, step: filled.step, phase: steps[fresh.index].phase, dispatch: filled.jobs };
    next.stageProgress = { ...next.stageProgress, [stage]: stageFraction(stage, next.step, false) };
    return withBar(next);
  }
  next = { ...next, step, dispatch: [], stageProgress: { ...next.stageProgress, [stage]: 1 } };
  return withBar(next);
}

export function recordPartial(ctx: CourseContext, fraction: number, index = 0): CourseContext {
  if (!ctx.stage || !ctx.step) return ctx;
  const f = Math.min(1, Math.max(0, fraction));
  const step =
    ctx.step.total > 1
      ? { ...ctx.step, partials: { ...ctx.step.partials, [index]: Math.max(ctx.step.partials?.[index] ?? 0, f) } }
      : { ...ctx.step, partial: Math.max(ctx.step.partial, f) };
  const stageProgress = { ...ctx.stageProgress, [ctx.stage]: stageFraction(ctx.stage, step, false) };
  return withBar({ ...ctx, step, stageProgress, dispatch: [] });
}

export function gateKey(ctx: CourseContext, stage: StageNumber): string {
  return `s${stage}-r${ctx.run}-v${(ctx.gateVisits[stage] ?? 0) + 1}`;
}

export function finishBar(ctx: CourseContext): CourseContext {
  return { ...ctx, percentage: 100, dispatch: [] };
}
