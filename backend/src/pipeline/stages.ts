// The pipeline's shape as data: the stages 2 -> 6, the steps (phases) of each, how
// much of the bar each is worth, and the deterministic ids of the jobs that run them.
// Pure: the course machine and the API both read it; nothing here does I/O.

export type StageNumber = 2 | 3 | 4 | 5 | 6;
export const STAGE_NUMBERS: readonly StageNumber[] = [2, 3, 4, 5, 6];
export type StageId = `stage_${StageNumber}`;

export const stageId = (n: StageNumber): StageId => `stage_${n}`;

export const STAGE_NAMES: Record<StageNumber, { en: string; ru: string }> = {
  2: { en: 'Document processing', ru: 'Обработка документов' },
  3: { en: 'Summarization', ru: 'Суммаризация' },
  4: { en: 'Analysis', ru: 'Анализ' },
  5: { en: 'Structure generation', ru: 'Генерация структуры' },
  6: { en: 'Lesson content', ru: 'Содержание уроков' },
};

/**
 * Share of the overall bar per stage. Stages 2 and 3 only run with documents; without
 * them their 20 points are spread over 4-6 in proportion to those stages' weights
 * (20/25/35 of 80 -> 25/31.25/43.75 of 100).
 */
export const STAGE_WEIGHTS: Record<StageNumber, number> = { 2: 10, 3: 10, 4: 20, 5: 25, 6: 35 };

/** Where a fan-out step's item count comes from. */
export type FanoutSource = 'documents' | 'sections' | 'lessons';

export interface StepPlan {
  phase: string;
  /** share of the stage, the steps of a stage sum to 1 */
  weight: number;
  fanout?: FanoutSource;
  /** at most this many items of the step run at once */
  parallel?: number;
}

/** Seed 004: SECTIONS_PER_BATCH = 1, PARALLEL_BATCH_SIZE = 2. */
export const PARALLEL_SECTIONS = 2;
/** Lesson jobs of one course that may run at once; the claim makes any number safe. */
export const PARALLEL_LESSONS = 4;

export const ANALYSIS_PHASES = ['phase_1_classifier', 'phase_2_scope', 'phase_3_expert', 'phase_4_synthesis', 'phase_5_assembly'] as const;

export const STAGE_STEPS: Record<StageNumber, StepPlan[]> = {
  2: [{ phase: 'document', weight: 1, fanout: 'documents', parallel: 8 }],
  3: [{ phase: 'summarize', weight: 1, fanout: 'documents', parallel: 8 }],
  4: ANALYSIS_PHASES.map((phase) => ({ phase, weight: 1 / ANALYSIS_PHASES.length })),
  // Seed 003 §4.2 weights: metadata 10, sections 70, validation 15, saving 5.
  5: [
    { phase: 'metadata', weight: 0.1 },
    { phase: 'sections', weight: 0.7, fanout: 'sections', parallel: PARALLEL_SECTIONS },
    { phase: 'validation', weight: 0.15 },
    { phase: 'saving', weight: 0.05 },
  ],
  6: [{ phase: 'lessons', weight: 1, fanout: 'lessons', parallel: PARALLEL_LESSONS }],
};

export function stagesFor(hasDocuments: boolean): StageNumber[] {
  return hasDocuments ? [...STAGE_NUMBERS] : [4, 5, 6];
}

export function nextStage(stage: StageNumber, hasDocuments: boolean): StageNumber | null {
  const order = stagesFor(hasDocuments);
  const i = order.indexOf(stage);
  return i >= 0 && i < order.length - 1 ? order[i + 1] : null;
}

/** Effective weight of each stage on the overall bar, after spreading skipped stages. */
export function effectiveWeights(hasDocuments: boolean): Partial<Record<StageNumber, number>> {
  const order = stagesFor(hasDocuments);
  const total = order.reduce((sum, s) => sum + STAGE_WEIGHTS[s], 0);
  return Object.fromEntries(order.map((s) => [s, (STAGE_WEIGHTS[s] * 100) / total]));
}

/** Overall percentage, an integer 0-100, from each stage's progress (0-1). */
export function overallPercentage(hasDocuments: boolean, stageProgress: Partial<Record<StageNumber, number>>): number {
  const weights = effectiveWeights(hasDocuments);
  let sum = 0;
  for (const [s, w] of Object.entries(weights)) {
    const p = Math.min(1, Math.max(0, stageProgress[Number(s) as StageNumber] ?? 0));
    sum += (w ?? 0) * p;
  }
  return Math.min(100, Math.floor(sum + 1e-9));
}

/** BullMQ job ids: deterministic per course, run, stage, phase and item; never a colon. */
export function phaseJobId(courseId: string, run: number, stage: StageNumber, phase: string, index: number): string {
  return `${courseId}-r${run}-s${stage}-${phase}-${index}`;
}
