// The handler of every job name. Adding a job means adding its name and handler here.
import { JobName, PhaseJobName } from './job.names';
import type { PhaseHandler } from './phase.types';
import { AnalysisPhaseJob } from './phases/analysis.job';
import { ExtractDocumentJob } from './phases/document.job';
import { GenerateLessonJob } from './phases/lesson.job';
import { StructureMetadataJob, StructureSavingJob, StructureSectionJob, StructureValidationJob } from './phases/structure.jobs';
import { SummarizeDocumentJob } from './phases/summarize.job';

export function phaseHandlers(): Record<PhaseJobName, PhaseHandler> {
  return {
    [JobName.ExtractDocument]: new ExtractDocumentJob(),
    [JobName.SummarizeDocument]: new SummarizeDocumentJob(),
    [JobName.AnalysisPhase]: new AnalysisPhaseJob(),
    [JobName.StructureMetadata]: new StructureMetadataJob(),
    [JobName.StructureSection]: new StructureSectionJob(),
    [JobName.StructureValidation]: new StructureValidationJob(),
    [JobName.StructureSaving]: new StructureSavingJob(),
    [JobName.GenerateLesson]: new GenerateLessonJob(),
  };
}
