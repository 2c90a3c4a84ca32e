// Stage 2 from upload to extraction: text, Markdown, HTML and PDF files go through the
// multipart endpoint, the worker extracts and chunks them, stage 3 summarizes each; bad
// uploads get a 400 naming the problem and store nothing.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { Client, startStack, waitFor } from '../harness.mjs';

async function upload(client, courseId, files) {
  const form = new FormData();
  for (const f of files) form.append(f.field ?? 'file', new Blob([f.content], { type: f.type }), f.name);
  const res = await fetch(`${client.baseUrl}/api/courses/${courseId}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  return { status: res.status, body: await res.json() };
}

async function pdf(text) {
  const doc = await PDFDocument.create();
  doc.addPage().drawText(text, { x: 50, y: 700, size: 12, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save());
}

describe('documents', () => {
  let stack;
  let db;
  let ops;
  const storage = join(tmpdir(), `mc-storage-${process.pid}`);
  before(async () => {
    stack = await startStack({ env: { STORAGE_DIR: storage } });
    db = await stack.sql();
    ops = await Client.login(stack.baseUrl, 'ops@acme.test');
  });
  after(async () => {
    await stack?.stop();
  });

  it('extracts text, Markdown, HTML and PDF documents and runs stages 2 to 6', async () => {
    const c = (await ops.post('/courses', { title: 'From my notes', approvalGates: [] })).body;
    const res = await upload(ops, c.id, [
      { name: 'notes.txt', type: 'text/plain', content: 'Plain notes about sampling.\n\nSecond paragraph.' },
      { name: 'guide.md', type: 'text/markdown', content: '# Guide\n\nUse **medians** for skewed data.' },
      { name: 'page.html', type: 'text/html', content: '<h1>Variance</h1><p>Spread of the data.</p><script>steal()</script>' },
      { name: 'paper.pdf', type: 'application/pdf', content: await pdf('Confidence intervals from a PDF paper.') },
    ]);
    assert.equal(res.status, 201, JSON.stringify(res.body));
    assert.deepEqual(
      res.body.map((d) => d.filename),
      ['notes.txt', 'guide.md', 'page.html', 'paper.pdf'],
    );
    assert.ok(res.body.every((d) => /^[0-9a-f]{64}$/.test(d.sha256)));
    assert.equal((await ops.get(`/courses/${c.id}`)).body.hasDocuments, true);
    await ops.post(`/courses/${c.id}/generation`);
    await waitFor(async () => (await ops.get(`/courses/${c.id}`)).body.status === 'completed', { what: 'completion', timeoutMs: 120_000 });
    const { rows } = await db.query(
      `SELECT filename, extracted_text, jsonb_array_length(chunks) AS chunks, summary IS NOT NULL AS summarized FROM course_documents WHERE course_id = $1 ORDER BY ordinal`,
      [c.id],
    );
    assert.match(rows[0].extracted_text, /Plain notes about sampling/);
    assert.equal(rows[1].extracted_text, 'Guide\n\nUse medians for skewed data.');
    assert.match(rows[2].extracted_text, /VARIANCE[\s\S]*Spread of the data/);
    assert.doesNotMatch(rows[2].extracted_text, /steal/);
    assert.equal(rows[3].extracted_text, 'Confidence intervals from a PDF paper.');
    assert.ok(rows.every((r) => r.chunks >= 1 && r.summarized));
    const history = (await ops.get(`/courses/${c.id}/history?range=[0,999]`)).body;
    assert.deepEqual([...new Set(history.map((h) => h.stage).filter(Boolean))], ['stage_2', 'stage_3', 'stage_4', 'stage_5', 'stage_6']);
  });

  it('refuses bad uploads with a 400 naming the problem, storing nothing', async () => {
    const admin = await Client.login(stack.baseUrl, 'admin@acme.test');
    await admin.request('PUT', '/organization', { maxDocumentBytes: 1000 });
    try {
      const c = (await ops.post('/courses', { title: 'Hostile uploads' })).body;
      const dir = join(storage);
      const filesBefore = existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0;
      const cases = [
        [[{ name: 'big.txt', type: 'text/plain', content: 'x'.repeat(1001) }], /larger than the limit of 1000 bytes/],
        [[{ name: 'tool.exe', type: 'application/x-msdownload', content: 'MZ' }], /not accepted/],
        [[{ name: '../../etc/passwd.txt', type: 'text/plain', content: 'x' }], /filename/],
        [[{ name: '..\\..\\boot.ini.txt', type: 'text/plain', content: 'x' }], /filename/],
        [[{ name: 'x.txt', type: 'text/plain', content: 'x', field: 'upload' }], /upload: unknown field/],
      ];
      for (const [files, pattern] of cases) {
        const res = await upload(ops, c.id, files);
        assert.equal(res.status, 400, `${files[0].name}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.message, pattern);
      }
      const json = await ops.post(`/courses/${c.id}/documents`, { file: 'x' });
      assert.equal(json.status, 400);
      const { rows } = await db.query(`SELECT count(*)::int AS n FROM course_documents WHERE course_id = $1`, [c.id]);
      assert.equal(rows[0].n, 0);
      assert.equal(existsSync(dir) ? readdirSync(dir, { recursive: true }).length : 0, filesBefore);
      assert.equal((await ops.get(`/courses/${c.id}`)).body.hasDocuments, false);
      const globex = await Client.login(stack.baseUrl, 'ops@globex.test');
      assert.equal((await upload(globex, c.id, [{ name: 'a.txt', type: 'text/plain', content: 'x' }])).status, 404);
    } finally {
      await admin.request('PUT', '/organization', { maxDocumentBytes: 10485760 });
    }
  });

  it('refuses files whose content is not what they declare with a 415 naming the file and the problem, storing nothing', async () => {
    const c = (await ops.post('/courses', { title: 'Disguised uploads' })).body;
    const filesBefore = existsSync(storage) ? readdirSync(storage, { recursive: true }).length : 0;
    const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
    const ZIP = Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0x6e, 0x6f]);
    const paper = await pdf('A paper in disguise.');
    const cases = [
      [{ name: 'paper.md', type: 'text/markdown', content: paper }, /file "paper.md": declared text\/markdown but the content is a PDF/],
      [{ name: 'paper.txt', type: 'text/plain', content: paper }, /file "paper.txt": declared text\/plain but the content is a PDF/],
      [{ name: 'photo.txt', type: 'text/plain', content: PNG }, /file "photo.txt": declared text\/plain but the content is a PNG image/],
      [{ name: 'report.md', type: 'text/markdown', content: ZIP }, /file "report.md": declared text\/markdown but the content is a ZIP archive/],
      [
        { name: 'blob.txt', type: 'text/plain', content: Buffer.from('readable start\u0000\u0001\u0002 then binary') },
        /file "blob.txt": declared text\/plain but the content has binary bytes \(control byte 0x00/,
      ],
      [
        { name: 'latin1.txt', type: 'text/plain', content: Buffer.from('caf\xe9 cr\xe8me', 'latin1') },
        /file "latin1.txt": declared text\/plain but the content is not valid UTF-8 text/,
      ],
      [{ name: 'scan.pdf', type: 'application/pdf', content: PNG }, /file "scan.pdf": declared application\/pdf but the content is a PNG image/],
      [{ name: 'fake.pdf', type: 'application/pdf', content: 'not a pdf' }, /file "fake.pdf": declared application\/pdf but the content is not a PDF/],
    ];
    for (const [file, pattern] of cases) {
      // The bad file after a good one: the whole batch is refused.
      const res = await upload(ops, c.id, [{ name: 'ok.txt', type: 'text/plain', content: 'fine' }, file]);
      assert.equal(res.status, 415, `${file.name}: ${JSON.stringify(res.body)}`);
      assert.match(res.body.message, pattern);
    }
    // The same checks for documents sent as JSON with the course.
    const json = [
      [
        { filename: 'paper.md', mimeType: 'text/markdown', content: '%PDF-1.7\n1 0 obj\n' },
        /documents\.0 \("paper\.md"\): declared text\/markdown but the content is a PDF/,
      ],
      [
        { filename: 'bin.txt', mimeType: 'text/plain', content: 'abc\u0007def' },
        /documents\.0 \("bin\.txt"\): declared text\/plain but the content has binary bytes \(control byte 0x07/,
      ],
    ];
    const coursesBefore = (await db.query(`SELECT count(*)::int AS n FROM courses`)).rows[0].n;
    for (const [doc, pattern] of json) {
      const res = await ops.post('/courses', { title: 'Disguised JSON', documents: [doc] });
      assert.equal(res.status, 415, JSON.stringify(res.body));
      assert.match(res.body.message, pattern);
    }
    assert.equal((await db.query(`SELECT count(*)::int AS n FROM courses`)).rows[0].n, coursesBefore);
    const { rows } = await db.query(`SELECT count(*)::int AS n FROM course_documents WHERE course_id = $1`, [c.id]);
    assert.equal(rows[0].n, 0);
    assert.equal(existsSync(storage) ? readdirSync(storage, { recursive: true }).length : 0, filesBefore);
    assert.equal((await ops.get(`/courses/${c.id}`)).body.hasDocuments, false);

    // HTML is kept, sanitized: what is stored has no script, handler or javascript: URL.
    const html = '<h1 onclick="steal()">Title</h1><script>steal()</script><p>Body <a href="javascript:steal()">x</a></p>';
    const ok = await upload(ops, c.id, [{ name: 'page.html', type: 'text/html', content: html }]);
    assert.equal(ok.status, 201, JSON.stringify(ok.body));
    const [stored] = (await db.query(`SELECT content FROM course_documents WHERE course_id = $1`, [c.id])).rows;
    assert.equal(stored.content, '<h1>Title</h1><p>Body <a>x</a></p>');
    const viaJson = await ops.post('/courses', { title: 'HTML as JSON', documents: [{ filename: 'p.html', mimeType: 'text/html', content: html }] });
    assert.equal(viaJson.status, 201, JSON.stringify(viaJson.body));
    const [jsonStored] = (await db.query(`SELECT content FROM course_documents WHERE course_id = $1`, [viaJson.body.id])).rows;
    assert.equal(jsonStored.content, '<h1>Title</h1><p>Body <a>x</a></p>');
  });
});
