// Thousands of random event sequences against the real machine; after every event the
// three rules of seed 000 must hold, whatever was applied or refused.
import fc from 'fast-check';
import { applyCourseEvent, initialCourse, PersistedCourse } from './course.runtime';
import type { Actor, CourseEvent } from './course.types';
import { STAGE_STEPS, StageNumber } from './stages';

const user: Actor = { type: 'user', id: 'u' };
const worker: Actor = { type: 'worker', id: 'w' };
const STAGES: StageNumber[] = [2, 3, 4, 5, 6];

function rank(c: PersistedCourse): number {
  const v = c.value;
  if (v === 'idle') return 0;
  if (v === 'queued') return 1;
  if (v === 'completed') return 7;
  const m = /^stage_(\d)/.exec(v);
  if (m) return Number(m[1]);
  return c.context.stage ?? 1;
}

/** Builds an event from random numbers, mostly plausible ones so runs get deep. */
function makeEvent(c: PersistedCourse, [kind, a, b, d]: number[]): CourseEvent {
  const ctx = c.context;
  const stage = (ctx.stage ?? 4) as StageNumber;
  const step = ctx.step;
  const plan = step ? STAGE_STEPS[stage][step.index] : STAGE_STEPS[4][0];
  const inFlight = step?.inFlight ?? [0];
  const index = inFlight.length ? inFlight[a % inFlight.length] : a % 3;
  const run = d % 7 === 0 ? ctx.run - 1 : ctx.run;
  const anyStage = STAGES[b % 5];
  const result = plan.phase === 'metadata' ? { sectionsTotal: 1 + (a % 4) } : plan.phase === 'saving' ? { lessonsTotal: 10 + (a % 3) } : undefined;
  switch (kind % 16) {
    case 0: return { type: 'START', actor: user, hasDocuments: a % 2 === 0, documentCount: a % 2 === 0 ? 1 + (b % 3) : 0, gates: STAGES.filter((_, i) => (d >> i) & 1) };
    case 1: case 2: case 3: case 4: case 5:
      return { type: 'PHASE_DONE', actor: worker, run, stage: d % 11 === 0 ? anyStage : stage, phase: plan.phase, index, result };
    case 6: return { type: 'PHASE_STARTED', actor: worker, run, stage, phase: plan.phase, index };
    case 7: return { type: 'PROGRESS', actor: worker, run, stage, phase: plan.phase, index, fraction: (a % 100) / 100 };
    case 8: case 9: return { type: 'APPROVE', actor: user, stage: b % 3 === 0 ? anyStage : (ctx.awaiting?.stage ?? anyStage) };
    case 10: return { type: 'REJECT', actor: user, stage: ctx.awaiting?.stage ?? anyStage, action: a % 3 === 0 ? 'cancel' : 'rerun', reasons: ['too_shallow'] };
    case 11: if (d % 4 !== 0) return { type: 'PHASE_DONE', actor: worker, run, stage, phase: plan.phase, index, result };
      return { type: 'PHASE_FAILED', actor: worker, run, stage, phase: plan.phase, index, error: 'x', retryable: a % 2 === 0 };
    case 12: return { type: 'RETRY', actor: user };
    case 13: return d % 5 === 0 ? { type: 'CANCEL', actor: user } : { type: 'PHASE_STARTED', actor: worker, run, stage, phase: plan.phase, index };
    case 14: return d % 9 === 0 ? { type: 'RESTART', actor: user } : { type: 'PHASE_DONE', actor: worker, run, stage, phase: plan.phase, index, result };
    default: return { type: 'PHASE_DONE', actor: worker, run, stage: anyStage, phase: 'metadata', index: 0 };
  }
}

describe('course machine properties', () => {
  it('keeps the three rules over thousands of random event sequences', () => {
    let deepest = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 60, maxLength: 200 }), (choices) => {
        let c = initialCourse({ courseId: 'p' });
        for (const choice of choices) {
          const e = makeEvent(c, choice);
          const r = applyCourseEvent(c, e);
          if (!r.applied) continue;
          const next = r.persisted;
          const restarted = e.type === 'RESTART' || (e.type === 'START' && c.value === 'idle');
          // Rule 3: the bar never moves back except on an explicit restart.
          if (!restarted) expect(next.context.percentage).toBeGreaterThanOrEqual(c.context.percentage);
          expect(next.context.percentage).toBeGreaterThanOrEqual(0);
          expect(next.context.percentage).toBeLessThanOrEqual(100);
          // Rule 2: nothing but a decision or a cancel leaves an awaiting state, and
          // no worker report is applied there.
          if (c.value.endsWith('_awaiting_approval')) {
            expect(['APPROVE', 'REJECT', 'CANCEL']).toContain(e.type);
          }
          // Rule 1: stages advance one at a time (2-3 skipped only without documents),
          // never backwards except by restart or a rejected stage's rerun.
          if (!restarted) {
            const from = rank(c);
            const to = rank(next);
            expect(to).toBeGreaterThanOrEqual(from);
            const skipOk = from <= 1 && to === 4 && !next.context.hasDocuments;
            if (!skipOk) expect(to - from).toBeLessThanOrEqual(1);
          }
          if (next.value === 'completed') expect(next.context.percentage).toBe(100);
          deepest = Math.max(deepest, rank(next));
          c = next;
        }
      }),
      { numRuns: 2000 },
    );
    // The generator must actually reach the end of the pipeline, or the test proves little.
    expect(deepest).toBe(7);
  });
});
