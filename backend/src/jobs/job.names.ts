// Every queue and job name in one place, with the payload all phase jobs share.
// A job's handler is found by its name in a map, never by a switch in a processor.
import type { PhaseJobSpec } from '../pipeline/course.types';
import type { StageNumber } from '../pipeline/stages';

export enum QueueName {
  Documents = 'documents',
  Summaries = 'summaries',
  Analysis = 'analysis',
  Structure = 'structure',
  Lessons = 'lessons',
  Webhooks = 'webhooks',
}

/** The queues whose jobs are pipeline phases (run by the PhaseRunner). */
export const PHASE_QUEUES: QueueName[] = [QueueName.Documents, QueueName.Summaries, QueueName.Analysis, QueueName.Structure, QueueName.Lessons];

export enum JobName {
  ExtractDocument = 'extract-document',
  SummarizeDocument = 'summarize-document',
  AnalysisPhase = 'analysis-phase',
  StructureMetadata = 'structure-metadata',
  StructureSection = 'structure-section',
  StructureValidation = 'structure-validation',
  StructureSaving = 'structure-saving',
  GenerateLesson = 'generate-lesson',
  DeliverWebhook = 'deliver-webhook',
}

export type PhaseJobData = PhaseJobSpec;

export type PhaseJobName = Exclude<JobName, JobName.DeliverWebhook>;

export const JOB_QUEUE: Record<JobName, QueueName> = {
  [JobName.DeliverWebhook]: QueueName.Webhooks,
  [JobName.ExtractDocument]: QueueName.Documents,
  [JobName.SummarizeDocument]: QueueName.Summaries,
  [JobName.AnalysisPhase]: QueueName.Analysis,
  [JobName.StructureMetadata]: QueueName.Structure,
  [JobName.StructureSection]: QueueName.Structure,
  [JobName.StructureValidation]: QueueName.Structure,
  [JobName.StructureSaving]: QueueName.Structure,
  [JobName.GenerateLesson]: QueueName.Lessons,
};

const STAGE_5_JOBS: Record<string, PhaseJobName> = {
  metadata: JobName.StructureMetadata,
  sections: JobName.StructureSection,
  validation: JobName.StructureValidation,
  saving: JobName.StructureSaving,
};

export function jobNameFor(stage: StageNumber, phase: string): PhaseJobName {
  if (stage === 2) return JobName.ExtractDocument;
  if (stage === 3) return JobName.SummarizeDocument;
  if (stage === 4) return JobName.AnalysisPhase;
  if (stage === 6) return JobName.GenerateLesson;
  const name = STAGE_5_JOBS[phase];
  if (!name) throw new Error(`no job for stage_5 phase ${phase}`);
  return name;
}

/** BullMQ priority by organization tier: lower runs first (seed 004, T016). */
export const TIER_PRIORITY: Record<string, number> = { premium: 1, standard: 2, basic: 3, free: 4, trial: 5 };
