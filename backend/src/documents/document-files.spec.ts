import { DocumentRejected, checkDocument, checkFilename, extractText } from './document-files';

describe('document checks', () => {
  it('refuses hostile file names', () => {
    for (const bad of ['../../etc/passwd', '..\\\\win.ini', 'a/b.txt', '', '.env', 'x\u0000.txt', 'x\n.txt', 'a'.repeat(201) + '.txt', '..']) {
      expect(() => checkFilename(bad)).toThrow(DocumentRejected);
    }
    expect(checkFilename('Глава 1 — введение.md')).toBe('Глава 1 — введение.md');
  });

  it('checks type, extension, content and size', () => {
    const text = Buffer.from('hello');
    expect(checkDocument('a.txt', 'text/plain', text, 100)).toMatchObject({ mimeType: 'text/plain', sha256: '2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824' });
    expect(() => checkDocument('a.exe', 'application/x-msdownload', text, 100)).toThrow(/not accepted/);
    expect(() => checkDocument('a.pdf', 'text/plain', text, 100)).toThrow(/extension/);
    expect(() => checkDocument('a.pdf', 'application/pdf', text, 100)).toThrow(/not a PDF/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.alloc(101, 97), 100)).toThrow(/larger than the limit of 100 bytes/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.from([0xff, 0xfe, 0x00]), 100)).toThrow(/UTF-8/);
    expect(() => checkDocument('a.txt', 'text/plain', Buffer.alloc(0), 100)).toThrow(/empty/);
  });

  // PDF extraction needs pdf.js's worker, which jest's VM cannot load: the upload e2e
  // test proves it in the real worker process.
  it('extracts text from HTML and Markdown', async () => {
    expect(await extractText('text/html', Buffer.from('<h1>Title</h1><script>alert(1)</script><p>Body <a href="x">link</a></p>'))).toMatch(/TITLE[\s\S]*Body link/);
    expect(await extractText('text/markdown', Buffer.from('# Head\n\nSome **bold** and [a link](http://x).'))).toBe('Head\n\nSome bold and a link.');
  });
});
