// The API's shapes as the dashboard reads them (DESIGN.md "API"; seed 000 StageInfo,
// seed 003 §5 getStatus).

/** A role's name; what it may do comes from the API (`GET /api/me`, backend/src/auth/permissions.ts). */
export type Role = string;

export type CourseStatus = 'idle' | 'queued' | 'generating' | 'completed' | 'failed' | 'cancelled';

export interface Course {
  id: string;
  title: string;
  description?: string;
  language?: 'en' | 'ru';
  organizationId: string;
  status: CourseStatus;
  /** The machine state: 'stage_4', 'stage_4_awaiting_approval', 'completed', … */
  generationStatus: string;
  percentage: number;
  currentStage: string | null;
  message: string;
  hasDocuments: boolean;
  approvalGates: number[];
  /** The gate the course waits at: a review (reviewers decide) or its budget (finance decides). */
  gateKind?: 'review' | 'budget' | null;
  budgetUsd?: number | null;
  costUsd: number;
  /** Generation run number; grows when a person restarts the course from scratch. */
  run?: number;
  createdAt: string;
  updatedAt: string;
  errorMessage: string | null;
}

export type StageStatus = 'pending' | 'active' | 'completed' | 'error' | 'awaiting' | 'skipped';

export interface StageInfo {
  id: string;
  number: number;
  name: string;
  status: StageStatus;
  progress: number;
  /** Older form of status 'skipped' (course without documents). */
  skipped?: boolean;
  hasGate?: boolean;
}

export interface GenerationStatus {
  courseId: string;
  status: CourseStatus;
  phase: string | null;
  progress: number;
  message: string;
  estimatedRemainingSeconds: number | null;
  startedAt: string;
  lastUpdatedAt: string;
  metadata: Record<string, unknown> | null;
  generationStatus?: string;
  stage?: string | null;
}

export interface StartGenerationResult {
  jobId: string;
  courseId: string;
  status: 'queued';
}

export interface ApproveParams {
  stage: number;
  comment: string;
}

export type RejectionReason = 'too_shallow' | 'wrong_audience' | 'off_topic' | 'factual_errors' | 'poor_structure' | 'other';

export interface RejectParams {
  stage: number;
  action: 'rerun' | 'cancel';
  reasons: RejectionReason[];
  comment: string;
}

/** GET /api/overview: server aggregates of the caller's organization. */
export interface Overview {
  counts: { generating: number; queued: number; awaitingApproval: number; failed24h: number; completed24h: number; total: number };
  cost: { todayUsd: string; monthUsd: string };
  costByDay: { day: string; model: string; costUsd: string }[];
  tokensByStage: { stage: string; inputTokens: number; outputTokens: number; calls: number }[];
  stageDurations: { stage: string; runs: number; p50Seconds: number; p95Seconds: number }[];
  days: number;
}

/** GET /api/approvals: one course waiting at a gate. */
export interface ApprovalItem {
  courseId: string;
  title: string;
  stage: number;
  gateKey: string | null;
  /** review: a reviewer decides on the stage's output; budget: finance decides on the projected spend */
  kind: 'review' | 'budget';
  budget: { projectedUsd: number; budgetUsd: number; spentUsd: number } | null;
  waitingSince: string;
  waitSeconds: number;
  slaMinutes: number | null;
  dueAt: string | null;
  overdue: boolean;
  escalatedAt: string | null;
  costUsd: string;
  output: unknown;
  previous: { output: unknown; reasons: string[]; comment: string; rejectedAt: string } | null;
}

/** GET /api/courses/:id/timeline: the flight recorder. */
export interface TimelineEvent {
  at: string;
  kind: 'transition' | 'call' | 'approval';
  label: string;
  stage: string | null;
  phase: string | null;
  model?: string;
  callLabel?: string;
  durationMs?: number;
  costUsd?: string;
  error?: boolean;
  /** the model call's trace (kind 'call') */
  traceId?: string;
}

export interface Timeline {
  startedAt: string | null;
  events: TimelineEvent[];
  /** Cumulative cost after each model call. */
  cost: { at: string; totalUsd: number }[];
  costByStageModel: { stage: string; model: string; costUsd: string }[];
}
