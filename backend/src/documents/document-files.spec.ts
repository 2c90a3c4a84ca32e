import { DocumentContentRejected, DocumentRejected, checkDocument, checkFilename, checkTextContent, contentProblem, extractText } from './document-files';

describe('document checks', () => {
  it('refuses hostile file names', () => {
    for (const bad of ['../../etc/passwd', '..\\\\win.ini', 'a/b.txt', '', '.env', 'x\u0000.txt', 'x\n.txt', 'a'.repeat(201) + '.txt', '..']) {
      expect(() => checkFilename(bad)).toThrow(DocumentRejected);
    }
    expect(checkFilename('Глава 1 — введение.md')).toBe('Глава 1 — введение.md');
  });

  it('checks type, extension, content and size', () => {
    const text = Buffer.from('hello');
    expect(checkDocument('a.txt', 'text/plain', text, 100)).toMatchObject({
      mimeType: 'text/plain',
      sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824',
    });
    expect(() => checkDocument('a.exe', 'application/x-msdownload', text, 100)).toThrow(/not accepted/);
    expect(() => checkDocument('a.pdf', 'text/plain', text, 100)).toThrow(/extension/);
    expect(() => checkDocument('a.pdf', 'application/pdf', text, 100)).toThrow(/not a PDF/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.alloc(101, 97), 100)).toThrow(/larger than the limit of 100 bytes/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.from([0xff, 0xfe, 0x00]), 100)).toThrow(/UTF-8/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.alloc(0), 100)).toThrow(/empty/);
  });

  describe('content against the declared type', () => {
    const PDF = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n');
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const JPEG = Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0, 16, 0x4a, 0x46, 0x49, 0x46]);
    const GIF = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0]);
    const ELF = Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]);
    const GZIP = Buffer.from([0x1f, 0x8b, 8, 0, 0, 0, 0, 0]);
    const refuse = (name: string, type: string, bytes: Buffer, reason: RegExp) => {
      let err: unknown;
      try {
        checkDocument(name, type, bytes, 1_000_000);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DocumentContentRejected);
      expect((err as Error).message).toMatch(reason);
      expect((err as Error).message).toContain(`file "${name}"`);
    };

    it('refuses a PDF renamed .md or declared as text', () => {
      refuse('paper.md', 'text/markdown', PDF, /declared text\/markdown but the content is a PDF/);
      refuse('paper.txt', 'text/plain', PDF, /declared text\/plain but the content is a PDF/);
      refuse('paper.html', 'text/html', PDF, /declared text\/html but the content is a PDF/);
    });

    it('refuses known binary signatures in text types', () => {
      refuse('a.txt', 'text/plain', PNG, /content is a PNG image/);
      refuse('a.md', 'text/markdown', JPEG, /content is a JPEG image/);
      refuse('a.txt', 'text/plain', GIF, /content is a GIF image/);
      refuse('a.md', 'text/markdown', ZIP, /content is a ZIP archive \(or an Office document\)/);
      refuse('a.txt', 'text/plain', ELF, /content is an ELF executable/);
      refuse('a.txt', 'text/plain', GZIP, /content is gzip data/);
    });

    it('refuses a PNG (or anything but a PDF) declared as a PDF', () => {
      refuse('scan.pdf', 'application/pdf', PNG, /declared application\/pdf but the content is a PNG image/);
      refuse('notes.pdf', 'application/pdf', Buffer.from('just text'), /declared application\/pdf but the content is not a PDF/);
      expect(checkDocument('paper.pdf', 'application/pdf', PDF, 1000).mimeType).toBe('application/pdf');
    });

    it('refuses invalid UTF-8 in a text type', () => {
      refuse('a.txt', 'text/plain', Buffer.from([0x68, 0x69, 0xc3, 0x28]), /declared text\/plain but the content is not valid UTF-8 text/);
      refuse('a.md', 'text/markdown', Buffer.from([0xed, 0xa0, 0x80]), /not valid UTF-8/); // an encoded lone surrogate
      refuse('a.txt', 'text/plain', Buffer.from('caf\xe9', 'latin1'), /not valid UTF-8/);
    });

    it('refuses binary bytes (NUL, control bytes) in a text type, allowing tab, newline and carriage return', () => {
      refuse('a.txt', 'text/plain', Buffer.from('text\u0000more'), /binary bytes \(control byte 0x00 at character 4\)/);
      refuse('a.md', 'text/markdown', Buffer.from('# t\n\u0001\u0002'), /control byte 0x01/);
      refuse('a.txt', 'text/plain', Buffer.from('a\u001bb'), /control byte 0x1b/);
      refuse('a.txt', 'text/plain', Buffer.from('a\u007fb'), /control byte 0x7f/);
      expect(contentProblem('text/plain', Buffer.from('a\tb\r\nc\nГлава — введение ✓ 😀'))).toBeNull();
    });

    it('stores HTML sanitized: no scripts, styles, event handlers or javascript: URLs', () => {
      const html =
        '<h1 onclick="steal()">Title</h1><script>alert(1)</script><style>p{}</style><p>Body <a href="javascript:alert(1)">x</a> <a href="https://example.com/" onmouseover="x()">ok</a><img src=x onerror=alert(1)></p><iframe src="https://evil.test"></iframe>';
      const d = checkDocument('page.html', 'text/html', Buffer.from(html), 10_000);
      const stored = d.bytes.toString('utf8');
      expect(stored).toBe('<h1>Title</h1><p>Body <a>x</a> <a href="https://example.com/">ok</a></p>');
      expect(d.sha256).toMatch(/^[0-9a-f]{64}$/);
      expect(checkTextContent('documents.0 ("a.html")', 'text/html', Buffer.from('<p>plain</p>')).toString()).toBe('<p>plain</p>');
    });

    it('names the JSON document in its label', () => {
      expect(() => checkTextContent('documents.0 ("notes.md")', 'text/markdown', PDF)).toThrow(
        'documents.0 ("notes.md"): declared text/markdown but the content is a PDF',
      );
      expect(checkTextContent('documents.0 ("a.md")', 'text/markdown', Buffer.from('# ok')).toString()).toBe('# ok');
    });
  });

  // PDF extraction needs pdf.js's worker, which jest's VM cannot load: the upload e2e
  // test proves it in the real worker process.
  it('extracts text from HTML and Markdown', async () => {
    expect(await extractText('text/html', Buffer.from('<h1>Title</h1><script>alert(1)</script><p>Body <a href="x">link</a></p>'))).toMatch(
      /TITLE[\s\S]*Body link/,
    );
    expect(await extractText('text/markdown', Buffer.from('# Head\n\nSome **bold** and [a link](http://x).'))).toBe('Head\n\nSome bold and a link.');
  });
});
