// The API's shapes as the dashboard reads them (DESIGN.md "API"; seed 000 StageInfo,
// seed 003 §5 getStatus).

export type Role = 'admin' | 'ops' | 'reviewer' | 'finance';

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
