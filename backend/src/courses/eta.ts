// Time left for a generation, from the medians of past runs' phase durations (per
// stage and phase, per provider): the rest of the current step, the rest of its stage
// and every stage after it, each fan-out divided by its parallelism. Null when some
// phase still to run has no history, so the caller falls back to seed 003's estimate.
import type { CourseContext } from '../pipeline/course.types';
import { STAGE_STEPS, StageNumber, stagesFor } from '../pipeline/stages';

/** Item counts assumed before the course has told them (a standard course, seed 004). */
export const DEFAULT_COUNTS = { sections: 8, lessons: 24 };

export type PhaseMedians = Map<string, number>;
export const medianKey = (stage: number, phase: string) => `${stage}:${phase}`;

function items(ctx: CourseContext, stage: StageNumber, stepIndex: number): number {
  const plan = STAGE_STEPS[stage][stepIndex];
  if (plan.fanout === 'documents') return Math.max(1, ctx.documentCount);
  if (plan.fanout === 'sections') return ctx.sectionsTotal || DEFAULT_COUNTS.sections;
  if (plan.fanout === 'lessons') return ctx.lessonsTotal || DEFAULT_COUNTS.lessons;
  return 1;
}

function stepSeconds(medians: PhaseMedians, stage: StageNumber, stepIndex: number, remaining: number, started = false): number | null {
  const plan = STAGE_STEPS[stage][stepIndex];
  const median = medians.get(medianKey(stage, plan.phase));
  if (median === undefined) return null;
  // Whole rounds of the parallel slots for steps not started; the running step's partial round as it is.
  const rounds = remaining / (plan.parallel ?? 1);
  return ((started ? rounds : Math.ceil(rounds)) * median) / 1000;
}

export function etaFromMedians(ctx: CourseContext, medians: PhaseMedians): number | null {
  if (!ctx.stage || !ctx.step) return null;
  let total = 0;
  const add = (s: number | null) => {
    if (s === null) return false;
    total += s;
    return true;
  };
  const stage = ctx.stage;
  // The current step: items not done yet (running ones count as half done).
  const running = ctx.step.inFlight.length;
  const left = ctx.step.total - ctx.step.done.length - running / 2;
  if (!add(stepSeconds(medians, stage, ctx.step.index, Math.max(0, left), true))) return null;
  for (let i = ctx.step.index + 1; i < STAGE_STEPS[stage].length; i++) if (!add(stepSeconds(medians, stage, i, items(ctx, stage, i)))) return null;
  for (const next of stagesFor(ctx.hasDocuments).filter((s) => s > stage)) {
    for (let i = 0; i < STAGE_STEPS[next].length; i++) if (!add(stepSeconds(medians, next, i, items(ctx, next, i)))) return null;
  }
  return Math.max(0, Math.round(total));
}
