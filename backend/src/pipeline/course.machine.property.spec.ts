// Thousands of random event sequences against the real machine; after every event the
// three rules of seed 000 must hold, whatever was applied or refused.
import fc from 'fast-check';
import { applyCourseEvent, initialCourse, PersistedCourse } from './course.runtime';
import type { Actor, CourseEvent } from './course.types';
import { STAGE_STEPS, StageNumber } from './stages';
import { buildProgress, GenerationProgress } from '../orchestrator/progress';
import { toStageInfo, type CourseRow } from '../courses/courses.dto';

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
    case 0:
      return {
        type: 'START',
        actor: user,
        hasDocuments: a % 2 === 0,
        documentCount: a % 2 === 0 ? 1 + (b % 3) : 0,
        gates: STAGES.filter((_, i) => (d >> i) & 1),
      };
    case 1:
    case 2:
    case 3:
    case 4:
    case 5:
      return { type: 'PHASE_DONE', actor: worker, run, stage: d % 11 === 0 ? anyStage : stage, phase: plan.phase, index, result };
    case 6:
      return { type: 'PHASE_STARTED', actor: worker, run, stage, phase: plan.phase, index };
    case 7:
      return { type: 'PROGRESS', actor: worker, run, stage, phase: plan.phase, index, fraction: (a % 100) / 100 };
    case 8:
    case 9:
      return { type: 'APPROVE', actor: user, stage: b % 3 === 0 ? anyStage : (ctx.awaiting?.stage ?? anyStage) };
    case 10:
      return { type: 'REJECT', actor: user, stage: ctx.awaiting?.stage ?? anyStage, action: a % 3 === 0 ? 'cancel' : 'rerun', reasons: ['too_shallow'] };
    case 11:
      if (d % 4 !== 0) return { type: 'PHASE_DONE', actor: worker, run, stage, phase: plan.phase, index, result };
      return { type: 'PHASE_FAILED', actor: worker, run, stage, phase: plan.phase, index, error: 'x', retryable: a % 2 === 0 };
    case 12:
      return { type: 'RETRY', actor: user };
    case 13:
      return d % 5 === 0 ? { type: 'CANCEL', actor: user } : { type: 'PHASE_STARTED', actor: worker, run, stage, phase: plan.phase, index };
    case 14:
      return d % 9 === 0 ? { type: 'RESTART', actor: user } : { type: 'PHASE_DONE', actor: worker, run, stage, phase: plan.phase, index, result };
    default:
      return { type: 'PHASE_DONE', actor: worker, run, stage: anyStage, phase: 'metadata', index: 0 };
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

  // Seed 000's legacy fields, built by the orchestrator's own functions (applyCourseEvent,
  // then buildProgress over the previous progress) after every applied event: they must
  // say what current_stage says, for every prefix of every sequence.
  it('keeps current_step and steps[] consistent with current_stage on every transition', () => {
    const CURRENT = ['active', 'awaiting', 'error'];
    const seen = new Set<string>();
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(), fc.nat(), fc.nat(), fc.nat()), { minLength: 60, maxLength: 200 }), (choices) => {
        let c = initialCourse({ courseId: 'p' });
        // As a course is created (courses.repository.ts insert).
        let progress: GenerationProgress = {
          percentage: 0,
          message: '',
          current_step: 0,
          current_stage: null,
          steps: [],
          has_documents: false,
          document_size: 0,
          lessons_completed: 0,
          lessons_total: 0,
          started_at: null,
          estimated_completion: null,
        };
        let now = Date.parse('2026-01-01T00:00:00Z');
        for (const choice of choices) {
          const r = applyCourseEvent(c, makeEvent(c, choice));
          if (!r.applied) continue;
          c = r.persisted;
          progress = buildProgress(r.to, c.context, progress, new Date((now += 1000)));
          const state = r.to;
          const stageOfState = /^stage_(\d)/.exec(state);
          // current_stage: the stage the state names; in other states the context's stage (or none).
          if (stageOfState) expect(progress.current_stage).toBe(`stage_${stageOfState[1]}`);
          if (state === 'idle') expect(progress.current_stage).toBeNull();
          expect(progress.current_stage).toBe(c.context.stage ? `stage_${c.context.stage}` : null);
          // current_step: always the number in current_stage, 0 without one.
          expect(progress.current_step).toBe(progress.current_stage ? Number(progress.current_stage.slice('stage_'.length)) : 0);
          // steps: the five stages in order.
          expect(progress.steps.map((s) => s.stage)).toEqual(STAGES.map((n) => `stage_${n}`));
          const current = progress.current_step;
          for (const step of progress.steps) {
            const n = Number(step.stage.slice('stage_'.length));
            seen.add(step.status);
            expect(step.progress).toBeGreaterThanOrEqual(0);
            expect(step.progress).toBeLessThanOrEqual(100);
            if (n <= 3 && !c.context.hasDocuments && current >= 4) expect(step.status).toBe('skipped');
            else if (state === 'completed') expect(step.status).toBe('completed');
            else if (current === 0 || n > current) expect(step.status).toBe('pending');
            else if (n < current) expect(step.status).toBe('completed');
            else {
              const expected = state.endsWith('_awaiting_approval')
                ? 'awaiting'
                : state === 'failed'
                  ? 'error'
                  : state === 'cancelled'
                    ? // a cancel keeps a stage that had finished finished
                      (c.context.stageProgress[n as 2 | 3 | 4 | 5 | 6] ?? 0) >= 1
                      ? 'completed'
                      : 'pending'
                    : state === 'queued'
                      ? 'pending'
                      : 'active';
              expect(step.status).toBe(expected);
            }
            // A stage the course is past is done: its own progress is full.
            if (step.status === 'completed') expect(step.progress).toBe(100);
            // A stage not reached yet has no progress (the current stage of a cancelled or re-queued course keeps its own).
            if (step.status === 'pending' && step.stage !== progress.current_stage)
              expect({ stage: step.stage, progress: step.progress }).toEqual({ stage: step.stage, progress: 0 });
          }
          // At most one step is the current one, and it is current_stage.
          const active = progress.steps.filter((s) => CURRENT.includes(s.status));
          expect(active.map((s) => s.stage)).toEqual(active.length ? [progress.current_stage] : []);
          if (state.endsWith('_awaiting_approval')) expect(active.map((s) => s.status)).toEqual(['awaiting']);
          if (/^stage_\d$/.test(state)) expect(active.map((s) => s.status)).toEqual(['active']);
          // And they agree with the StageInfo the API answers (GET /api/courses/:id/stages), skipped stages aside.
          const row = { generation_progress: progress, generation_status: state, approval_gates: [] } as unknown as CourseRow;
          expect(toStageInfo(row, 'en').map((i) => i.status)).toEqual(progress.steps.map((s) => (s.status === 'skipped' ? 'pending' : s.status)));
        }
      }),
      { numRuns: 500 },
    );
    // Every status was reached, or the property proves little.
    expect([...seen].sort()).toEqual(['active', 'awaiting', 'completed', 'error', 'pending', 'skipped']);
  });
});
