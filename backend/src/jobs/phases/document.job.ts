// Stage 2, one job per document: extract plain text and cut it into chunks. No model.
import { readFile } from 'node:fs/promises';
import { extractText } from '../../documents/document-files';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';

export interface DocumentChunk { index: number; text: string }

const CHUNK_CHARS = 2000;


/** Paragraph-preserving chunks of at most CHUNK_CHARS characters. */
export function chunkText(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let current = '';
  for (const para of text.split(/\n{2,}/)) {
    if (current && current.length + para.length + 2 > CHUNK_CHARS) {
      chunks.push({ index: chunks.length, text: current });
      current = '';
    }
    for (let i = 0; i < para.length; i += CHUNK_CHARS) {
      const piece = para.slice(i, i + CHUNK_CHARS);
      current = current ? `${current}\n\n${piece}` : piece;
      if (current.length >= CHUNK_CHARS) {
        chunks.push({ index: chunks.length, text: current });
        current = '';
      }
    }
  }
  if (current) chunks.push({ index: chunks.length, text: current });
  return chunks;
}

export class ExtractDocumentJob implements PhaseHandler {
  async run(ctx: PhaseContext): Promise<PhaseOutcome> {
    const rows = await ctx.ds.query(`SELECT id, content, mime_type, storage_path FROM course_documents WHERE course_id = $1 AND ordinal = $2`, [ctx.course.id, ctx.job.index]);
    if (!rows[0]) throw new PhaseError(`document #${ctx.job.index} is missing`, false);
    const bytes = rows[0].storage_path ? await readFile(rows[0].storage_path) : Buffer.from(rows[0].content, 'utf8');
    const text = await extractText(rows[0].mime_type, bytes).catch((err) => {
      throw new PhaseError(`document #${ctx.job.index}: text could not be extracted (${(err as Error).message})`, false);
    });
    if (!text) throw new PhaseError(`document #${ctx.job.index}: no text could be extracted`, false);
    const chunks = chunkText(text);
    return {
      output: { documentId: rows[0].id, characters: text.length, chunks: chunks.length },
      persist: async (em) => {
        await em.query(`UPDATE course_documents SET extracted_text = $2, chunks = $3 WHERE id = $1`, [rows[0].id, text, JSON.stringify(chunks)]);
      },
    };
  }
}
