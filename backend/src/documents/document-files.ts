// Checks an uploaded file before anything is stored: a plain file name that cannot
// escape the storage folder, a type we can extract (declared and sniffed), the size
// limit, text that is valid UTF-8. Then text extraction for each type.
import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';

export const DOCUMENT_TYPES: Record<string, { ext: string[] }> = {
  'text/plain': { ext: ['txt', 'text'] },
  'text/markdown': { ext: ['md', 'markdown'] },
  'text/html': { ext: ['html', 'htm'] },
  'application/pdf': { ext: ['pdf'] },
};

export class DocumentRejected extends Error {}

export interface CheckedDocument {
  filename: string;
  mimeType: string;
  bytes: Buffer;
  sha256: string;
}

export function checkFilename(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC');
  if (!name) throw new DocumentRejected('filename: is required');
  if (name.length > 200) throw new DocumentRejected('filename: longer than 200 characters');
  if (/[\/\\]/.test(name)) throw new DocumentRejected(`filename: "${name.slice(0, 60)}" must not contain path separators`);
  if (name === '.' || name === '..' || name.includes('..')) throw new DocumentRejected(`filename: "${name.slice(0, 60)}" must not contain ".."`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new DocumentRejected('filename: must not contain control characters');
  if (name.startsWith('.')) throw new DocumentRejected('filename: must not start with a dot');
  return name;
}

export function checkDocument(filename: string, declaredType: string, bytes: Buffer, maxBytes: number): CheckedDocument {
  const name = checkFilename(filename);
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const type = Object.entries(DOCUMENT_TYPES).find(([mime, t]) => mime === declaredType.toLowerCase().split(';')[0].trim() || (declaredType === 'application/octet-stream' && t.ext.includes(ext)));
  if (!type) throw new DocumentRejected(`file "${name}": type ${declaredType} is not accepted (text, Markdown, HTML or PDF)`);
  const [mimeType, spec] = type;
  if (!spec.ext.includes(ext)) throw new DocumentRejected(`file "${name}": extension .${ext || '(none)'} does not match ${mimeType}`);
  if (bytes.length === 0) throw new DocumentRejected(`file "${name}": is empty`);
  if (bytes.length > maxBytes) throw new DocumentRejected(`file "${name}": larger than the limit of ${maxBytes} bytes`);
  if (mimeType === 'application/pdf') {
    if (bytes.subarray(0, 5).toString('latin1') !== '%PDF-') throw new DocumentRejected(`file "${name}": is not a PDF`);
  } else {
    const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
    if (text.includes('\uFFFD') || text.includes('\u0000')) throw new DocumentRejected(`file "${name}": is not UTF-8 text`);
  }
  return { filename: name, mimeType, bytes, sha256: createHash('sha256').update(bytes).digest('hex') };
}

export async function extractText(mimeType: string, bytes: Buffer): Promise<string> {
  if (mimeType === 'application/pdf') {
    const { PDFParse } = await import('pdf-parse');
    const parser = new PDFParse({ data: bytes });
    try {
      const result = await parser.getText();
      return result.text.replace(/\n-- \d+ of \d+ --\n/g, '\n').trim();
    } finally {
      await parser.destroy();
    }
  }
  const text = bytes.toString('utf8');
  if (mimeType === 'text/html') return convert(text, { wordwrap: false, selectors: [{ selector: 'a', options: { ignoreHref: true } }, { selector: 'img', format: 'skip' }] }).trim();
  if (mimeType === 'text/markdown') {
    return text.replace(/\r\n/g, '\n').replace(/```[\s\S]*?```/g, (m) => m.replace(/```\w*/g, '')).replace(/^#{1,6}\s+/gm, '').replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1').replace(/!\[[^\]]*\]\([^)]*\)/g, '').replace(/\[([^\]]+)\]\([^)]*\)/g, '$1').trim();
  }
  return text.replace(/\r\n/g, '\n').trim();
}
