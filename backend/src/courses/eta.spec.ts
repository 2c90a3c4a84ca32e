import { applyCourseEvent, initialCourse, PersistedCourse } from '../pipeline/course.runtime';
import { ANALYSIS_PHASES } from '../pipeline/stages';
import { etaFromMedians, medianKey } from './eta';

const actor = { type: 'worker' as const, id: 'w' };

function course(): PersistedCourse {
  let c = initialCourse({ courseId: 'c' });
  const step = (e: Parameters<typeof applyCourseEvent>[1]) => {
    const r = applyCourseEvent(c, e);
    if (!r.applied) throw new Error(r.detail);
    c = r.persisted;
  };
  step({ type: 'START', actor: { type: 'user', id: 'u' }, hasDocuments: false, documentCount: 0, gates: [] });
  step({ type: 'PHASE_STARTED', actor, run: 1, stage: 4, phase: ANALYSIS_PHASES[0], index: 0 });
  return c;
}

const all = new Map<string, number>([
  ...ANALYSIS_PHASES.map((p) => [medianKey(4, p), 2000] as [string, number]),
  [medianKey(5, 'metadata'), 4000],
  [medianKey(5, 'sections'), 10_000],
  [medianKey(5, 'validation'), 3000],
  [medianKey(5, 'saving'), 100],
  [medianKey(6, 'lessons'), 6000],
]);

describe('ETA from phase medians', () => {
  it('adds the rest of the pipeline, dividing fan-outs by their parallelism', () => {
    // phase 1 running (half), 4 more analysis phases, stage 5 with 8 sections two at a time, 24 lessons four at a time
    const expected = 1 + 4 * 2 + 4 + (8 / 2) * 10 + 3 + 0.1 + (24 / 4) * 6;
    expect(etaFromMedians(course().context, all)).toBe(Math.round(expected));
  });

  it('gives up when a phase still to run has no history', () => {
    const partial = new Map(all);
    partial.delete(medianKey(6, 'lessons'));
    expect(etaFromMedians(course().context, partial)).toBeNull();
  });
});
