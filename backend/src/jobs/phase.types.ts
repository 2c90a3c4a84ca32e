// What a phase handler gets and returns. Handlers are small: they read their inputs,
// call the model gateway, write what the phase produces, and say what comes next.
import type { PhaseCourseRow, PhasesSystemRepository, PhaseTransaction } from '../repositories/system/phases.system-repository';
import type { ModelGateway } from '../gateway/model-gateway';
import type { PhaseResult } from '../pipeline/course.types';
import type { PhaseJobData } from './job.names';

/** The course as a phase sees it: the repository's row without the saved output. */
export type PhaseCourse = Omit<PhaseCourseRow, 'saved_output'>;

export interface PhaseContext {
  job: PhaseJobData;
  course: PhaseCourse;
  /** the phase's reads (and writes that need no transaction) */
  phases: PhasesSystemRepository;
  gateway: ModelGateway;
  /** this stage runs again after a reviewer rejected it */
  rerun: boolean;
  /** outputs of finished phases of this course, by stage and phase key */
  savedOutput<T = unknown>(stage: number, phaseKey: string): Promise<T | null>;
  signal: AbortSignal;
  /** how far the item is, 0-1, inside a long model call (throttled; the bar never moves back) */
  progress?: (fraction: number) => void;
}

export interface PhaseOutcome {
  /** saved in phase_outputs so that a retry reuses it */
  output: unknown;
  result?: PhaseResult;
  /** writes that must commit together with the saved output */
  persist?: (tx: PhaseTransaction) => Promise<void>;
}

export interface PhaseHandler {
  run(ctx: PhaseContext): Promise<PhaseOutcome>;
}

export class PhaseError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
  }
}

export const phaseKey = (job: Pick<PhaseJobData, 'phase' | 'index'>) => `${job.phase}-${job.index}`;
