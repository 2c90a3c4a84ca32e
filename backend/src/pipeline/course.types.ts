// Types shared by the course machine, the orchestrator and the workers: the events a
// course accepts, who sent them, and the effects a transition may ask for.
import type { Escalation } from './escalation';
import type { StageNumber } from './stages';

export type Actor = { type: 'user'; id: string; role?: string } | { type: 'worker'; id: string } | { type: 'system'; id: string };

interface WorkerReport {
  actor: Actor;
  run: number;
  stage: StageNumber;
  phase: string;
  index: number;
}

/** The projected cost of a course to completion, above its budget. */
export interface BudgetHold {
  projectedUsd: number;
  budgetUsd: number;
  spentUsd: number;
}

/** Stage 5's quality score against the organization's threshold. */
export interface QualityVerdict {
  overall: number;
  threshold: number;
  method: 'lexical' | 'embedding';
  /** the embeddings model, when the score came from one */
  model?: string;
  low: boolean;
  /** below the threshold and the organization stops such courses at a review gate */
  gate: boolean;
}

/** What a finished phase tells the machine about the work still to come. */
export interface PhaseResult {
  sectionsTotal?: number;
  lessonsTotal?: number;
  /** the rest of the course would pass its budget: wait at a budget gate before going on */
  budgetHold?: BudgetHold;
  /** stage 5's quality verdict; `gate`: wait at a review gate before stage 6 */
  quality?: QualityVerdict;
}

export type CourseEvent =
  | { type: 'START'; actor: Actor; hasDocuments: boolean; documentCount: number; gates: StageNumber[] }
  | ({ type: 'PHASE_STARTED' } & WorkerReport)
  | ({ type: 'PROGRESS'; fraction: number } & WorkerReport)
  | ({ type: 'PHASE_DONE'; result?: PhaseResult } & WorkerReport)
  | ({ type: 'PHASE_FAILED'; error: string; retryable: boolean } & WorkerReport)
  | { type: 'APPROVE'; actor: Actor; stage: StageNumber; comment?: string; budgetHold?: BudgetHold }
  | { type: 'REJECT'; actor: Actor; stage: StageNumber; action: 'rerun' | 'cancel'; reasons?: string[]; comment?: string }
  | { type: 'RETRY'; actor: Actor }
  | { type: 'CANCEL'; actor: Actor; reason?: string }
  | { type: 'RESTART'; actor: Actor }
  /** a person's "escalate now" (byName: their name, for the messages) or the deadline sweep's */
  | { type: 'ESCALATE'; actor: Actor; gateKey: string; byName?: string };

export type CourseEventType = CourseEvent['type'];

export interface PhaseJobSpec {
  jobId: string;
  courseId: string;
  run: number;
  stage: StageNumber;
  phase: string;
  index: number;
}

/** Effects are carried out by the orchestrator after the transition has committed. */
export type CourseEffect =
  | { type: 'enqueuePhases'; jobs: PhaseJobSpec[] }
  | { type: 'requestApproval'; stage: StageNumber; gateKey: string }
  | { type: 'cancelRun'; run: number }
  /** escalation: on `escalated` only, who escalated (absent on rows written before it was carried) */
  | { type: 'notifyWebhook'; event: WebhookEvent; escalation?: Escalation }
  | { type: 'escalate'; stage: StageNumber; gateKey: string; escalation?: Escalation };

export type WebhookEvent = 'completed' | 'failed' | 'awaiting_approval' | 'cancelled' | 'escalated';

export interface StepState {
  /** index into STAGE_STEPS[stage] */
  index: number;
  total: number;
  done: number[];
  inFlight: number[];
  /** progress reported inside a single-item step, 0-1 */
  partial: number;
  /** progress reported inside the running items of a fan-out step, 0-1 by item index */
  partials?: Record<number, number>;
}

export interface CourseContext {
  courseId: string;
  hasDocuments: boolean;
  documentCount: number;
  gates: StageNumber[];
  run: number;
  stage: StageNumber | null;
  step: StepState | null;
  phase: string | null;
  stageProgress: Partial<Record<StageNumber, number>>;
  percentage: number;
  sectionsTotal: number;
  lessonsTotal: number;
  lessonsCompleted: number;
  gateVisits: Partial<Record<StageNumber, number>>;
  /** kind: a review gate (asked for at start) or a budget gate (the projected cost passed the course's budget) */
  awaiting: {
    stage: StageNumber;
    gateKey: string;
    escalated?: boolean;
    /** who escalated it: a person (manual) or its deadline */
    escalation?: Escalation;
    kind?: 'review' | 'budget';
    budget?: BudgetHold;
    quality?: QualityVerdict;
  } | null;
  error: { message: string; retryable: boolean; stage: StageNumber | null; phase: string | null } | null;
  rejection: { stage: StageNumber; reasons: string[]; comment: string } | null;
  /** jobs asked for by the transition being applied; read by the enqueuePhases effect */
  dispatch: PhaseJobSpec[];
}
