// Checks an uploaded file before anything is stored: a plain file name that cannot
// escape the storage folder, a type we can extract, the size limit, and content that is
// what the file declares: a PDF starts with %PDF-; a text type (plain, Markdown, HTML) is
// valid UTF-8 with no control bytes but tab, newline and carriage return, and does not
// start with a known binary signature (a PDF renamed .md, a PNG sent as text/plain).
// HTML is kept, sanitized: scripts, styles, event handlers and javascript: URLs are
// removed before it is stored. Then text extraction for each type.
import { createHash } from 'node:crypto';
import { convert } from 'html-to-text';
import sanitizeHtml from 'sanitize-html';

export const DOCUMENT_TYPES: Record<string, { ext: string[] }> = {
  'text/plain': { ext: ['txt', 'text'] },
  'text/markdown': { ext: ['md', 'markdown'] },
  'text/html': { ext: ['html', 'htm'] },
  'application/pdf': { ext: ['pdf'] },
};

/** A file refused for its name, type, size or emptiness (400). */
export class DocumentRejected extends Error {}

/** A file whose content is not what its type declares (415). */
export class DocumentContentRejected extends DocumentRejected {}

export interface CheckedDocument {
  filename: string;
  mimeType: string;
  /** what is stored: the upload as sent, or for HTML as sanitized */
  bytes: Buffer;
  sha256: string;
}

const starts = (b: Buffer, ...sig: number[]) => b.length >= sig.length && sig.every((x, i) => b[i] === x);
const ascii = (s: string) => [...s].map((c) => c.charCodeAt(0));

/** Binary formats recognized by their first bytes, named as a refusal names them. */
const SIGNATURES: { name: string; test: (b: Buffer) => boolean }[] = [
  { name: 'a PDF', test: (b) => starts(b, ...ascii('%PDF-')) },
  { name: 'a PNG image', test: (b) => starts(b, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a) },
  { name: 'a JPEG image', test: (b) => starts(b, 0xff, 0xd8, 0xff) },
  { name: 'a GIF image', test: (b) => starts(b, ...ascii('GIF87a')) || starts(b, ...ascii('GIF89a')) },
  {
    name: 'a ZIP archive (or an Office document)',
    test: (b) => starts(b, 0x50, 0x4b, 0x03, 0x04) || starts(b, 0x50, 0x4b, 0x05, 0x06) || starts(b, 0x50, 0x4b, 0x07, 0x08),
  },
  { name: 'an ELF executable', test: (b) => starts(b, 0x7f, 0x45, 0x4c, 0x46) },
  { name: 'gzip data', test: (b) => starts(b, 0x1f, 0x8b) },
];

/** The binary format these bytes start with, if we know it. */
export function sniffBinary(bytes: Buffer): string | null {
  return SIGNATURES.find((s) => s.test(bytes))?.name ?? null;
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Why these bytes are not a file of `mimeType` (null when they are). Text types must be
 * valid UTF-8 without control bytes other than tab, newline and carriage return and must
 * not start with a binary signature; a PDF must start with %PDF-.
 */
export function contentProblem(mimeType: string, bytes: Buffer): string | null {
  const found = sniffBinary(bytes);
  if (mimeType === 'application/pdf') {
    if (found === 'a PDF') return null;
    return `declared ${mimeType} but the content is ${found ?? 'not a PDF (it does not start with %PDF-)'}`;
  }
  if (found) return `declared ${mimeType} but the content is ${found}`;
  let text: string;
  try {
    text = UTF8.decode(bytes);
  } catch {
    return `declared ${mimeType} but the content is not valid UTF-8 text`;
  }
  // eslint-disable-next-line no-control-regex
  const control = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.exec(text);
  if (control) {
    const code = control[0].charCodeAt(0).toString(16).padStart(2, '0');
    return `declared ${mimeType} but the content has binary bytes (control byte 0x${code} at character ${control.index})`;
  }
  return null;
}

/** HTML without what could run: scripts, styles, event handlers, javascript: and data: URLs. */
export function sanitizeDocumentHtml(html: string): string {
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags,
    allowedAttributes: { a: ['href', 'name'], '*': ['lang', 'dir'] },
    allowedSchemes: ['http', 'https', 'mailto'],
    allowProtocolRelative: false,
  });
}

export function checkFilename(raw: string | undefined): string {
  const name = (raw ?? '').normalize('NFC');
  if (!name) throw new DocumentRejected('filename: is required');
  if (name.length > 200) throw new DocumentRejected('filename: longer than 200 characters');
  if (/[/\\]/.test(name)) throw new DocumentRejected(`filename: "${name.slice(0, 60)}" must not contain path separators`);
  if (name === '.' || name === '..' || name.includes('..')) throw new DocumentRejected(`filename: "${name.slice(0, 60)}" must not contain ".."`);
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(name)) throw new DocumentRejected('filename: must not contain control characters');
  if (name.startsWith('.')) throw new DocumentRejected('filename: must not start with a dot');
  return name;
}

/**
 * The content of a text document as it is stored: checked (see contentProblem), HTML
 * sanitized. `label` names the file in a refusal (`file "notes.md"`, `documents.0 ("notes.md")`).
 */
export function checkTextContent(label: string, mimeType: string, bytes: Buffer): Buffer {
  const problem = contentProblem(mimeType, bytes);
  if (problem) throw new DocumentContentRejected(`${label}: ${problem}`);
  if (mimeType !== 'text/html') return bytes;
  return Buffer.from(sanitizeDocumentHtml(bytes.toString('utf8')), 'utf8');
}

export function checkDocument(filename: string, declaredType: string, bytes: Buffer, maxBytes: number): CheckedDocument {
  const name = checkFilename(filename);
  const ext = name.includes('.') ? name.split('.').pop()!.toLowerCase() : '';
  const type = Object.entries(DOCUMENT_TYPES).find(
    ([mime, t]) => mime === declaredType.toLowerCase().split(';')[0].trim() || (declaredType === 'application/octet-stream' && t.ext.includes(ext)),
  );
  if (!type) throw new DocumentRejected(`file "${name}": type ${declaredType} is not accepted (text, Markdown, HTML or PDF)`);
  const [mimeType, spec] = type;
  if (!spec.ext.includes(ext)) throw new DocumentRejected(`file "${name}": extension .${ext || '(none)'} does not match ${mimeType}`);
  if (bytes.length === 0) throw new DocumentRejected(`file "${name}": is empty`);
  if (bytes.length > maxBytes) throw new DocumentRejected(`file "${name}": larger than the limit of ${maxBytes} bytes`);
  const label = `file "${name}"`;
  let stored = bytes;
  if (mimeType === 'application/pdf') {
    const problem = contentProblem(mimeType, bytes);
    if (problem) throw new DocumentContentRejected(`${label}: ${problem}`);
  } else {
    stored = checkTextContent(label, mimeType, bytes);
  }
  return { filename: name, mimeType, bytes: stored, sha256: createHash('sha256').update(stored).digest('hex') };
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
  if (mimeType === 'text/html')
    return convert(text, {
      wordwrap: false,
      selectors: [
        { selector: 'a', options: { ignoreHref: true } },
        { selector: 'img', format: 'skip' },
      ],
    }).trim();
  if (mimeType === 'text/markdown') {
    return text
      .replace(/\r\n/g, '\n')
      .replace(/```[\s\S]*?```/g, (m) => m.replace(/```\w*/g, ''))
      .replace(/^#{1,6}\s+/gm, '')
      .replace(/[*_`]{1,3}([^*_`]+)[*_`]{1,3}/g, '$1')
      .replace(/!\[[^\]]*\]\([^)]*\)/g, '')
      .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
      .trim();
  }
  return text.replace(/\r\n/g, '\n').trim();
}
