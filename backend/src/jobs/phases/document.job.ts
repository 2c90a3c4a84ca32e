// Stage 2, one job per document: extract plain text and cut it into chunks. No model.
import { readFile } from 'node:fs/promises';
import { extractText } from '../../documents/document-files';
import type { PhaseContext, PhaseHandler, PhaseOutcome } from '../phase.types';
import { PhaseError } from '../phase.types';

export interface DocumentChunk {
  index: number;
  text: string;
}

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
    const doc = await ctx.phases.documentToExtract(ctx.course.id, ctx.job.index);
    if (!doc) throw new PhaseError(`document #${ctx.job.index} is missing`, false);
    const bytes = doc.storage_path ? await readFile(doc.storage_path) : Buffer.from(doc.content, 'utf8');
    const text = await extractText(doc.mime_type, bytes).catch((err) => {
      throw new PhaseError(`document #${ctx.job.index}: text could not be extracted (${(err as Error).message})`, false);
    });
    if (!text) throw new PhaseError(`document #${ctx.job.index}: no text could be extracted`, false);
    const chunks = chunkText(text);
    return {
      output: { documentId: doc.id, characters: text.length, chunks: chunks.length },
      persist: (tx) => tx.setExtractedText(doc.id, text, chunks),
    };
  }
}
