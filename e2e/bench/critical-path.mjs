// The critical path of a finished course: the model time that cannot run in parallel.
// Each step's items (their model time, from the traces) are list-scheduled in dispatch
// order onto as many slots as the pipeline allows for that step; steps and stages run
// one after another. Wall time above this is the orchestration's own cost.

export const PARALLEL = { document: 8, summarize: 8, sections: 2, lessons: 4 };
const ORDER = [
  ['stage_2', ['document']],
  ['stage_3', ['summarize']],
  ['stage_4', ['phase_1_classifier', 'phase_2_scope', 'phase_3_expert', 'phase_4_synthesis', 'phase_5_assembly']],
  ['stage_5', ['metadata', 'sections', 'validation', 'saving']],
  ['stage_6', ['lessons']],
];

export function makespan(durations, slots) {
  const free = new Array(Math.max(1, slots)).fill(0);
  for (const d of durations) {
    const i = free.indexOf(Math.min(...free));
    free[i] += d;
  }
  return Math.max(0, ...free);
}

/** items: [{ stage, phase, index, ms }] — model milliseconds per item. */
export function criticalPathMs(items) {
  let total = 0;
  for (const [stage, phases] of ORDER) {
    for (const phase of phases) {
      const ds = items
        .filter((i) => i.stage === stage && i.phase === phase)
        .sort((a, b) => a.index - b.index)
        .map((i) => i.ms);
      if (ds.length) total += makespan(ds, PARALLEL[phase] ?? 1);
    }
  }
  return total;
}
