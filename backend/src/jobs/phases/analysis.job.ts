// Stage 4: five analysis phases, each a model call that sees the course, the document
// summaries and the earlier phases' outputs. The last one assembles analysis_result,
// validated by its schema, which stage 5 builds on.
import type { ZodType } from 'zod';
import { ANALYSIS_PHASE_SCHEMAS, AnalysisResultSchema } from '../../pipeline/outputs';
import { ANALYSIS_PHASES } from '../../pipeline/stages';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';
import { baseContext, call, messages } from './prompts';

const INSTRUCTIONS: Record<string, string> = {
  phase_1_classifier: 'Classify the course: category, contextual language, audience.',
  phase_2_scope: 'Recommend the structure: number of sections and lessons per section.',
  phase_3_expert: 'Give the pedagogical strategy and the difficulty progression.',
  phase_4_synthesis: 'Synthesize the content strategy and the scope instructions.',
  phase_5_assembly: 'Assemble the complete analysis result from the phases before.',
};

export class AnalysisPhaseJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const phase = ctx.job.phase as (typeof ANALYSIS_PHASES)[number];
    const schema = ANALYSIS_PHASE_SCHEMAS[phase] as ZodType<Record<string, unknown>>;
    if (!schema) throw new PhaseError(`unknown analysis phase ${phase}`, false);
    const earlier: Record<string, unknown> = {};
    for (const p of ANALYSIS_PHASES.slice(0, ANALYSIS_PHASES.indexOf(phase))) {
      earlier[p] = await ctx.savedOutput(4, `${p}-0`);
    }
    const summaries = await ctx.phases.documentSummaries(ctx.course.id);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: `Analysis ${phase}`,
      task: 'analysis_phase',
      messages: messages(ctx, INSTRUCTIONS[phase], { earlier, documents: summaries }),
      context: { ...baseContext(ctx), analysisPhase: phase, earlier, documentSummaries: summaries.map((s) => s.summary) },
      schema,
    });
    if (phase !== 'phase_5_assembly') return { output: res.value };
    const result = AnalysisResultSchema.safeParse(res.value);
    if (!result.success) throw new PhaseError(`analysis_result is invalid: ${result.error.issues[0]?.message}`, true);
    return {
      output: result.data,
      persist: (tx) => tx.setAnalysisResult(ctx.course.id, result.data),
    };
  }
}
