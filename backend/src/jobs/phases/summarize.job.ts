// Stage 3, one job per document: a model summary of its extracted text.
import { DocumentSummarySchema } from '../../pipeline/outputs';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';
import { baseContext, call, messages } from './prompts';

export class SummarizeDocumentJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const doc = await ctx.phases.documentToSummarize(ctx.course.id, ctx.job.index);
    if (!doc?.extracted_text) throw new PhaseError(`document #${ctx.job.index} has no extracted text`, true);
    // The whole text: the gateway routes a long one to the large-context model, or
    // refuses it when no model can take it — it is never cut short silently.
    const text = String(doc.extracted_text);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: `Summarize ${doc.filename}`,
      task: 'document_summary',
      messages: messages(ctx, 'Summarize this document for course design.', { document: text }, { style: false }),
      context: { ...baseContext(ctx), documentName: doc.filename, documentText: text.slice(0, 4000) },
      schema: DocumentSummarySchema,
    });
    return {
      output: res.value,
      persist: (tx) => tx.setDocumentSummary(doc.id, res.value),
    };
  }
}
