// Stage 3, one job per document: a model summary of its extracted text.
import { DocumentSummarySchema } from '../../pipeline/outputs';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';
import { baseContext, call, messages } from './prompts';

export class SummarizeDocumentJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const rows = await ctx.ds.query(`SELECT id, filename, extracted_text FROM course_documents WHERE course_id = $1 AND ordinal = $2`, [ctx.course.id, ctx.job.index]);
    if (!rows[0]?.extracted_text) throw new PhaseError(`document #${ctx.job.index} has no extracted text`, true);
    const text = String(rows[0].extracted_text).slice(0, 60_000);
    const res = await ctx.gateway.call({
      ...call(ctx),
      stepName: `Summarize ${rows[0].filename}`,
      task: 'document_summary',
      messages: messages(ctx, 'Summarize this document for course design.', { document: text }),
      context: { ...baseContext(ctx), documentName: rows[0].filename, documentText: text.slice(0, 4000) },
      schema: DocumentSummarySchema,
    });
    return {
      output: res.value,
      persist: async (em) => {
        await em.query(`UPDATE course_documents SET summary = $2 WHERE id = $1`, [rows[0].id, res.value]);
      },
    };
  }
}
